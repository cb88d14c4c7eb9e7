"""What a directory resource says in codes: does it offer massage, is it still active, does it
take new patients, which languages, which hours (docs/FHIR.md, "A provider directory from FHIR").
"""

from __future__ import annotations

import re

from referral_app.services.fhir_import.shapes import Json, flag, obj, objs, text, texts

PLAN_NET = "http://hl7.org/fhir/us/davinci-pdex-plan-net/CodeSystem/"
NUCC_SYSTEMS = (
    "http://nucc.org/provider-taxonomy",
    "http://terminology.hl7.org/CodeSystem/v3-nuccProviderCodes",
)
MASSAGE_CODES = {
    ("http://terminology.hl7.org/CodeSystem/service-type", "25"),  # Massage Therapy
    *((system, "225700000X") for system in NUCC_SYSTEMS),  # Massage Therapist
    ("http://snomed.info/sct", "387854002"),
    (PLAN_NET + "ProviderRoleCS", "ma"),  # Massage Therapist (Plan-Net role)
    ("http://hl7.org/fhir/us/ndh/CodeSystem/NdhPractitionerRoleCS", "ma"),  # the same in NDH
}
MASSAGE_WORDS = re.compile(r"massage|lymph(atic)?\s+drainage", re.IGNORECASE)
CONCEPTS = ("type", "specialty", "category", "code")  # HealthcareService and PractitionerRole
INACTIVE_SITE = ("inactive", "suspended")  # Location.status values that close a site
ACCEPTING = {
    "newpt": "accepting new patients",
    "nopt": "not accepting new patients",
    "existptonly": "existing patients only",
    "existptfam": "existing patients and their families only",
}
LANGUAGES = {
    "en": "English",
    "es": "Spanish",
    "zh": "Chinese",
    "vi": "Vietnamese",
    "ko": "Korean",
    "ru": "Russian",
    "ar": "Arabic",
    "fr": "French",
    "ht": "Haitian Creole",
    "pt": "Portuguese",
    "de": "German",
    "it": "Italian",
    "pl": "Polish",
    "tl": "Tagalog",
    "ja": "Japanese",
    "hi": "Hindi",
    "ur": "Urdu",
    "fa": "Persian",
    "so": "Somali",
    "hmn": "Hmong",
    "asl": "American Sign Language",
    "ase": "American Sign Language",
    "sv": "Swedish",
    "el": "Greek",
    "he": "Hebrew",
    "uk": "Ukrainian",
    "bn": "Bengali",
    "pa": "Punjabi",
    "gu": "Gujarati",
    "km": "Khmer",
    "lo": "Lao",
    "th": "Thai",
    "ne": "Nepali",
    "am": "Amharic",
    "yi": "Yiddish",
    "nv": "Navajo",
}
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def concepts(resource: Json) -> list[Json]:
    return [c for key in CONCEPTS for c in objs(resource, key)]


def massage_services(resource: Json) -> tuple[str, ...]:
    """Our service ids for a HealthcareService or PractitionerRole; () when it offers no massage:
    a massage code in type, specialty, category or code, or "massage" / "lymph(atic) drainage"
    in its name, comment, or those codes' displays and texts."""
    words = [text(resource, "name"), text(resource, "comment")]
    coded = False
    for concept in concepts(resource):
        words.append(text(concept, "text"))
        for coding in objs(concept, "coding"):
            words.append(text(coding, "display"))
            coded |= (text(coding, "system"), text(coding, "code")) in MASSAGE_CODES
    said = " ".join(words).lower()
    if not coded and not MASSAGE_WORDS.search(said):
        return ()
    found = []
    if "oncology" in said and "massage" in said:
        found.append("oncology_massage")
    if re.search(r"lymph(atic)?\s+drainage", said):
        found.append("manual_lymphatic_drainage")
    if "medical massage" in said:
        found.append("medical_massage")
    if coded or "massage" in said:
        found.append("therapeutic_massage")
    return tuple(dict.fromkeys(found))


def offered_words(resource: Json) -> str:
    """What a resource that offers no massage does offer, for the report."""
    offered = [
        text(c, "text")
        or ", ".join(text(d, "display") or text(d, "code") for d in objs(c, "coding"))
        for c in concepts(resource)
    ]
    return "; ".join(o for o in offered if o) or "no type, specialty or role code given"


def inactive(resource: Json | None) -> str:
    """Why a resource must not be offered (R4 modifier elements), or ""."""
    if resource is None:
        return ""
    if resource.get("resourceType") == "Location":
        status = text(resource, "status")
        return f"marked {status} (status = {status})" if status in INACTIVE_SITE else ""
    return "marked inactive (active = false)" if flag(resource, "active") is False else ""


def accepting(*resources: Json | None) -> str:
    """The Plan-Net / NDH ``newpatients`` code of the first resource that gives one, or ""."""
    for resource in resources:
        for ext in objs(resource or {}, "extension"):
            if not text(ext, "url").endswith("newpatients"):
                continue
            for sub in objs(ext, "extension"):
                if text(sub, "url").lower() != "acceptingpatients":
                    continue
                answer = flag(sub, "valueBoolean")
                if answer is not None:  # Plan-Net 1.0: a yes/no
                    return "newpt" if answer else "nopt"
                for coding in objs(obj(sub, "valueCodeableConcept"), "coding"):
                    if text(coding, "code") in ACCEPTING:
                        return text(coding, "code")
    return ""


def languages(*resources: Json | None) -> tuple[str, ...]:
    """Languages from ``communication`` (Practitioner, HealthcareService), as names."""
    names: list[str] = []
    for resource in resources:
        for concept in objs(resource or {}, "communication"):
            codings = objs(concept, "coding")
            code = next((text(c, "code") for c in codings if text(c, "code")), "")
            shown = next((text(c, "display") for c in codings if text(c, "display")), "")
            base = code.split("-")[0].lower()
            names.append(LANGUAGES.get(base) or text(concept, "text") or shown or code)
    return tuple(dict.fromkeys(n for n in names if n))


def hours(resource: Json, site: Json | None) -> str:
    """The resource's ``availableTime``, else its site's ``hoursOfOperation``, in words."""
    spans = [
        _span(t, "availableStartTime", "availableEndTime") for t in objs(resource, "availableTime")
    ]
    if not spans and site is not None:
        spans = [_span(t, "openingTime", "closingTime") for t in objs(site, "hoursOfOperation")]
    return "; ".join(s for s in spans if s)


def _span(time: Json, start: str, end: str) -> str:
    days = _days([d for d in texts(time, "daysOfWeek") if d in DAYS])
    if flag(time, "allDay"):
        return f"{days} all day".strip()
    opens, closes = text(time, start)[:5], text(time, end)[:5]
    when = f"{opens}–{closes}" if opens and closes else opens or closes
    return f"{days} {when}".strip()


def _days(days: list[str]) -> str:
    index = sorted({DAYS.index(d) for d in days})
    runs: list[list[int]] = []
    for i in index:
        if runs and i == runs[-1][-1] + 1:
            runs[-1].append(i)
        else:
            runs.append([i])
    names = [DAYS[i].capitalize() for i in range(7)]
    return ", ".join(
        f"{names[r[0]]}–{names[r[-1]]}" if len(r) > 2 else ", ".join(names[i] for i in r)
        for r in runs
    )

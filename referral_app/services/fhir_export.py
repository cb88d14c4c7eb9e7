"""A referral as a FHIR R4 Bundle (plain dicts: the app needs no FHIR library to write one).

The Bundle (type ``collection``) holds a ServiceRequest for massage therapy, the Patient with only
what was typed for this referral, the requester (a US Core Practitioner, with the clinician's NPI
when Settings has one, and the practice as Organization through a PractitionerRole) and the
performer (the center as Organization, Location and HealthcareService). No resource is written
empty: a part with nothing to say is left out (a Patient with nothing typed says why its name is
absent). Codes, identifiers and their sources: docs/FHIR.md. Nothing here is stored: the file is
written where the user chose, and only there, like the PDF (owner-only, whole or not at all).
"""

from __future__ import annotations

import datetime as dt
import json
import math
import uuid
from pathlib import Path
from typing import Any

from referral_app.domain.center import Center
from referral_app.domain.listing import EvidenceLevel
from referral_app.domain.referral import Orders, Patient, Practice, Referral

SNOMED = "http://snomed.info/sct"
ICD10CM = "http://hl7.org/fhir/sid/icd-10-cm"
SERVICE_TYPE = "http://terminology.hl7.org/CodeSystem/service-type"
NPI = "http://hl7.org/fhir/sid/us-npi"
URI = "urn:ietf:rfc:3986"  # an identifier that is itself a URI (urn:uuid:...)
DATA_ABSENT = "http://hl7.org/fhir/StructureDefinition/data-absent-reason"
# SNOMED CT 387854002 (massage), and HL7's service-type 25 "Massage Therapy": see docs/FHIR.md.
MASSAGE_CODE = {
    "coding": [
        {"system": SNOMED, "code": "387854002"},
        {"system": SERVICE_TYPE, "code": "25", "display": "Massage Therapy"},
    ],
    "text": "Massage therapy",
}
# US Core ServiceRequest Category Codes (us-core-servicerequest-category, required for the
# us-core slice) hold SNOMED CT 386053000 "Evaluation procedure": a referral asks the therapist
# to evaluate and treat. The second category says what the request is for more precisely
# (SNOMED CT 277132007 "Therapeutic procedure", outside that value set: open slicing allows it).
CATEGORIES = [
    {"coding": [{"system": SNOMED, "code": "386053000", "display": "Evaluation procedure"}]},
    {"coding": [{"system": SNOMED, "code": "277132007", "display": "Therapeutic procedure"}]},
]
PRIORITY = {"routine": "routine", "soon": "urgent", "urgent": "asap"}


def _ref(resource: dict[str, Any]) -> dict[str, str]:
    return {"reference": f"urn:uuid:{resource['id']}"}


def _new(resource_type: str, **fields: Any) -> dict[str, Any]:
    body = {k: v for k, v in fields.items() if v not in (None, "", [], {})}
    return {"resourceType": resource_type, "id": str(uuid.uuid4()), **body}


def _phone(number: str, fax: str = "") -> list[dict[str, str]]:
    points = [{"system": "phone", "value": number}] if number else []
    return points + ([{"system": "fax", "value": fax}] if fax else [])


def _npi(npi: str) -> list[dict[str, str]] | None:
    return [{"system": NPI, "value": npi}] if npi else None


def patient_resource(patient: Patient) -> dict[str, Any]:
    """Only what was typed for this referral. With no name typed the name says why it is absent
    (data-absent-reason "masked": the app keeps a patient's identity out of what it stores and
    sends only what the clinician types), so the Patient is never an empty resource."""
    absent = {"extension": [{"url": DATA_ABSENT, "valueCode": "masked"}]}
    return _new(
        "Patient",
        name=[{"text": patient.name} if patient.name else absent],
        birthDate=patient.dob or None,
        telecom=_phone(patient.phone),
        communication=[{"language": {"text": patient.language}}] if patient.language else None,
    )


def center_address(center: Center) -> dict[str, Any]:
    address = {
        "line": [center.street] if center.street else None,
        "city": center.city,
        "state": center.region,
        "postalCode": center.postal_code,
        "country": center.country,
    }
    return {k: v for k, v in address.items() if v}


def provenance_text(center: Center) -> str:
    from referral_app.domain.provenance import contact_summary

    origin = "the app's bundled directory" if center.origin == "bundled" else "the clinic's list"
    parts = [f"Listed in {origin}", contact_summary(center)]
    if center.source_url:
        parts.append(f"source {center.source_url}")
    if center.last_verified:
        parts.append(f"last verified {center.last_verified}")
    parts.append("details verified" if center.verified else "details not verified")
    return "; ".join(parts) + "."


def _position(center: Center) -> dict[str, float] | None:
    lat, lon = center.latitude, center.longitude
    if lat is None or lon is None or not (math.isfinite(lat) and math.isfinite(lon)):
        return None  # JSON has no Infinity or NaN; a position that is not a number is left out
    return {"latitude": lat, "longitude": lon}


def performer_resources(center: Center) -> list[dict[str, Any]]:
    """Organization (with the center's NPI), Location (with position) and HealthcareService,
    each with the center's phone and fax when known. Where the details came from is said in
    HealthcareService.comment."""
    address = center_address(center)
    telecom = _phone(center.phone, center.fax)
    org = _new(
        "Organization",
        identifier=_npi(center.npi),
        active=True,
        name=center.parent_system or center.name,
        telecom=telecom,
        address=[address] if address else None,
    )
    location = _new(
        "Location",
        name=center.name,
        address=address or None,
        position=_position(center),
        telecom=telecom,
        managingOrganization=_ref(org),
    )
    website = [{"system": "url", "value": center.website}] if center.website else []
    service = _new(
        "HealthcareService",
        providedBy=_ref(org),
        name=center.name,
        type=[{"coding": [MASSAGE_CODE["coding"][1]], "text": "Massage therapy"}],
        specialty=[{"text": s} for s in center.services],
        location=[_ref(location)],
        telecom=telecom + website,
        comment=provenance_text(center),
    )
    return [org, location, service]


def person_name(text: str) -> dict[str, Any]:
    """A HumanName from a name as typed: the text whole, and (US Core asks for a family name)
    the last word as family, the words before it as given, a leading title as prefix."""
    words = text.replace(",", " ").split()
    prefix = [w for w in words[:1] if w.rstrip(".").lower() in TITLES]
    rest = words[len(prefix) :]
    name: dict[str, Any] = {"text": text}
    if rest:
        name["family"] = rest[-1]
    if rest[:-1]:
        name["given"] = rest[:-1]
    if prefix:
        name["prefix"] = prefix
    return name


TITLES = {"dr", "doctor", "prof", "mr", "mrs", "ms", "mx"}


def requester_resources(practice: Practice) -> list[dict[str, Any]]:
    """The clinician as a US Core Practitioner (its NPI when Settings has one) first, then the
    practice as an Organization and a PractitionerRole joining them (with the practice's phone
    and fax, where replies go); each only when Settings names it. [] when neither is set: the
    ServiceRequest then has no requester."""
    org = None
    if practice.name:
        address = [{"text": practice.address}] if practice.address else None
        org = _new(
            "Organization",
            active=True,
            name=practice.name,
            telecom=_phone(practice.phone, practice.fax),
            address=address,
        )
    if not practice.clinician:
        return [org] if org else []
    qualification = [{"code": {"text": practice.credentials}}] if practice.credentials else None
    person = _new(
        "Practitioner",
        identifier=_npi(practice.npi),
        active=True,
        name=[person_name(practice.clinician)],
        telecom=_phone(practice.phone, "" if org else practice.fax),
        qualification=qualification,
    )
    if org is None:
        return [person]
    role = _new(
        "PractitionerRole",
        active=True,
        practitioner=_ref(person),
        organization=_ref(org),
        telecom=_phone(practice.phone, practice.fax),
    )
    return [person, org, role]


def identifiers(referral: Referral, request_id: str) -> list[dict[str, Any]]:
    """The referral number under the practice's own identifier URL (Settings) when one is set;
    else the request's urn:uuid, and the number as a plain identifier with no system (a
    namespace the practice does not control would claim what it cannot)."""
    base = referral.practice.identifier_base.rstrip("/")
    number = {"type": {"text": "Referral number"}, "value": referral.number}
    if base:
        return [{**number, "system": f"{base}/referral-number"}]
    return [{"system": URI, "value": f"urn:uuid:{request_id}"}, number]


def _notes(referral: Referral, evidence: EvidenceLevel | None) -> list[dict[str, str]]:
    rec = referral.recommendation
    grade = evidence.label if evidence else rec.condition.evidence_level
    notes = [f"Evidence for massage in {rec.condition.name}: {grade}. Recommendation: {rec.label}."]
    if rec.condition.advised_against:
        notes.append(
            "Not advised: guidelines advise against massage for this purpose ("
            f"{'; '.join(rec.condition.advice_sources)})."
        )
    if referral.override_defer:
        notes.append(
            "Prepared against the recommendation with the referring clinician's "
            f"reason: {referral.override_defer}"
        )
    notes += _order_notes(referral.orders)
    if referral.peg is not None:
        notes.append(f"PEG-3 at referral (Krebs 2009; each 0-10): {referral.peg.text()}")
    notes += [f"Precaution: {p.text}" for p in rec.precautions]
    notes += [f"Screen: {flag.label} (answered yes)" for flag in rec.present]
    notes += rec.unknowns  # each a sentence that says what is unknown ("Not asked: …", …)
    return [{"text": text} for text in notes]


def _order_notes(orders: Orders) -> list[str]:
    """What the clinician typed for the therapist, as on the therapist sheet."""
    return [
        f"{label}: {value}"
        for label, value in (
            ("Medications", orders.medications),
            ("Goals", orders.goals),
            ("Sessions authorized", orders.sessions),
            ("Areas to treat", orders.treat),
            ("Areas to avoid", orders.avoid),
            ("Note from the referring clinician", orders.note),
        )
        if value
    ]


def _order_details(orders: Orders) -> dict[str, Any]:
    """ServiceRequest.orderDetail (the areas, as text) and quantityQuantity (the sessions
    authorized, when a whole number was typed; a range such as "6-8" stays in the note)."""
    details = [
        {"text": f"{label}: {value}"}
        for label, value in (("Areas to treat", orders.treat), ("Areas to avoid", orders.avoid))
        if value
    ]
    out: dict[str, Any] = {"orderDetail": details} if details else {}
    if orders.sessions.strip().isdigit() and int(orders.sessions) > 0:
        out["quantityQuantity"] = {"value": int(orders.sessions), "unit": "sessions"}
    return out


def referral_bundle(
    referral: Referral,
    evidence: EvidenceLevel | None = None,
    content: str = "",
    now: dt.datetime | None = None,
) -> dict[str, Any]:
    """The whole referral as a FHIR R4 Bundle (a JSON-ready dict); ``now`` is when it is made
    (Bundle.timestamp)."""
    rec = referral.recommendation
    patient = patient_resource(referral.patient)
    requester = requester_resources(referral.practice)
    performer = performer_resources(referral.center)
    request_id = str(uuid.uuid4())
    practitioner = [r for r in requester if r["resourceType"] == "Practitioner"]
    request = {
        "resourceType": "ServiceRequest",
        "id": request_id,
        "identifier": identifiers(referral, request_id),
        "status": "active",
        "intent": "order",
        "category": CATEGORIES,
        "priority": PRIORITY.get(referral.urgency, "routine"),
        "code": MASSAGE_CODE,
        "subject": _ref(patient),
        "authoredOn": referral.date.isoformat(),
        **({"requester": _ref(practitioner[0])} if practitioner else {}),
        "performer": [_ref(performer[2])],
        "locationReference": [_ref(performer[1])],
        # one CodeableConcept per diagnosis code (each is a concept of its own)
        "reasonCode": [{"coding": [{"system": ICD10CM, "code": c}]} for c in rec.condition.icd10],
        **_order_details(referral.orders),
        "note": _notes(referral, evidence)
        + ([{"text": f"Prepared with {content}."}] if content else []),
    }
    if not request["reasonCode"]:
        del request["reasonCode"]
    resources = [request, patient, *requester, *performer]
    stamp = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)
    return {
        "resourceType": "Bundle",
        "id": str(uuid.uuid4()),
        "type": "collection",
        "timestamp": stamp.isoformat(timespec="seconds").replace("+00:00", "Z"),
        "entry": [{"fullUrl": f"urn:uuid:{r['id']}", "resource": r} for r in resources],
    }


def bundle_for(store, referral: Referral) -> dict[str, Any]:
    """The Bundle for a referral built against ``store`` (its evidence scale and content)."""
    from referral_app.services.reference_data import content_of

    levels = {lvl.id: lvl for lvl in store.evidence_levels()}
    evidence = levels.get(referral.recommendation.condition.evidence_level)
    return referral_bundle(referral, evidence, content_of(store).label)


def write_bundle(path: Path, bundle: dict[str, Any]) -> Path:
    """Write the JSON like the PDF: owner-only (0600), flushed to disk and renamed into place
    whole, or nothing (it holds the patient's name and date of birth when they were typed)."""
    from referral_app.files import atomic_write

    with atomic_write(path) as fh:
        json.dump(bundle, fh, ensure_ascii=False, indent=2)
        fh.write("\n")
    return path

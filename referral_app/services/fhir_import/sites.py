"""One entry of the clinic's list per massage service or therapist and site (Location).

Named as a clinician knows them: the Organization or the practitioner first, the service's name
only as the service ("Lakeside Wellness — Massage therapy"), the site in brackets when there are
several. Every value goes through the same checks as a CSV row (content/centers.py,
domain/contact.py, services/places.py): control characters are taken out (and said), a value
longer than a CSV cell refuses the entry, a position that is not a number, not finite, out of
range or far from its ZIP is refused (the entry is then placed from its ZIP or city, as a CSV
row is), and a phone, fax or NPI that fails its check is left out (and said).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from referral_app.content.centers import clean_text, coordinate, text_problem, zip_problem
from referral_app.domain.center import Center
from referral_app.domain.contact import fax_problem, npi_problem, phone_problem
from referral_app.services.fhir_import import codes
from referral_app.services.fhir_import.shapes import Json, label, obj, objs, text, texts
from referral_app.services.places import place, position_problem

NPI_SYSTEM = "http://hl7.org/fhir/sid/us-npi"
CONFIDENCE = "From a FHIR provider directory: confirm by phone before referring."


@dataclass
class Candidate:
    """An entry the file describes, before it is compared with the clinic's list."""

    center: Center
    site: str = ""  # the Location's label, when the resource has several
    notes: list[str] = field(default_factory=list)  # what was changed or left out, and why
    closed: str = ""  # why it must not be offered (inactive), or ""
    problem: str = ""  # why it cannot be imported at all, or ""


@dataclass(frozen=True, slots=True)
class Parties:
    """Who and where: the resource's organization, practitioner and one of its sites."""

    org: Json | None
    practitioner: Json | None
    site: Json | None
    several: bool  # the resource has several sites: the entry's name says which
    shown: tuple[str, str] = ("", "")  # the references' displays: (practitioner, organization)


def person_name(practitioner: Json | None) -> str:
    for name in objs(practitioner or {}, "name"):
        if text(name, "text"):
            return text(name, "text")
        words = texts(name, "given") + [text(name, "family")]
        person = " ".join(w for w in words if w)
        suffix = ", ".join(texts(name, "suffix"))
        if person:
            return f"{person}, {suffix}" if suffix else person
    return ""


def _names_provider(service: str, provider: str) -> bool:
    """The service's name already starts with the provider's ("Acme Spa: massage", "Acme Spa")."""
    return service.casefold().startswith(provider.split(" (")[0].casefold())


def site_name(site: Json) -> str:
    address = obj(site, "address")
    return text(site, "name") or ", ".join(texts(address, "line")) or text(address, "city")


def candidate(resource: Json, where: str, who: Parties, source: str) -> Candidate:
    org, person, site = who.org, who.practitioner, who.site
    person_shown = person_name(person) or who.shown[0]
    provider = person_shown or text(org or {}, "name") or who.shown[1]
    service = text(resource, "name")
    if resource.get("resourceType") == "PractitionerRole" and not person_shown:
        service = "massage therapist" if provider else ""
    name = provider or service
    if service and provider:
        same = _names_provider(service, provider)
        name = service if same else f"{provider} — {service}"
    if who.several and site is not None:
        name = f"{name} ({site_name(site)})"
    address = obj(site, "address") if site is not None and site.get("address") else {}
    address = address or next(iter(objs(org or {}, "address")), {})
    contacts = [resource, site, person, org]
    values: dict[str, Any] = dict(
        name=name,
        parent_system=text(org or {}, "name") if text(org or {}, "name") != name else "",
        street=", ".join(texts(address, "line")),
        city=text(address, "city"),
        region=text(address, "state"),
        postal_code=text(address, "postalCode"),
        country=text(address, "country"),
        website=_telecom(contacts, "url"),
        hours=codes.hours(resource, site),
        languages=codes.languages(person, resource),
    )
    found = Candidate(Center(id="", name=""), label(site) if who.several and site else "")
    values = _cleaned(values, found)
    accepts = codes.accepting(resource, site)
    center = Center(
        id="",
        **values,
        services=codes.massage_services(resource),
        populations=("own_patients_only",) if accepts.startswith("existpt") else (),
        referral_notes=f"The directory says: {codes.ACCEPTING[accepts]}." if accepts else "",
        source_url=source,
        status="active",
        confidence_note=CONFIDENCE,
        origin="local",
        kind="therapist" if person_shown else "center",
        notes=f"FHIR {where}" + (f" at {found.site}" if found.site else ""),
    )
    center = _contacts(center, contacts, person or org, found)
    found.center = _positioned(center, obj(site or {}, "position"), found)
    found.closed = _closed(resource, who)
    if not found.problem and not provider and not service:
        found.problem = (
            "no name for it is in the file (no practitioner's, organization's or service's)"
        )
    return found


def _cleaned(values: dict[str, Any], found: Candidate) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in values.items():
        items = value if isinstance(value, tuple) else (value,)
        cleaned = []
        for item in items:
            tidy, stripped = clean_text(item)
            problem = text_problem(tidy, _words(key))
            found.problem = found.problem or problem
            if stripped:
                found.notes.append(f"control characters were removed from the {_words(key)}")
            cleaned.append(tidy)
        out[key] = tuple(c for c in cleaned if c) if isinstance(value, tuple) else cleaned[0]
    if problem := zip_problem(out["postal_code"], out["country"]):
        found.problem = found.problem or problem
    return out


def _words(key: str) -> str:
    return {"parent_system": "organization's name", "postal_code": "postal code"}.get(
        key, key.replace("_", " ")
    )


def _telecom(resources: list[Json | None], system: str) -> str:
    for value in _telecoms(resources, system):
        return value
    return ""


def _telecoms(resources: list[Json | None], system: str) -> list[str]:
    return [
        text(point, "value")
        for res in resources
        for point in objs(res or {}, "telecom")
        if text(point, "system") == system and text(point, "value")
    ]


def _contacts(center: Center, resources: list[Json | None], owner: Json | None, found: Candidate):
    """The first phone and fax that pass their check, and the NPI; the others are said."""
    numbers: dict[str, Any] = {}
    for key, check in (("phone", phone_problem), ("fax", fax_problem)):
        for value in _telecoms(resources, key):
            tidy = clean_text(value)[0]
            if problem := check(tidy):
                found.notes.append(f"{problem}: left out")
            elif key not in numbers:
                numbers[key] = tidy
    npis = [
        text(i, "value")
        for i in objs(owner or {}, "identifier")
        if text(i, "system") == NPI_SYSTEM and text(i, "value")
    ]
    for npi in npis:
        if problem := npi_problem(clean_text(npi)[0]):
            found.notes.append(f"{problem}: left out")
        else:
            numbers.setdefault("npi", npi.strip())
    return replace(center, **numbers)


def _positioned(center: Center, position: Json, found: Candidate) -> Center:
    """The site's position when it is a real one near its ZIP; else placed as a CSV row is."""
    raw = (position.get("latitude"), position.get("longitude"))
    lat, lat_problem = coordinate(raw[0], -90, 90, "latitude")
    lon, lon_problem = coordinate(raw[1], -180, 180, "longitude")
    problem = lat_problem or lon_problem
    if not problem and (lat is None) != (lon is None):
        problem = "the position has a latitude or a longitude but not both"
    if not problem and lat is not None and lon is not None:
        problem = position_problem(center, lat, lon)
    if problem:
        found.notes.append(f"position refused: {problem}; placed from its ZIP code or city instead")
    elif lat is not None:
        return replace(center, latitude=lat, longitude=lon, location_basis="building")
    return place(center)


def _closed(resource: Json, who: Parties) -> str:
    if why := codes.inactive(resource):
        return why
    for res, whose in (
        (who.org, "Organization"),
        (who.practitioner, "Practitioner"),
        (who.site, "Location"),
    ):
        if res is not None and (why := codes.inactive(res)):
            return f"its {whose} {label(res)} is {why}"
    return ""

"""A provider directory as a FHIR R4 Bundle -> the clinic's own list (National Directory /
Plan-Net shapes: Organization, Location with position, HealthcareService).

Which services are kept (docs/FHIR.md): a HealthcareService whose type, specialty or category
carries HL7 service-type 25 (Massage Therapy), NUCC 225700000X (Massage Therapist) or SNOMED CT
387854002, or whose name, codes' displays or texts, or comment say "massage" or "lymph(atic)
drainage". Every other entry is reported with the reason it was skipped. Plain dicts: no FHIR
library at run time. Nothing is written here; the store applies the plan in one transaction.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from referral_app.content.center_csv import ImportPlan, PlannedRow, key_of, same_content
from referral_app.domain.entities import Center
from referral_app.services.errors import InputError

MASSAGE_CODES = {
    ("http://terminology.hl7.org/CodeSystem/service-type", "25"),
    ("http://nucc.org/provider-taxonomy", "225700000X"),
    ("http://snomed.info/sct", "387854002"),
}
MASSAGE_WORDS = re.compile(r"massage|lymph(atic)?\s+drainage", re.IGNORECASE)
IMPORTED = "imported from "
READ_TYPES = ("Organization", "Location", "HealthcareService")


@dataclass(frozen=True, slots=True)
class Outcome:
    entry: int  # 1-based position in the Bundle
    resource: str  # Type/id
    action: str  # add | update | unchanged | used | skipped
    detail: str


@dataclass
class FhirImport:
    source: str  # "imported from FILE, DATE"
    plan: ImportPlan
    outcomes: list[Outcome] = field(default_factory=list)

    def report(self) -> list[str]:
        return [f"entry {o.entry} {o.resource}: {o.action}: {o.detail}" for o in self.outcomes]

    def note(self, entry: int, resource: str, action: str, detail: str) -> None:
        self.outcomes.append(Outcome(entry, resource, action, detail))

    def summary(self) -> str:
        skipped = sum(1 for o in self.outcomes if o.action == "skipped")
        return f"{self.plan.summary()}; {skipped} skipped"


def read_bundle(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror or exc}") from exc
    except (ValueError, UnicodeDecodeError) as exc:
        raise InputError(f"{path.name} is not JSON: {exc}") from exc
    if not isinstance(data, dict) or data.get("resourceType") != "Bundle":
        raise InputError(f"{path.name} is not a FHIR Bundle (resourceType must be Bundle)")
    if not isinstance(data.get("entry", []), list):
        raise InputError(f"{path.name}: Bundle.entry must be a list")
    return data


class _Index:
    """Resolve references by fullUrl, by Type/id, or by an absolute URL ending in Type/id."""

    def __init__(self, entries: list[dict[str, Any]]) -> None:
        self.by_key: dict[str, dict[str, Any]] = {}
        for entry in entries:
            res = entry.get("resource") or {}
            if entry.get("fullUrl"):
                self.by_key[entry["fullUrl"]] = res
            if res.get("resourceType") and res.get("id"):
                self.by_key[f"{res['resourceType']}/{res['id']}"] = res

    def get(self, ref: dict[str, Any] | None) -> dict[str, Any] | None:
        text = (ref or {}).get("reference", "")
        if text in self.by_key:
            return self.by_key[text]
        tail = "/".join(text.rstrip("/").split("/")[-2:])
        return self.by_key.get(tail)


def _concepts(service: dict[str, Any]) -> list[dict[str, Any]]:
    return [c for key in ("type", "specialty", "category") for c in service.get(key) or []]


def massage_services(service: dict[str, Any]) -> tuple[str, ...]:
    """Our service ids for a HealthcareService; () when it offers no massage (the rule above)."""
    words = [service.get("name", ""), service.get("comment", "")]
    coded = False
    for concept in _concepts(service):
        words.append(concept.get("text", ""))
        for coding in concept.get("coding") or []:
            words.append(coding.get("display", ""))
            coded |= (coding.get("system"), coding.get("code")) in MASSAGE_CODES
    text = " ".join(w for w in words if isinstance(w, str)).lower()
    if not coded and not MASSAGE_WORDS.search(text):
        return ()
    found = []
    if "oncology" in text and "massage" in text:
        found.append("oncology_massage")
    if re.search(r"lymph(atic)?\s+drainage", text):
        found.append("manual_lymphatic_drainage")
    if "medical massage" in text:
        found.append("medical_massage")
    if coded or re.search(r"massage", text):
        found.append("therapeutic_massage")
    return tuple(dict.fromkeys(found))


def _telecom(*resources: dict[str, Any] | None, system: str) -> str:
    for res in resources:
        for point in (res or {}).get("telecom") or []:
            if point.get("system") == system and point.get("value"):
                return str(point["value"])
    return ""


def _address(location: dict[str, Any] | None, org: dict[str, Any] | None) -> dict[str, Any]:
    if location and location.get("address"):
        return location["address"]
    return ((org or {}).get("address") or [{}])[0]


def to_center(service, location, org, source: str) -> Center:
    address = _address(location, org)
    position = (location or {}).get("position") or {}
    name = service.get("name") or (org or {}).get("name") or ""
    parent = (org or {}).get("name", "")
    return Center(
        id="",
        name=name.strip(),
        parent_system=parent if parent != name else "",
        street=", ".join(address.get("line") or []),
        city=address.get("city", ""), region=address.get("state", ""),
        postal_code=address.get("postalCode", ""), country=address.get("country", ""),
        latitude=position.get("latitude"), longitude=position.get("longitude"),
        phone=_telecom(service, location, org, system="phone"),
        website=_telecom(service, location, org, system="url"),
        services=massage_services(service),
        source_url=source,
        status="active",
        confidence_note="From a FHIR provider directory: confirm by phone before referring.",
        origin="local",
        location_basis="building" if position else "",
        notes=f"FHIR HealthcareService/{service.get('id', '?')}",
    )  # fmt: skip


def plan_fhir_import(bundle: dict[str, Any], existing: list[Center], source: str) -> FhirImport:
    """What importing ``bundle`` would change, with a line for every entry; writes nothing."""
    entries = bundle.get("entry") or []
    index = _Index(entries)
    result = FhirImport(source, ImportPlan(encoding="FHIR R4 JSON"))
    by_key = {key_of(c): c for c in existing}
    used: dict[int, list[str]] = {}
    seen: dict[tuple[str, str], str] = {}
    for number, entry in enumerate(entries, 1):
        res = entry.get("resource") or {}
        kind, name = (
            res.get("resourceType", "?"),
            f"{res.get('resourceType', '?')}/{res.get('id', '?')}",
        )
        if kind != "HealthcareService":
            continue
        reason = _skip_reason(res, index)
        if reason:
            result.outcomes.append(Outcome(number, name, "skipped", reason))
            continue
        location = next((index.get(r) for r in res.get("location") or [] if index.get(r)), None)
        org = index.get(res.get("providedBy")) or index.get((location or {}).get(
            "managingOrganization"))  # fmt: skip
        center = to_center(res, location, org, source)
        key = key_of(center)
        if key in seen:
            result.note(number, name, "skipped", f"same name and postal code as {seen[key]}")
            continue
        seen[key] = name
        row = _plan_row(number, center, by_key.get(key))
        result.plan.rows.append(row)
        result.outcomes.append(Outcome(number, name, row.action, _describe(center)))
        for linked in (location, org):
            if linked is not None:
                used.setdefault(id(linked), []).append(name)
    _report_others(entries, used, result)
    result.outcomes.sort(key=lambda o: o.entry)
    return result


def _skip_reason(service: dict[str, Any], index: _Index) -> str:
    if service.get("active") is False:
        return "marked inactive (active = false)"
    if not massage_services(service):
        offered = [c.get("text") or ", ".join(d.get("display") or d.get("code", "")
                                              for d in c.get("coding") or [])
                   for c in _concepts(service)]  # fmt: skip
        listed = "; ".join(o for o in offered if o) or "no type or specialty given"
        return f"offers no massage or lymphatic drainage ({listed})"
    if not (service.get("name") or (index.get(service.get("providedBy")) or {}).get("name")):
        return "has no name and no providing Organization with a name"
    return ""


def _plan_row(number: int, center: Center, old: Center | None) -> PlannedRow:
    if old is None:
        return PlannedRow(number, "add", center)
    kept = {k: getattr(old, k) for k in ("preferred", "kind", "accepted_insurances",
                                         "typical_wait")}  # fmt: skip
    merged = replace(center, id=old.id, **kept)
    action = "unchanged" if same_content(merged, old) else "update"
    return PlannedRow(number, action, merged, old.id)


def _describe(center: Center) -> str:
    where = ", ".join(p for p in (center.city, center.region) if p) or "no address"
    return f"{center.name} ({where}; {', '.join(center.services)})"


def _report_others(entries: list, used: dict[int, list[str]], result: FhirImport) -> None:
    for number, entry in enumerate(entries, 1):
        res = entry.get("resource") or {}
        kind = res.get("resourceType", "?")
        name = f"{kind}/{res.get('id', '?')}"
        if kind == "HealthcareService":
            continue
        if id(res) in used:
            users = ", ".join(used[id(res)])
            result.outcomes.append(Outcome(number, name, "used", f"details for {users}"))
        elif kind in READ_TYPES:
            result.note(number, name, "skipped", "no kept massage HealthcareService refers to it")
        else:
            result.note(number, name, "skipped", f"{kind} resources are not read")


def source_label(path: Path, today: dt.date | None = None) -> str:
    return f"{IMPORTED}{path.name}, {(today or dt.date.today()).isoformat()}"


def plan_file(path: Path, existing: list[Center], today: dt.date | None = None) -> FhirImport:
    return plan_fhir_import(read_bundle(path), existing, source_label(path, today))

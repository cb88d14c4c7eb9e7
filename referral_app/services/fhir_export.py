"""A referral as a FHIR R4 Bundle (plain dicts: the app needs no FHIR library to write one).

The Bundle (type ``collection``) holds a ServiceRequest for massage therapy, the Patient with only
what was typed for this referral, the requester (PractitionerRole, Practitioner and the practice
as Organization, from Settings) and the performer (the center as Organization, Location and
HealthcareService, with where its details came from). Codes and their sources: docs/FHIR.md.
Nothing here is stored: the file is written where the user chose, and only there.
"""

from __future__ import annotations

import json
import os
import uuid
from pathlib import Path
from typing import Any

from referral_app.domain.entities import Center, EvidenceLevel
from referral_app.domain.referral import Patient, Practice, Referral

SNOMED = "http://snomed.info/sct"
ICD10CM = "http://hl7.org/fhir/sid/icd-10-cm"
SERVICE_TYPE = "http://terminology.hl7.org/CodeSystem/service-type"
REFERRAL_ID_SYSTEM = "urn:referral-guide:referral-number"
PROVENANCE_EXT = "urn:referral-guide:fhir:extension:directory-provenance"
# SNOMED CT 387854002 (massage), and HL7's service-type 25 "Massage Therapy": see docs/FHIR.md.
MASSAGE_CODE = {
    "coding": [
        {"system": SNOMED, "code": "387854002"},
        {"system": SERVICE_TYPE, "code": "25", "display": "Massage Therapy"},
    ],
    "text": "Massage therapy",
}
CATEGORY = {"coding": [{"system": SNOMED, "code": "277132007",
                        "display": "Therapeutic procedure"}]}  # fmt: skip
PRIORITY = {"routine": "routine", "soon": "urgent", "urgent": "asap"}


def _ref(resource: dict[str, Any]) -> dict[str, str]:
    return {"reference": f"urn:uuid:{resource['id']}"}


def _new(resource_type: str, **fields: Any) -> dict[str, Any]:
    body = {k: v for k, v in fields.items() if v not in (None, "", [], {})}
    return {"resourceType": resource_type, "id": str(uuid.uuid4()), **body}


def _phone(number: str) -> list[dict[str, str]]:
    return [{"system": "phone", "value": number}] if number else []


def patient_resource(patient: Patient) -> dict[str, Any]:
    """Only what was typed for this referral; an empty Patient when nothing was."""
    return _new(
        "Patient",
        name=[{"text": patient.name}] if patient.name else None,
        birthDate=patient.dob or None,
        telecom=_phone(patient.phone),
        communication=[{"language": {"text": patient.language}}] if patient.language else None,
    )


def center_address(center: Center) -> dict[str, Any]:
    address = {
        "line": [center.street] if center.street else None,
        "city": center.city, "state": center.region, "postalCode": center.postal_code,
        "country": center.country,
    }  # fmt: skip
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


def performer_resources(center: Center) -> list[dict[str, Any]]:
    """Organization, Location (with position) and HealthcareService for the center."""
    provenance = [{"url": PROVENANCE_EXT, "valueString": provenance_text(center)}]
    address = center_address(center)
    org = _new("Organization", name=center.parent_system or center.name,
               telecom=_phone(center.phone), address=[address] if address else None,
               extension=provenance)  # fmt: skip
    position = None
    if center.latitude is not None and center.longitude is not None:
        position = {"latitude": center.latitude, "longitude": center.longitude}
    location = _new("Location", name=center.name, address=address or None,
                    position=position, telecom=_phone(center.phone),
                    managingOrganization=_ref(org))  # fmt: skip
    service = _new(
        "HealthcareService",
        providedBy=_ref(org),
        name=center.name,
        type=[{"coding": [MASSAGE_CODE["coding"][1]], "text": "Massage therapy"}],
        specialty=[{"text": s} for s in center.services],
        location=[_ref(location)],
        telecom=_phone(center.phone)
        + ([{"system": "url", "value": center.website}] if center.website else []),  # fmt: skip
        comment=provenance_text(center),
        extension=provenance,
    )
    return [org, location, service]


def requester_resources(practice: Practice) -> list[dict[str, Any]]:
    """PractitionerRole -> Practitioner + Organization (the practice), from Settings."""
    org = _new("Organization", name=practice.name or None, telecom=_phone(practice.phone),
               address=[{"text": practice.address}] if practice.address else None)  # fmt: skip
    if not practice.clinician:
        return [org]
    qualification = [{"code": {"text": practice.credentials}}] if practice.credentials else None
    person = _new("Practitioner", name=[{"text": practice.clinician}],
                  qualification=qualification)  # fmt: skip
    role = _new("PractitionerRole", practitioner=_ref(person), organization=_ref(org))
    return [role, person, org]


def _notes(referral: Referral, evidence: EvidenceLevel | None) -> list[dict[str, str]]:
    rec = referral.recommendation
    grade = evidence.label if evidence else rec.condition.evidence_level
    notes = [f"Evidence for massage in {rec.condition.name}: {grade}. Recommendation: "
             f"{rec.label}."]  # fmt: skip
    if rec.condition.advised_against:
        notes.append("Not advised: guidelines advise against massage for this purpose ("
                     f"{'; '.join(rec.condition.advice_sources)}).")  # fmt: skip
    if referral.override_defer:
        notes.append("Prepared against the recommendation with the referring clinician's "
                     f"reason: {referral.override_defer}")  # fmt: skip
    notes += [f"Precaution: {p.text}" for p in rec.precautions]
    notes += [f"Screen: {flag.label} (answered yes)" for flag in rec.present]
    notes += [f"Not asked: {u}" for u in rec.unknowns]
    return [{"text": text} for text in notes]


def referral_bundle(
    referral: Referral, evidence: EvidenceLevel | None = None, content: str = ""
) -> dict[str, Any]:
    """The whole referral as a FHIR R4 Bundle (a JSON-ready dict)."""
    rec = referral.recommendation
    patient = patient_resource(referral.patient)
    requester = requester_resources(referral.practice)
    performer = performer_resources(referral.center)
    request = _new(
        "ServiceRequest",
        identifier=[{"system": REFERRAL_ID_SYSTEM, "value": referral.number}],
        status="active",
        intent="order",
        category=[CATEGORY],
        priority=PRIORITY.get(referral.urgency, "routine"),
        code=MASSAGE_CODE,
        subject=_ref(patient),
        authoredOn=referral.date.isoformat(),
        requester=_ref(requester[0]),
        performer=[_ref(performer[2])],
        locationReference=[_ref(performer[1])],
        reasonCode=[
            {
                "coding": [{"system": ICD10CM, "code": code} for code in rec.condition.icd10],
                "text": rec.condition.name,
            }
        ],  # fmt: skip
        note=_notes(referral, evidence)
        + ([{"text": f"Prepared with {content}."}] if content else []),  # fmt: skip
    )
    resources = [request, patient, *requester, *performer]
    return {
        "resourceType": "Bundle",
        "id": str(uuid.uuid4()),
        "type": "collection",
        "timestamp": f"{referral.date.isoformat()}T00:00:00Z",
        "entry": [{"fullUrl": f"urn:uuid:{r['id']}", "resource": r} for r in resources],
    }


def bundle_for(store, referral: Referral) -> dict[str, Any]:
    """The Bundle for a referral built against ``store`` (its evidence scale and content)."""
    from referral_app.services.reference_data import content_of

    levels = {lvl.id: lvl for lvl in store.evidence_levels()}
    evidence = levels.get(referral.recommendation.condition.evidence_level)
    return referral_bundle(referral, evidence, content_of(store).label)


def write_bundle(path: Path, bundle: dict[str, Any]) -> Path:
    """Write the JSON atomically (a temporary name beside it, then renamed)."""
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    try:
        with tmp.open("w", encoding="utf-8") as fh:
            json.dump(bundle, fh, ensure_ascii=False, indent=2)
            fh.write("\n")
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return path

"""Checks on FHIR JSON that tests share: validation with fhir.resources (R4B models) and the parts
of US Core's ServiceRequest profile that can be checked without a terminology server."""

from __future__ import annotations

from typing import Any

from fhir.resources.R4B import get_fhir_model_class
from fhir.resources.R4B.bundle import Bundle

SERVICE_REQUEST_STATUS = {"draft", "active", "on-hold", "revoked", "completed",
                          "entered-in-error", "unknown"}  # fmt: skip
SERVICE_REQUEST_INTENT = {"proposal", "plan", "directive", "order", "original-order",
                          "reflex-order", "filler-order", "instance-order", "option"}  # fmt: skip


def validate_bundle(data: dict[str, Any]) -> Bundle:
    """Every entry against its own R4B model, then the Bundle as a whole."""
    for entry in data["entry"]:
        resource = entry["resource"]
        get_fhir_model_class(resource["resourceType"]).model_validate(resource)
    return Bundle.model_validate(data)


def by_url(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {entry["fullUrl"]: entry["resource"] for entry in data["entry"]}


def resources(data: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [e["resource"] for e in data["entry"] if e["resource"]["resourceType"] == kind]


def us_core_service_request_problems(data: dict[str, Any]) -> list[str]:
    """US Core ServiceRequest (6.1/7.0): status, intent, category, code, subject (a Patient),
    authoredOn, requester (a practitioner, role or organization); references resolve."""
    problems = []
    index = by_url(data)
    for request in resources(data, "ServiceRequest"):
        if request.get("status") not in SERVICE_REQUEST_STATUS:
            problems.append("status missing or not a ServiceRequest status")
        if request.get("intent") not in SERVICE_REQUEST_INTENT:
            problems.append("intent missing or not a ServiceRequest intent")
        if not request.get("category"):
            problems.append("category missing")
        if not request.get("code", {}).get("coding"):
            problems.append("code has no coding")
        subject = index.get(request.get("subject", {}).get("reference", ""))
        if not subject or subject["resourceType"] != "Patient":
            problems.append("subject does not resolve to a Patient in the Bundle")
        if not request.get("authoredOn"):
            problems.append("authoredOn missing")
        requester = index.get(request.get("requester", {}).get("reference", ""))
        if not requester or requester["resourceType"] not in (
            "Practitioner", "PractitionerRole", "Organization"
        ):  # fmt: skip
            problems.append("requester does not resolve to a practitioner or organization")
    problems += _dangling(data, index)
    return problems


def _dangling(node: Any, index: dict[str, Any]) -> list[str]:
    if isinstance(node, dict):
        found = []
        ref = node.get("reference")
        if isinstance(ref, str) and ref.startswith("urn:uuid:") and ref not in index:
            found.append(f"dangling reference {ref}")
        for value in node.values():
            found += _dangling(value, index)
        return found
    if isinstance(node, list):
        return [p for item in node for p in _dangling(item, index)]
    return []

"""Checks on FHIR JSON that tests share: validation with fhir.resources (R4B models) and the parts
of US Core's ServiceRequest profile that can be checked without a terminology server."""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from fhir.resources.R4B import get_fhir_model_class
from fhir.resources.R4B.bundle import Bundle

US_CORE = "http://hl7.org/fhir/us/core/CodeSystem/us-core-category"
# US Core ServiceRequest Category Codes (6.1.0, 7.0.0): every us-core-category code, SNOMED CT
# 386053000 and 410606002, and the R4 servicerequest-category codes
US_CORE_SR_CATEGORY = {
    ("http://snomed.info/sct", code)
    for code in (
        "386053000",
        "410606002",
        "108252007",
        "363679005",
        "409063005",
        "409073007",
        "387713003",
    )
}
SERVICE_REQUEST_STATUS = {
    "draft",
    "active",
    "on-hold",
    "revoked",
    "completed",
    "entered-in-error",
    "unknown",
}
SERVICE_REQUEST_INTENT = {
    "proposal",
    "plan",
    "directive",
    "order",
    "original-order",
    "reflex-order",
    "filler-order",
    "instance-order",
    "option",
}


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
        if not any(
            (c.get("system"), c.get("code")) in US_CORE_SR_CATEGORY or c.get("system") == US_CORE
            for category in request.get("category", [])
            for c in category.get("coding", [])
        ):
            problems.append("category: no coding from US Core ServiceRequest Category Codes")
        if not request.get("code", {}).get("coding"):
            problems.append("code has no coding")
        subject = index.get(request.get("subject", {}).get("reference", ""))
        if not subject or subject["resourceType"] != "Patient":
            problems.append("subject does not resolve to a Patient in the Bundle")
        if not request.get("authoredOn"):
            problems.append("authoredOn missing")
        if "requester" in request:  # 0..1; the must-support target is US Core Practitioner
            requester = index.get(request["requester"].get("reference", ""))
            if not requester or requester["resourceType"] != "Practitioner":
                problems.append("requester does not resolve to a Practitioner in the Bundle")
    problems += _dangling(data, index)
    return problems


def us_core_problems(data: dict[str, Any]) -> list[str]:
    """interop.md section 2's US Core must-support checks beyond the ServiceRequest (US Core
    6.1/7.0 Practitioner and Organization), and no resource written empty."""
    problems = us_core_service_request_problems(data)
    for person in resources(data, "Practitioner"):
        if not person.get("identifier"):
            problems.append("Practitioner: no identifier (US Core: 1..*, an NPI)")
        for name in person.get("name", []) or [{}]:
            if not name.get("family"):
                problems.append("Practitioner: a name without family (US Core: 1..1)")
    for org in resources(data, "Organization"):
        if org.get("active") is not True or not org.get("name"):
            problems.append(f"Organization {org.get('name')!r}: active and name are 1..1")
    for entry in data["entry"]:
        if set(entry["resource"]) <= {"resourceType", "id", "meta"}:
            problems.append(f"an empty {entry['resource']['resourceType']}")
    for request in resources(data, "ServiceRequest"):
        if any(len(reason.get("coding", [])) != 1 for reason in request.get("reasonCode", [])):
            problems.append("reasonCode: one CodeableConcept per diagnosis")
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


# -- every FHIR R4 invariant, evaluated by a FHIRPath engine ------------------------------------
CONSTRAINTS = Path(__file__).parent / "data" / "fhir-r4-constraints.json"


@cache
def _definitions() -> dict[str, Any]:
    return json.loads(CONSTRAINTS.read_text("utf-8"))


@dataclass
class InvariantReport:
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    evaluated: set[str] = field(default_factory=set)  # constraint keys evaluated at least once
    checks: int = 0  # constraint evaluations (one per constraint per element instance)


def _has_value(inputs: list[Any]) -> list[bool]:
    """FHIRPath hasValue(), which fhirpathpy 2.2 does not implement: true for one primitive
    with a value (a JSON object is a complex element: it has children, not a value)."""
    return [len(inputs) == 1 and inputs[0] is not None and not isinstance(inputs[0], dict)]


OPTIONS = {
    "userInvocationTable": {"hasValue": {"fn": _has_value, "arity": {0: []}}},
    "traceFn": lambda label, value: None,  # bdl-7 and dom-3 trace(): no printing
}
SKIP_TYPES = {"Element", "BackboneElement", "Resource", "DomainResource"}  # listed in place


def _children(nodes: list[Any], name: str) -> list[Any]:
    found: list[Any] = []
    for node in nodes:
        value = node.get(name) if isinstance(node, dict) else None
        found += value if isinstance(value, list) else [] if value is None else [value]
    return found


def r4_invariants(bundle: dict[str, Any]) -> InvariantReport:
    """Every constraint of the R4 (4.0.1) core definitions (tests/make_fhir_r4_constraints.py)
    evaluated with fhirpathpy on the Bundle and on each resource in it, descending into the
    data types the elements hold (Identifier, HumanName, Reference, Extension, ...). Elements
    are found by walking the JSON along each element's path; each constraint's expression is
    evaluated by the engine on every instance (fhirpathpy annotates what it reads: a copy)."""
    from fhirpathpy.models import models

    bundle = copy.deepcopy(bundle)
    report = InvariantReport()
    model = models["r4"]
    _check(bundle, "Bundle", "Bundle", bundle, report, model)
    for i, entry in enumerate(bundle.get("entry", [])):
        resource = entry["resource"]
        where = f"Bundle.entry[{i}].resource({resource['resourceType']})"
        _check(resource, resource["resourceType"], where, resource, report, model)
    return report


def _check(
    node: dict[str, Any], type_name: str, where: str, root: dict[str, Any], report, model
) -> None:
    from fhirpathpy import evaluate

    env = {"resource": root, "rootResource": root}
    for element in _definitions()[type_name]["elements"]:
        steps = element["path"].split(".")[1:]
        if steps and steps[-1].endswith("[x]"):
            continue  # a choice: its only constraint is ele-1, and our choices are primitives
        found = [node]
        for step in steps:
            found = _children(found, step)
        objects = [n for n in found if isinstance(n, dict)]
        path = ".".join(steps) or "(root)"
        # the engine types each instance by its base: an element of one data type is that type
        # (so Extension.value[x] resolves), a backbone element is its path
        kinds = [k for k in element["types"] if k not in SKIP_TYPES]
        base = kinds[0] if steps and len(element["types"]) == 1 and kinds else element["path"]
        for constraint in element["constraints"]:
            for instance in objects:
                report.checks += 1
                report.evaluated.add(constraint["key"])
                try:
                    expression = {"base": base, "expression": constraint["expression"]}
                    result = evaluate(instance, expression, env, model, OPTIONS)
                except Exception as exc:  # noqa: BLE001 - reported as a failure to evaluate
                    result = [f"could not evaluate: {exc!r}"]
                if result != [True]:
                    line = f"{where}.{path}: {constraint['key']} failed: {constraint['human']} "
                    line += f"[{constraint['expression']}] -> {result}"
                    target = report.errors if constraint["severity"] == "error" else report.warnings
                    target.append(line)
        for kind in element["types"]:
            spec = _definitions().get(kind)
            if steps and kind not in SKIP_TYPES and spec and spec["kind"] == "complex-type":
                for instance in objects:
                    _check(instance, kind, f"{where}.{path}", root, report, model)

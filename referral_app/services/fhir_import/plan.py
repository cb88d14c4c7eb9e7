"""What importing a FHIR directory would change, with a line for every resource; writes nothing
(the store applies the plan in one transaction).

Kept: every HealthcareService and PractitionerRole that offers massage (codes.py), one entry per
site. Not offered (and counted in the summary): a resource, its Organization, Practitioner or
site marked inactive; an entry imported before that is now inactive is closed. A
HealthcareService without ``providedBy`` takes its Location's managing Organization.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from referral_app.content.center_csv import ImportPlan, PlannedRow
from referral_app.content.import_plan import key_of, same_content
from referral_app.domain.center import Center
from referral_app.services.errors import InputError
from referral_app.services.fhir_import import codes
from referral_app.services.fhir_import.reading import Directory, Entry
from referral_app.services.fhir_import.references import Index
from referral_app.services.fhir_import.shapes import Json, ShapeError, label, obj, objs, text
from referral_app.services.fhir_import.sites import Candidate, Parties, candidate

KEPT_TYPES = ("HealthcareService", "PractitionerRole")
USED_TYPES = ("Organization", "Location", "Practitioner")
KEPT_FIELDS = ("preferred", "kind", "accepted_insurances", "typical_wait")  # the clinic's own


@dataclass(frozen=True, slots=True)
class Outcome:
    order: int  # the entry's position over every file
    where: str  # "entry 5", "line 3", "Location.ndjson line 3"
    resource: str  # Type/id
    action: str  # add | update | unchanged | used | skipped | note
    detail: str
    inactive: bool = False  # skipped because the directory marks it inactive


@dataclass
class FhirImport:
    source: str  # "imported from FILE, DATE"
    plan: ImportPlan
    outcomes: list[Outcome] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def report(self) -> list[str]:
        lines = [f"warning: {w}" for w in self.warnings]
        return lines + [f"{o.where} {o.resource}: {o.action}: {o.detail}" for o in self.outcomes]

    def summary(self) -> str:
        skipped = sum(1 for o in self.outcomes if o.action == "skipped")
        inactive = sum(1 for o in self.outcomes if o.inactive)
        closed = f" ({inactive} inactive: not offered)" if inactive else ""
        return f"{self.plan.summary()}; {skipped} skipped{closed}"


class _Planner:
    def __init__(self, directory: Directory, existing: list[Center], source: str) -> None:
        self.index = Index(directory.entries)
        self.source = source
        self.result = FhirImport(source, ImportPlan("FHIR R4"), warnings=list(directory.warnings))
        self.by_key = {key_of(c): c for c in existing}
        self.by_note = {c.notes: c for c in existing if c.notes.startswith("FHIR ")}
        self.seen: dict[tuple[str, str], str] = {}
        self.used: dict[int, list[str]] = {}

    def note(self, entry: Entry, name: str, action: str, detail: str, inactive=False) -> None:
        self.result.outcomes.append(
            Outcome(entry.order, entry.where, name, action, detail, inactive)
        )

    def resource(self, entry: Entry) -> None:
        res, name = entry.resource, label(entry.resource, entry.full_url)
        if not codes.massage_services(res):
            offered = codes.offered_words(res)
            self.note(
                entry, name, "skipped", f"offers no massage or lymphatic drainage ({offered})"
            )
            return
        index = self.index
        kind = res["resourceType"]
        org_ref = obj(res, "providedBy" if kind == "HealthcareService" else "organization")
        org = index.get(org_ref, res, "Organization")
        person = index.get(obj(res, "practitioner"), res, "Practitioner")
        sites, missing = index.all(objs(res, "location"), res, "Location")
        if not sites and kind == "PractitionerRole":  # the sites of the services it works in
            services, _ = index.all(objs(res, "healthcareService"), res, "HealthcareService")
            sites = [
                s for hs in services for s in index.all(objs(hs, "location"), hs, "Location")[0]
            ]
        for ref in missing:
            self.note(entry, name, "note", f"its Location {ref} is not in the file")
        every: list[Json | None] = list(sites) or [None]
        for site in every:
            owner = org
            if owner is None and site is not None:  # no providedBy: the site's organization
                owner = index.get(obj(site, "managingOrganization"), site, "Organization")
            shown = (text(obj(res, "practitioner"), "display"), text(org_ref, "display"))
            who = Parties(owner, person, site, len(sites) > 1, shown)
            self.plan(entry, name, candidate(res, name, who, self.source))
            for linked in (owner, person, site):
                if linked is not None:
                    self.used.setdefault(id(linked), []).append(name)

    def plan(self, entry: Entry, name: str, found: Candidate) -> None:
        at = f"at {found.site}: " if found.site else ""
        for line in found.notes:
            self.note(entry, name, "note", at + line)
        if found.problem:
            self.note(entry, name, "skipped", f"{at}not imported: {found.problem}")
            return
        center = found.center
        key = key_of(center)
        old = self.by_key.get(key) or self.by_note.get(center.notes)
        if found.closed:
            self.close(entry, name, at, found, old)
            return
        if key in self.seen:
            self.note(entry, name, "skipped", f"{at}same name and postal code as {self.seen[key]}")
            return
        self.seen[key] = name
        row = _plan_row(entry.order, center, old)
        self.result.plan.rows.append(row)
        self.note(entry, name, row.action, _describe(row.center))

    def close(self, entry: Entry, name: str, at: str, found: Candidate, old: Center | None):
        """Inactive: not offered; an entry imported before is closed, with the reason."""
        if old is None or old.status == "closed":
            self.note(entry, name, "skipped", f"{at}{found.closed}: not offered", inactive=True)
            return
        why = f"the directory marks it inactive ({found.closed}); {self.source}"
        row = PlannedRow(
            entry.order, "update", replace(old, status="closed", status_note=why), old.id
        )
        self.result.plan.rows.append(row)
        self.note(entry, name, "update", f"{at}{old.name}: closed, {found.closed}", inactive=True)

    def others(self, entries: list[Entry]) -> None:
        for entry in entries:
            res = entry.resource
            kind, name = res.get("resourceType", ""), label(res, entry.full_url)
            if kind in KEPT_TYPES:
                continue
            if not res:
                self.note(entry, name, "skipped", "the entry holds no resource")
            elif id(res) in self.used:
                users = ", ".join(dict.fromkeys(self.used[id(res)]))
                self.note(entry, name, "used", f"details for {users}")
            elif kind in USED_TYPES:
                self.note(
                    entry,
                    name,
                    "skipped",
                    "no kept massage HealthcareService or PractitionerRole refers to it",
                )
            else:
                self.note(entry, name, "skipped", f"{kind} resources are not read")


def plan_directory(directory: Directory, existing: list[Center], source: str) -> FhirImport:
    """What importing ``directory`` would change, with a line for every entry; writes nothing.
    A resource of an unexpected shape raises InputError naming the entry and the element."""
    planner = _Planner(directory, existing, source)
    for entry in directory.entries:
        if entry.resource.get("resourceType") not in KEPT_TYPES:
            continue
        name = label(entry.resource, entry.full_url)
        try:
            planner.resource(entry)
        except ShapeError as exc:
            raise InputError(f"{entry.where} {name}: {exc}") from exc
        except (AttributeError, TypeError, KeyError, ValueError) as exc:  # a shape not foreseen
            raise InputError(
                f"{entry.where} {name}: an element is not of the shape FHIR R4 "
                f"gives it ({type(exc).__name__}: {exc})"
            ) from exc
    planner.others(directory.entries)
    planner.result.outcomes.sort(key=lambda o: o.order)
    return planner.result


def _plan_row(number: int, center: Center, old: Center | None) -> PlannedRow:
    if old is None:
        return PlannedRow(number, "add", center)
    kept = {k: getattr(old, k) for k in KEPT_FIELDS}
    merged = replace(center, id=old.id, **kept)
    action = "unchanged" if same_content(merged, old) else "update"
    return PlannedRow(number, action, merged, old.id)


def _describe(center: Center) -> str:
    where = ", ".join(p for p in (center.city, center.region) if p) or "no address"
    return f"{center.name} ({where}; {', '.join(center.services)})"

"""When no listed center is within reach: say so first, and give the routes that work anywhere.

Both faces call :func:`outlook`: the CLI prints its headline and routes before the list, the
picker shows them above it (and pre-selects nothing), and the sheets print them where the
center would go. Each route names its source and that source's date (data/licensing_boards.toml).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from referral_app.db.local_box import LocalBox
from referral_app.db.reference import ReferenceStore
from referral_app.domain.center import Center, ClinicCheck
from referral_app.domain.eligibility import PatientGroups, patient_groups
from referral_app.domain.entities import Condition
from referral_app.domain.flags import Flag
from referral_app.domain.matching import FIT_NOT_FOR, Location, Match, RankPolicy, distance_text
from referral_app.domain.needs import needed_services
from referral_app.domain.routes import REGULATION, Board, Locator, Route
from referral_app.services.destinations import match_centers

CLINIC_LIST = "the clinic's list"


@dataclass(frozen=True)
class Outlook:
    """The ranked destinations and, when none is within reach, what to do instead."""

    matches: list[Match]
    where: Location | None = None
    policy: RankPolicy = field(default_factory=RankPolicy)
    routes: list[Route] = field(default_factory=list)

    @property
    def nothing_near(self) -> bool:
        """The patient's place is known and no listed center for this patient is within reach."""
        return self.where is not None and not any(
            m.within_reach and m.fit != FIT_NOT_FOR for m in self.matches
        )

    def headline(self) -> str:
        """'No listed center is within 50 km of ZIP 59801 (Missoula, MT).' ('' when one is)."""
        if not self.nothing_near or self.where is None:
            return ""
        reach = distance_text(self.policy.reach_km, self.policy.units)
        some = any(m.within_reach for m in self.matches)
        what = "that is for this patient " if some else ""
        first = f"No listed center {what}is within {reach} of {self.where.label}"
        named = [r.title for r in self.routes if r.confirmed and r.kind in ("board", "oncology")]
        return f"{first}: try {' and '.join(named)} (below)." if named else f"{first}."

    # A finder used to return the ranked list: an Outlook still reads as one (scripts and tests).
    def __getitem__(self, index: int) -> Match:
        return self.matches[index]

    def __len__(self) -> int:
        return len(self.matches)

    def reach_ends_after(self) -> int | None:
        """How many rows are within reach (the line where reach ends), when a place is given."""
        if self.where is None:
            return None
        return sum(1 for m in self.matches if m.within_reach)


def board_route(board: Board | None, state: str) -> Route:
    if board is None or not board.confirmed:
        name = board.state_name if board is not None else (state or "the patient's state")
        return Route(
            f"{name}: massage therapy board",
            "not confirmed here: find the state's board in the FSMTB list of member boards "
            "and check the therapist's license there",
            confirmed=False,
            kind="board",
        )
    if board.regulates in ("none", "voluntary"):
        return Route(
            f"{board.state_name}: {REGULATION[board.regulates]}",
            "a license cannot be checked there; look for board certification (NCBTMB, below)"
            + (f"; {board.note}" if board.note else ""),
            board.url,
            board.source,
            board.date,
            kind="board",
        )
    look = board.lookup_url or board.url
    how = "license look-up" if board.lookup_url else "the board's site (its license look-up)"
    if not look:
        how = "the board (its own site was not found here: ask the state's licensing office)"
    return Route(
        board.name,
        f"{board.state_name} {REGULATION[board.regulates]}: check the therapist on {how}",
        look,
        board.source,
        board.date,
        kind="board",
    )


def locator_route(locator: Locator) -> Route:
    return Route(
        locator.name,
        locator.what,
        locator.url,
        locator.source,
        locator.date,
        locator.confirmed,
        kind=locator.serves if locator.serves != "any" else "locator",
    )


def routes_for(
    store: ReferenceStore,
    state: str,
    local_count: int,
    needs: list[str],
    patient: PatientGroups,
) -> list[Route]:
    """The clinic's own therapists, the state's board, oncology and national locators, the VA."""
    own = (
        f"{local_count} on the clinic's list: ask them first"
        if local_count
        else "none listed yet: add the therapists the clinic works with under Network"
    )
    routes = [Route("The clinic's own therapists", own, source=CLINIC_LIST, kind="clinic")]
    routes.append(board_route(store.board_for(state) if state else None, state))
    # for a patient who has or may have cancer (not for a referral known to be for another problem)
    oncology = "oncology_massage" in needs or patient.cancer is not False
    locators = store.locators()
    if oncology:
        routes += [locator_route(loc) for loc in locators if loc.serves == "oncology"]
    routes += [locator_route(loc) for loc in locators if loc.serves == "any"]
    routes += [locator_route(loc) for loc in locators if loc.serves == "veterans"]
    return routes


def outlook(
    store: ReferenceStore,
    local: list[Center],
    condition: Condition | None,
    flags: list[Flag],
    where: Location | None,
    limit: int = 10,
    checks: dict[str, ClinicCheck] | None = None,
    policy: RankPolicy | None = None,
    local_box: LocalBox | None = None,
) -> Outlook:
    """The ranked destinations; when none is within reach, the routes that work anywhere.
    (``local_box``: a long clinic list read by place, as ``match_centers`` takes it.)"""
    policy = policy or RankPolicy()
    matches = match_centers(store, local, condition, flags, where, limit, checks, policy, local_box)
    found = Outlook(matches, where, policy)
    if not found.nothing_near or where is None:
        return found
    needs = needed_services(condition, flags)
    patient = patient_groups(condition, flags)
    listed = local_box.count() if local_box is not None else len(local)  # not only those read
    routes = routes_for(store, where.region, listed, needs, patient)
    return replace(found, routes=routes)


def reach_note(found: Outlook | None, center_id: str) -> tuple[str, ...]:
    """What the sheets print where the center goes when it is not within reach for this patient:
    the sentence first, then each route that has an address ("title: URL"); () otherwise."""
    if found is None or found.where is None:
        return ()
    match = next((m for m in found.matches if m.center.id == center_id), None)
    if match is not None and match.within_reach and match.fit != FIT_NOT_FOR:
        return ()
    reach = distance_text(found.policy.reach_km, found.policy.units)
    head = found.headline() or f"This center is not within {reach} of {found.where.label}."
    if match is not None and match.distance_km is not None:
        head += f" The one chosen is {distance_text(match.distance_km, found.policy.units)} away."
    return (head, *(f"{r.title}: {r.url}" for r in found.routes if r.url and r.confirmed))

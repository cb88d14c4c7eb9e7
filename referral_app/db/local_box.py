"""The clinic's own entries read by place, for ranking a long list (an all-states NPPES import
holds hundreds of thousands): the few that are always scored whole (not placed, checked or
marked verified by the clinic, preferred near the patient) and, for the rest, the distinct
profiles (what decides fit) and then the entries of the fitting ones near the patient, from the
index ``idx_local_centers_profile`` (``services/local_nearest.py`` decides what to read). The same
reads on this computer's file and on the shared PostgreSQL database.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from referral_app.db.center_rows import center_from_row
from referral_app.db.clinic_schema import PROFILE
from referral_app.domain.center import Center

_UNPLACED = "retired = 0 AND latitude IS NULL"
# Marked verified with a date: the clinic's check of that day (provenance.own_check).
_VERIFIED = "retired = 0 AND verified = 1 AND last_verified > ''"
_BOX = "retired = 0 AND latitude BETWEEN {m} AND {m} AND longitude BETWEEN {m} AND {m}"
# The distinct profiles of the entries offered, one index step each (a skip scan, in one query).
_NEXT = (
    f"SELECT {PROFILE} FROM local_centers WHERE retired = 0 AND {PROFILE} > p.v "  # noqa: S608
    f"ORDER BY {PROFILE} LIMIT 1"
)
_PROFILES = f"""WITH RECURSIVE p(v) AS (
    SELECT MIN({PROFILE}) FROM local_centers WHERE retired = 0
    UNION ALL SELECT ({_NEXT}) FROM p WHERE p.v IS NOT NULL
) SELECT v FROM p WHERE v IS NOT NULL"""


class LocalBox:
    """What ranking asks of a store, over ``local_centers``. ``rows(sql, params)`` runs a SELECT
    and returns dict rows; ``mark`` is the driver's placeholder (? or %s)."""

    def __init__(
        self, rows: Callable[[str, list[Any]], Iterable[Any]], mark: str, collate: str = ""
    ) -> None:
        # collate: what makes ORDER BY compare text as Python does (PostgreSQL: COLLATE "C")
        self._rows, self._mark, self._collate = rows, mark, collate
        self._brief: dict[str, Center] = {}  # read in this search (the box grows around it)

    def whole(self, checked: Iterable[str]) -> list[Center]:
        """Unplaced entries and those the clinic checked or marked verified (a check may make
        them verified, and may move them). The preferred ones near the patient:
        :meth:`preferred_in`."""
        self._brief = {}  # a new search
        found: dict[str, Any] = {}
        for where in (_UNPLACED, _VERIFIED):
            sql = f"SELECT * FROM local_centers WHERE {where}"  # noqa: S608
            found.update({r["id"]: r for r in self._rows(sql, [])})
        ids = [i for i in checked if i not in found]
        for start in range(0, len(ids), 500):
            part = ids[start : start + 500]
            marks = ", ".join([self._mark] * len(part))
            sql = f"SELECT * FROM local_centers WHERE retired = 0 AND id IN ({marks})"  # noqa: S608
            found.update({r["id"]: r for r in self._rows(sql, part)})
        return [center_from_row(dict(r), "local") for r in found.values()]

    def preferred_in(self, box: tuple[float, float, float, float]) -> list[Center]:
        """The clinic's preferred entries in the box (around the reach: beyond it a preferred
        entry ranks as any other, by distance, and is read by place with the rest)."""
        sql = f"SELECT * FROM local_centers WHERE {_BOX.format(m=self._mark)} AND preferred = 1"  # noqa: S608
        rows = [r for half in _halves(box) for r in self._rows(sql, list(half))]
        return [center_from_row(dict(r), "local") for r in rows]

    def count(self) -> int:
        """How many entries are offered."""
        rows = list(self._rows("SELECT COUNT(*) AS n FROM local_centers WHERE retired = 0", []))
        return int(rows[0]["n"])

    def longer_than(self, n: int) -> bool:
        """More than ``n`` entries offered (a cheap read: it stops at the n+1st)."""
        sql = f"SELECT 1 AS one FROM local_centers WHERE retired = 0 LIMIT 1 OFFSET {int(n)}"  # noqa: S608
        return bool(list(self._rows(sql, [])))

    def profiles(self) -> list[str]:
        """The distinct profiles (``clinic_schema.PROFILE``) of the entries offered."""
        return [row["v"] for row in self._rows(_PROFILES, [])]

    def profile_rows(
        self, box: tuple[float, float, float, float], profiles: list[str]
    ) -> list[Center]:
        """Brief records of the placed entries with one of ``profiles`` in (min_lat, max_lat,
        min_lon, max_lon); a box across the 180th meridian is read as its two halves."""
        if not profiles:
            return []
        sql = self._profile_sql(", ".join(_BRIEF), profiles)
        seen = self._brief
        out = []
        for part in _halves(box):
            for row in self._rows(sql, [*part, *profiles]):
                center = seen.get(row["id"])
                if center is None:
                    center = seen[row["id"]] = _brief(row)
                out.append(center)
        return out

    def count_in(self, box: tuple[float, float, float, float], profiles: list[str]) -> int:
        """How many entries with one of ``profiles`` are in the box (read from the index)."""
        sql, n = self._profile_sql("COUNT(*) AS n", profiles), 0
        for part in _halves(box):
            n += int(next(iter(self._rows(sql, [*part, *profiles])))["n"])
        return n

    def spots(
        self, box: tuple[float, float, float, float], profiles: list[str]
    ) -> list[tuple[float, float, int]]:
        """(latitude, longitude, entries there) of the places in the box where entries with one
        of ``profiles`` are (an import places many at the same ZIP code centre); from the index."""
        sql = self._profile_sql("latitude, longitude, COUNT(*) AS n", profiles)
        sql += " GROUP BY latitude, longitude"
        out = []
        for part in _halves(box):
            rows = self._rows(sql, [*part, *profiles])
            out += [(r["latitude"], r["longitude"], int(r["n"])) for r in rows]
        return out

    def at(
        self, latitude: float, longitude: float, profiles: list[str], n: int
    ) -> list[tuple[str, str]]:
        """(id, name) of the first ``n`` entries of each of ``profiles`` at this very place, in
        the ranking's order there: by name, then id (read in index order)."""
        m, c = self._mark, self._collate
        sql = (
            f"SELECT id, name FROM local_centers WHERE retired = 0 AND {PROFILE} = {m} "  # noqa: S608
            f"AND latitude = {m} AND longitude = {m} "
            f"ORDER BY name{c} NULLS FIRST, id{c} LIMIT {int(n)}"
        )
        out = []
        for profile in profiles:
            params = [profile, latitude, longitude]
            rows = [(r["id"], r["name"] or "") for r in self._rows(sql, params)]
            if any(not name for _id, name in rows):
                # an entry without a name ranks as '' then by id, NULL and '' alike: read them all
                every = self._rows(sql.rsplit(" ORDER BY", 1)[0], params)
                named = sorted((r["name"] or "", r["id"]) for r in every)[: int(n)]
                rows = [(center_id, name) for name, center_id in named]
            out += rows
        return out

    def _profile_sql(self, columns: str, profiles: list[str]) -> str:
        marks = ", ".join([self._mark] * len(profiles))
        where = _BOX.format(m=self._mark)
        return f"SELECT {columns} FROM local_centers WHERE {where} AND {PROFILE} IN ({marks})"  # noqa: S608

    def get_centers(self, ids: list[str]) -> dict[str, Center]:
        """The entries with these ids (one read), by id."""
        if not ids:
            return {}
        sql = f"SELECT * FROM local_centers WHERE id IN ({', '.join([self._mark] * len(ids))})"  # noqa: S608
        return {r["id"]: center_from_row(dict(r), "local") for r in self._rows(sql, ids)}


# What ranking reads of a center (domain/matching.py, domain/eligibility.py).
_BRIEF = (
    "id",
    "name",
    "parent_system",
    "latitude",
    "longitude",
    "services",
    "populations",
    "self_referral",
    "physician_order",
    "verified",
    "status",
    "status_note",
    "location_basis",
    "referral_notes",
)


def _brief(row: Any) -> Center:
    services, populations = row["services"], row["populations"]
    return Center(
        id=row["id"],
        name=row["name"] or "",
        parent_system=row["parent_system"] or "",
        latitude=row["latitude"],
        longitude=row["longitude"],
        services=tuple(services.split(";")) if services else (),
        populations=tuple(populations.split(";")) if populations else (),
        self_referral=row["self_referral"] or "",
        physician_order=row["physician_order"] or "",
        referral_notes=row["referral_notes"] or "",
        verified=bool(row["verified"]),
        status=row["status"] or "",
        status_note=row["status_note"] or "",
        location_basis=row["location_basis"] or "",
        origin="brief",
    )


def _halves(box: tuple[float, float, float, float]) -> list[tuple[float, float, float, float]]:
    """The box as stored longitudes read it: one box, or two where it crosses +-180 degrees."""
    min_lat, max_lat, min_lon, max_lon = box
    if min_lon < -180:
        return [(min_lat, max_lat, min_lon + 360, 180.0), (min_lat, max_lat, -180.0, max_lon)]
    if max_lon > 180:
        return [(min_lat, max_lat, min_lon, 180.0), (min_lat, max_lat, -180.0, max_lon - 360)]
    return [box]


def sqlite_rows(db) -> Callable[[str, list[Any]], Iterable[Any]]:
    """Rows as ``sqlite3.Row`` (read by name, made in C)."""
    import sqlite3

    def rows(sql: str, params: list[Any]) -> Iterable[Any]:
        cursor = db.conn.cursor()
        cursor.row_factory = sqlite3.Row
        return cursor.execute(sql, params)

    return rows


def pg_rows(conn) -> Callable[[str, list[Any]], Iterable[Any]]:
    def rows(sql: str, params: list[Any]) -> Iterable[Any]:
        return conn.execute(sql, params).fetchall()

    return rows

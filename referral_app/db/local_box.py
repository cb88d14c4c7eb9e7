"""The clinic's own entries read by place, for ranking a long list (an all-states NPPES import
holds tens of thousands): the few that are always scored whole (preferred, not placed, checked by
the clinic) and, for the rest, only those inside a latitude/longitude box (index
``idx_local_centers_position``). The same reads on this computer's file and on the shared
PostgreSQL database; ``services/destinations`` grows the box until nothing outside can win.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from referral_app.db.center_rows import center_from_row
from referral_app.domain.entities import Center

_WHOLE = "retired = 0 AND (preferred = 1 OR latitude IS NULL)"
_BOX = "retired = 0 AND latitude BETWEEN {m} AND {m} AND longitude BETWEEN {m} AND {m}"


class LocalBox:
    """What ranking asks of a store, over ``local_centers``. ``rows(sql, params)`` runs a SELECT
    and returns dict rows; ``mark`` is the driver's placeholder (? or %s)."""

    def __init__(self, rows: Callable[[str, list[Any]], Iterable[Any]], mark: str) -> None:
        self._rows, self._mark = rows, mark
        self._brief: dict[str, Center] = {}  # read in this search (the box grows around it)

    def whole(self, checked: Iterable[str]) -> list[Center]:
        """Preferred and unplaced entries, and those the clinic checked (its check may make
        them verified, and may move them)."""
        self._brief = {}  # a new search
        found = {r["id"]: r for r in self._rows(f"SELECT * FROM local_centers WHERE {_WHOLE}", [])}
        ids = [i for i in checked if i not in found]
        for start in range(0, len(ids), 500):
            part = ids[start : start + 500]
            marks = ", ".join([self._mark] * len(part))
            sql = f"SELECT * FROM local_centers WHERE retired = 0 AND id IN ({marks})"  # noqa: S608
            found.update({r["id"]: r for r in self._rows(sql, part)})
        return [center_from_row(dict(r), "local") for r in found.values()]

    def longer_than(self, n: int) -> bool:
        """More than ``n`` entries offered (a cheap read: it stops at the n+1st)."""
        sql = f"SELECT 1 AS one FROM local_centers WHERE retired = 0 LIMIT 1 OFFSET {int(n)}"  # noqa: S608
        return bool(list(self._rows(sql, [])))

    def centers_in_box(
        self, box: tuple[float, float, float, float], brief: bool = False
    ) -> list[Center]:
        """Placed entries in (min_lat, max_lat, min_lon, max_lon). ``brief`` records carry what
        ranking reads (origin "brief"); :meth:`get_center` reads the winners whole."""
        where = _BOX.format(m=self._mark)
        if not brief:
            sql = f"SELECT * FROM local_centers WHERE {where}"  # noqa: S608
            return [center_from_row(dict(r), "local") for r in self._rows(sql, list(box))]
        sql = f"SELECT {', '.join(_BRIEF)} FROM local_centers WHERE {where}"  # noqa: S608
        seen = self._brief
        out = []
        for row in self._rows(sql, list(box)):
            center = seen.get(row["id"])
            if center is None:
                center = seen[row["id"]] = _brief(row)
            out.append(center)
        return out

    def centers_without_location(self) -> list[Center]:
        return []  # scored whole (see ``whole``)

    def get_center(self, center_id: str) -> Center | None:
        sql = f"SELECT * FROM local_centers WHERE id = {self._mark}"  # noqa: S608
        rows = list(self._rows(sql, [center_id]))
        return center_from_row(dict(rows[0]), "local") if rows else None


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

"""Reads of the bundled referral centers, by id, by map box (R*Tree) or by city."""

from __future__ import annotations

from typing import TYPE_CHECKING

from referral_app.db.reader_base import ReaderBase

if TYPE_CHECKING:  # loaded where first used: not on the first screen's path
    from referral_app.domain.center import Center


class CenterReads(ReaderBase):
    """The bundled centers (origin "bundled"; "brief" for ranking-only records)."""

    def _centers(self, where: str = "1", params: list | dict | None = None) -> list[Center]:
        from referral_app.db.center_rows import center_from_row

        cursor = self.db.execute(f"SELECT * FROM centers WHERE {where}", params or [])  # noqa: S608
        cols = [d[0] for d in cursor.description]
        return [center_from_row(dict(zip(cols, r, strict=True)), "bundled") for r in cursor]

    def all_centers(self) -> list[Center]:
        return self._centers("1 ORDER BY name")

    def get_center(self, center_id: str) -> Center | None:
        found = self._centers("id = ?", [center_id])
        return found[0] if found else None

    def centers_in_box(self, box: tuple[float, float, float, float]) -> list[Center]:
        """Centers whose coordinates fall in (min_lat, max_lat, min_lon, max_lon) (R*Tree)."""
        return self._centers(_IN_BOX, list(box))

    def count_in_box(self, box: tuple[float, float, float, float]) -> int:
        """How many centers the box holds (read from the R*Tree alone)."""
        sql = f"SELECT COUNT(*) FROM centers_rtree WHERE {_RTREE}"  # noqa: S608
        return int(self.db.execute(sql, box).fetchone()[0])

    def brief_rows(self, box: tuple[float, float, float, float]) -> list[tuple]:
        """What ranking reads of the centers in the box, as rows: id, latitude, longitude first
        (the rest for :func:`brief_center`, which makes the record of one that can win)."""
        sql = f"SELECT {', '.join(_BRIEF)} FROM centers WHERE {_IN_BOX}"  # noqa: S608
        return self.db.execute(sql, list(box)).fetchall()

    def centers_without_location(self) -> list[Center]:
        # coordinates are validated as a pair; read once (the reference never changes while open)
        return self._memo("unplaced", lambda: self._centers("latitude IS NULL"))

    def get_centers(self, ids: list[str]) -> dict[str, Center]:
        """The centers with these ids (one read), by id."""
        marks = ", ".join("?" * len(ids))
        return {c.id: c for c in self._centers(f"id IN ({marks})", ids)} if ids else {}

    def city_location(self, city: str) -> tuple[float, float] | None:
        """Mean coordinates of bundled centers in a city (for patients outside the US)."""
        row = self.db.execute(
            "SELECT avg(latitude), avg(longitude) FROM centers "
            "WHERE lower(city) = lower(?) AND latitude IS NOT NULL",
            [city.strip()],
        ).fetchone()
        return (row[0], row[1]) if row and row[0] is not None else None


_RTREE = "max_lat >= ? AND min_lat <= ? AND max_lon >= ? AND min_lon <= ?"
_IN_BOX = f"rowid IN (SELECT rid FROM centers_rtree WHERE {_RTREE})"
_BRIEF = (
    "id",
    "latitude",
    "longitude",
    "name",
    "services",
    "populations",
    "verified",
    "status",
    "physician_order",
    "location_basis",
    "parent_system",
    "who_may_book",
)


def brief_center(r: tuple) -> Center:
    """A ranking-only record (origin "brief") from a :meth:`CenterReads.brief_rows` row; the
    winners are read whole."""
    from referral_app.domain.center import Center

    return Center(
        id=r[0],
        latitude=r[1],
        longitude=r[2],
        name=r[3],
        services=tuple(r[4].split(";")) if r[4] else (),
        populations=tuple(r[5].split(";")) if r[5] else (),
        verified=bool(r[6]),
        status=r[7],
        physician_order=r[8],
        location_basis=r[9] or "",
        parent_system=r[10] or "",
        who_may_book=tuple(r[11].split(";")) if r[11] else (),
        origin="brief",
    )

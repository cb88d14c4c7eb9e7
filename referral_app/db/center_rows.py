"""Center records <-> table rows, shared by the reference and user stores."""

from __future__ import annotations

import json

from referral_app.domain.center import (
    BOOL_FIELDS,
    BUNDLED,
    CENTER_FIELDS,
    FLOAT_FIELDS,
    LIST_FIELDS,
    LOCAL_COLUMNS,
    LOCATION,
    PROVENANCE,
    RECORD,
    RUNTIME,
    Center,
    FieldSource,
    center_columns,
)

# The bundled directory's table (reference.db): every stored field but the clinic's own.
REFERENCE_COLUMNS = center_columns(RECORD, PROVENANCE, LOCATION, BUNDLED)
_NOT_STORED = center_columns(RUNTIME, PROVENANCE, BUNDLED)  # not in the clinic's tables
_BUNDLED_LISTS = center_columns(BUNDLED)
_FIELD_SET = frozenset(CENTER_FIELDS)  # looked up for every column of every row


def center_from_row(row: dict, origin: str) -> Center:
    values = {k: v for k, v in row.items() if k in _FIELD_SET}
    for key in LIST_FIELDS:
        values[key] = tuple(p for p in (values.get(key) or "").split(";") if p)
    for key in BOOL_FIELDS:
        if key in values:
            values[key] = bool(values[key])
    for key, value in list(values.items()):
        if value is None and key not in FLOAT_FIELDS:
            values[key] = ""
    if not (_degrees(values.get("latitude"), 90) and _degrees(values.get("longitude"), 180)):
        values["latitude"] = values["longitude"] = None  # a row stored by an older import
    values["provenance"] = provenance_from_json(row.get("provenance"))
    values.pop("check", None)
    values["origin"] = origin
    return Center(**values)


def _degrees(value: object, limit: float) -> bool:
    """A stored coordinate the app can measure from: a finite number within ±limit (an older
    FHIR import stored '', 'abc' and Infinity as given)."""
    return (
        isinstance(value, int | float) and not isinstance(value, bool) and -limit <= value <= limit
    )


def provenance_to_json(center: Center) -> str:
    return json.dumps([[s.field, s.source, s.date] for s in center.provenance])


def provenance_from_json(text: str | None) -> tuple[FieldSource, ...]:
    return tuple(FieldSource(*item) for item in json.loads(text or "[]"))


def center_to_row(center: Center) -> dict:
    """Shallow (no dataclasses.asdict deep copy: a million-row import calls this per row)."""
    row = {name: getattr(center, name) for name in CENTER_FIELDS}
    for key in LIST_FIELDS:
        row[key] = ";".join(row[key])
    for key in BOOL_FIELDS:
        row[key] = int(row[key])
    for key in _NOT_STORED:
        row.pop(key)
    return row


def reference_row(center: Center) -> dict:
    """A bundled center as a row of reference.db's ``centers`` table."""
    row = center_to_row(center)
    for key in LOCAL_COLUMNS:
        row.pop(key)
    bundled = {key: ";".join(getattr(center, key)) for key in _BUNDLED_LISTS}
    return row | {"provenance": provenance_to_json(center)} | bundled


def column_types(names: tuple[str, ...]) -> dict[str, type]:
    """sqlite-utils column types for Center fields: REAL coordinates, INTEGER flags, else TEXT."""
    return {n: float if n in FLOAT_FIELDS else int if n in BOOL_FIELDS else str for n in names}


def update_sql(row: dict, mark: str, check_version: bool) -> tuple[str, list]:
    """UPDATE of one local center that bumps its row version; with ``check_version`` only when
    the row still has the version it had when read (the last parameter). ``mark``: ? or %s."""
    names = [k for k in row if k != "id"]
    sets = ", ".join(f"{k} = {mark}" for k in names)  # names come from the Center fields
    sql = f"UPDATE local_centers SET {sets}, row_version = row_version + 1 WHERE id = {mark}"  # noqa: S608
    if check_version:
        sql += f" AND row_version = {mark}"
    return sql, [row[k] for k in names] + [row["id"]]

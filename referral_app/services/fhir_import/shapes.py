"""Reading the elements of a FHIR resource held as plain JSON, with its shape checked.

A file that puts a list where FHIR has an object (or text where it has a list…) is refused with
one line that names the element, instead of failing somewhere later. Absent elements read as
empty.
"""

from __future__ import annotations

from typing import Any

Json = dict[str, Any]


class ShapeError(ValueError):
    """An element is not of the JSON type FHIR gives it; the message names the element."""


def kind(value: object) -> str:
    if isinstance(value, bool):
        return "true/false"
    return {dict: "an object", list: "a list", str: "text", type(None): "null"}.get(
        type(value), "a number"
    )


def obj(resource: Json, key: str) -> Json:
    value = resource.get(key)
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ShapeError(f"{key} must be an object, not {kind(value)}")
    return value


def objs(resource: Json, key: str) -> list[Json]:
    value = resource.get(key)
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        shown = kind(value) if not isinstance(value, list) else "a list holding something else"
        raise ShapeError(f"{key} must be a list of objects, not {shown}")
    return value


def text(resource: Json, key: str) -> str:
    value = resource.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ShapeError(f"{key} must be text, not {kind(value)}")
    return value


def texts(resource: Json, key: str) -> list[str]:
    value = resource.get(key)
    if value is None:
        return []
    if isinstance(value, str):  # a frequent slip for a one-item list: read it as one
        return [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ShapeError(f"{key} must be a list of text, not {kind(value)}")
    return value


def flag(resource: Json, key: str) -> bool | None:
    value = resource.get(key)
    if value is None or isinstance(value, bool):
        return value
    raise ShapeError(f"{key} must be true or false, not {kind(value)}")


def label(resource: Json, full_url: str = "") -> str:
    """How the report names a resource: Type/id, else Type and its fullUrl (a transaction's
    urn:uuid), else Type (no id)."""
    kind_ = resource.get("resourceType")
    kind_ = kind_ if isinstance(kind_, str) and kind_ else "?"
    rid = resource.get("id")
    if isinstance(rid, str) and rid:
        return f"{kind_}/{rid}"
    return f"{kind_} {full_url}" if full_url else f"{kind_} (no id)"

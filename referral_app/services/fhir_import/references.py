"""Resolving FHIR references inside the files read (R4 Reference.reference and .identifier).

A reference resolves by ``fullUrl`` (``urn:uuid:`` too), by ``Type/id``, by an absolute URL
ending in ``Type/id``, with or without a version (``Location/1/_history/2``), to a contained
resource (``#id``, inside the resource that holds the reference), or by identifier (system and
value) when it has no ``reference``. A reference of the wrong type resolves to nothing.
"""

from __future__ import annotations

import re

from referral_app.services.errors import InputError
from referral_app.services.fhir_import.reading import Entry
from referral_app.services.fhir_import.shapes import Json, ShapeError, label, obj, objs, text

_HISTORY = re.compile(r"/_history/[^/]*/?$")


class Index:
    def __init__(self, entries: list[Entry]) -> None:
        self.by_key: dict[str, Json] = {}
        self.by_identifier: dict[tuple[str, str], Json] = {}
        for entry in entries:
            res = entry.resource
            if entry.full_url:
                self.by_key[entry.full_url] = res
            rid, rtype = res.get("id"), res.get("resourceType")
            if rid and rtype:
                self.by_key.setdefault(f"{rtype}/{rid}", res)
            try:
                idents = [(text(i, "system"), text(i, "value")) for i in objs(res, "identifier")]
            except ShapeError as exc:
                raise InputError(f"{entry.where} {label(res, entry.full_url)}: {exc}") from exc
            for key in idents:
                if key[1]:
                    self.by_identifier.setdefault(key, res)

    def get(self, ref: Json, holder: Json, rtype: str) -> Json | None:
        """The resource ``ref`` (a Reference inside ``holder``) points to, if it is a ``rtype``."""
        found = self._find(ref, holder)
        return found if found is not None and found.get("resourceType") == rtype else None

    def all(self, refs: list[Json], holder: Json, rtype: str) -> tuple[list[Json], list[str]]:
        """The resources a list of references points to, and the references that did not
        resolve (as written in the file)."""
        found: list[Json] = []
        missing: list[str] = []
        for ref in refs:
            res = self.get(ref, holder, rtype)
            if res is None:
                missing.append(text(ref, "reference") or text(ref, "display") or "(no reference)")
            elif all(res is not f for f in found):
                found.append(res)
        return found, missing

    def _find(self, ref: Json, holder: Json) -> Json | None:
        target = text(ref, "reference")
        if target.startswith("#"):
            return next((c for c in objs(holder, "contained") if c.get("id") == target[1:]), None)
        if target:
            target = _HISTORY.sub("", target)
            if target in self.by_key:
                return self.by_key[target]
            tail = "/".join(target.rstrip("/").split("/")[-2:])
            return self.by_key.get(tail)
        ident = obj(ref, "identifier")
        key = (text(ident, "system"), text(ident, "value"))
        return self.by_identifier.get(key) if key[1] else None

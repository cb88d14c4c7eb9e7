"""FHIR directory files -> their resources, in order: a Bundle (JSON) or NDJSON (one resource per
line, as a National Directory bulk ``$export`` writes it), one file or several.

Whatever is wrong with a file as a whole (not UTF-8, not JSON, nested too deeply, too large, not
a Bundle, an entry that is not an object) raises InputError: one plain line. A search result
page whose ``next`` page was not given is read and warned about.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from referral_app.content.csv_source import MAX_BYTES
from referral_app.services.errors import InputError
from referral_app.services.fhir_import.shapes import Json, ShapeError, kind, objs, text

NDJSON_SUFFIXES = (".ndjson", ".jsonl")


@dataclass(frozen=True, slots=True)
class Entry:
    order: int  # position over every file read
    where: str  # "entry 5", "line 3", "Location.ndjson line 3" (several files)
    full_url: str
    resource: Json


@dataclass
class Directory:
    names: list[str]
    entries: list[Entry] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    _pages: list[tuple[str, str, str, int, int]] = field(default_factory=list)

    def add(self, where: str, full_url: str, resource: Json) -> None:
        self.entries.append(Entry(len(self.entries) + 1, where, full_url, resource))


def read_files(paths: Sequence[Path]) -> Directory:
    """Every resource of every file, in order; raises InputError for a file that cannot be read."""
    directory = Directory([p.name for p in paths])
    total = 0
    for path in paths:
        try:
            total += path.stat().st_size
        except OSError as exc:
            raise InputError(f"cannot read {path}: {exc.strerror or exc}") from exc
        if total > MAX_BYTES:
            raise InputError(
                f"the files come to {total / 1e6:.0f} MB; the limit is "
                f"{MAX_BYTES // 2**20} MB: import them in parts"
            )
        prefix = f"{path.name} " if len(paths) > 1 else ""
        _read_file(path, prefix, directory)
    _warn_missing_pages(directory)
    return directory


def _read_file(path: Path, prefix: str, directory: Directory) -> None:
    try:
        content = path.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror or exc}") from exc
    except UnicodeDecodeError as exc:
        raise InputError(f"{path.name} is not UTF-8 text (byte {exc.start})") from exc
    if path.suffix.lower() in NDJSON_SUFFIXES:
        return _read_ndjson(path.name, content, prefix, directory)
    try:
        data = json.loads(content)
    except json.JSONDecodeError as exc:
        if exc.msg == "Extra data":  # several JSON values, one a line: NDJSON under another name
            return _read_ndjson(path.name, content, prefix, directory)
        raise InputError(f"{path.name} is not JSON: {exc}") from exc
    except RecursionError as exc:
        raise InputError(f"{path.name} is nested too deeply to be a FHIR resource") from exc
    if not isinstance(data, dict) or data.get("resourceType") != "Bundle":
        raise InputError(
            f"{path.name} is not a FHIR Bundle (resourceType must be Bundle), nor "
            "NDJSON (one resource per line)"
        )
    _read_bundle(path.name, data, prefix, directory)


def _read_bundle(name: str, bundle: Json, prefix: str, directory: Directory) -> None:
    entries = bundle.get("entry", [])
    if not isinstance(entries, list):
        raise InputError(f"{name}: Bundle.entry must be a list, not {kind(entries)}")
    try:
        links = {text(link, "relation"): text(link, "url") for link in objs(bundle, "link")}
    except ShapeError as exc:
        raise InputError(f"{name}: Bundle.{exc}") from exc
    for number, entry in enumerate(entries, 1):
        where = f"{prefix}entry {number}"
        if not isinstance(entry, dict):
            raise InputError(f"{name}: {where} must be an object, not {kind(entry)}")
        resource, full_url = entry.get("resource", {}), entry.get("fullUrl", "")
        _check_resource(name, where, resource)
        if not isinstance(full_url, str):
            raise InputError(f"{name}: {where}: fullUrl must be text, not {kind(full_url)}")
        directory.add(where, full_url, resource)
    total = bundle["total"] if isinstance(bundle.get("total"), int) else 0
    if bundle.get("type") == "searchset" or links.get("next"):
        directory._pages.append(
            (name, links.get("self", ""), links.get("next", ""), len(entries), total)
        )


def _read_ndjson(name: str, content: str, prefix: str, directory: Directory) -> None:
    for number, line in enumerate(content.splitlines(), 1):
        if not line.strip():
            continue
        where = f"{prefix}line {number}"
        try:
            resource = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(
                f"{name}: line {number} is not JSON: {exc.msg} (NDJSON holds one resource per line)"
            ) from exc
        except RecursionError as exc:
            raise InputError(f"{name}: line {number} is nested too deeply") from exc
        _check_resource(name, where, resource)
        if isinstance(resource, dict) and resource.get("resourceType") == "Bundle":
            raise InputError(f"{name}: line {number} is a Bundle; NDJSON holds one resource a line")
        directory.add(where, "", resource)


def _check_resource(name: str, where: str, resource: object) -> None:
    if not isinstance(resource, dict):
        raise InputError(f"{name}: {where}: the resource must be an object, not {kind(resource)}")
    rtype = resource.get("resourceType")
    if resource and not (isinstance(rtype, str) and rtype):
        raise InputError(f"{name}: {where}: the resource has no resourceType")
    if not isinstance(resource.get("id", ""), str):
        raise InputError(f"{name}: {where}: id must be text, not {kind(resource['id'])}")


def _warn_missing_pages(directory: Directory) -> None:
    given = {self_url for _, self_url, _, _, _ in directory._pages if self_url}
    for name, _, next_url, count, total in directory._pages:
        if next_url and next_url not in given:
            of = f" of {total}" if total > count else ""
            directory.warnings.append(
                f"{name} is one page of a search result: the next page ({next_url}) was not "
                f"given, so only {count}{of} entries were read; give every page to import them all"
            )

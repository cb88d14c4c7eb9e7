"""Reading a clinic's CSV file safely: size cap, NUL bytes, honest encoding, streamed rows.

The file is read twice, never whole: a first pass over its bytes checks the size, refuses NUL
bytes and decides the encoding (UTF-8, with or without BOM, else Windows-1252; a file that is
UTF-8 in one place and not in another is refused rather than half garbled); the second pass
hands rows to the caller one at a time.
"""

from __future__ import annotations

import codecs
import csv
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

MAX_BYTES = 100 * 1024 * 1024  # a clinic's list is kilobytes; a million rows is ~50 MB
MAX_FIELD = 10_000  # characters in one cell (a long note is a few hundred)
CHUNK = 1 << 20
BOM = b"\xef\xbb\xbf"
CP1252_HOLES = frozenset(b"\x81\x8d\x8f\x90\x9d")  # bytes Windows-1252 leaves undefined


class CsvFileError(Exception):
    """The file as a whole cannot be read (size, encoding, NUL bytes, no header)."""


@dataclass(frozen=True, slots=True)
class Encoding:
    codec: str  # for open()/decode()
    label: str  # for people


UTF8_BOM = Encoding("utf-8-sig", "UTF-8 (with BOM)")
UTF8 = Encoding("utf-8", "UTF-8")
CP1252 = Encoding("cp1252", "Windows-1252")


def detect_encoding(chunks: Iterable[bytes]) -> Encoding:
    """One pass over the bytes; raises CsvFileError for NUL bytes and mixed encodings."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    first, had_bom, line, seen_utf8, bad_line, hole = True, False, 1, False, 0, -1
    offset = 0
    for chunk in chunks:
        bom, first = first and chunk.startswith(BOM), False
        had_bom = had_bom or bom
        if b"\x00" in chunk:
            at = line + chunk[: chunk.index(b"\x00")].count(b"\n")
            raise CsvFileError(
                f"line {at} holds NUL bytes: this is not a text CSV file (UTF-16 or a "
                "spreadsheet file?); save it from the spreadsheet as 'CSV UTF-8'"
            )
        body = chunk[3:] if bom else chunk
        if not bad_line:
            try:
                decoder.decode(body)
                seen_utf8 = seen_utf8 or max(body, default=0) >= 0x80
            except UnicodeDecodeError as exc:
                bad_line = line + body[: exc.start].count(b"\n")
                seen_utf8 = seen_utf8 or max(body[: exc.start], default=0) >= 0x80
        if hole < 0:
            hole = next((offset + i for i, b in enumerate(chunk) if b in CP1252_HOLES), -1)
        line += chunk.count(b"\n")
        offset += len(chunk)
    if not bad_line:
        try:
            decoder.decode(b"", final=True)
            return UTF8_BOM if had_bom else UTF8
        except UnicodeDecodeError:
            bad_line = line
    if seen_utf8:
        raise CsvFileError(
            f"line {bad_line} is not UTF-8 while earlier lines are: the file mixes two encodings. "
            "Save it again from the spreadsheet as 'CSV UTF-8'"
        )
    if hole >= 0:
        raise CsvFileError(
            f"the file is neither UTF-8 nor Windows-1252 (byte {hole}): "
            "save it from the spreadsheet as 'CSV UTF-8'"
        )
    return CP1252


def _file_chunks(path: Path) -> Iterator[bytes]:
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            yield chunk


def inspect(path: Path) -> tuple[Encoding, int]:
    """The file's encoding and size in bytes, after the size cap and the first pass."""
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise CsvFileError(
            f"the file is {size / 1e6:.0f} MB; the limit is {MAX_BYTES // 2**20} MB. "
            "Split it into smaller files"
        )
    return detect_encoding(_file_chunks(path)), size


def rows(handle: Iterable[str]) -> Iterator[tuple[int, dict[str | None, object]]]:
    """(first line, row) per record, header applied; a cell over MAX_FIELD characters (or over
    csv's own limit) is refused with its line rather than an internal error."""
    reader = csv.DictReader(handle)
    try:
        header = [h.strip() for h in (reader.fieldnames or [])]
        if "name" not in header:
            raise CsvFileError("the first row must be a header with at least a 'name' column")
        reader.fieldnames = header
        line = 1
        for row in reader:
            start, line = line + 1, reader.line_num
            if any(isinstance(v, str) and len(v) > MAX_FIELD for v in row.values()):
                raise CsvFileError(f"line {start}: a cell is longer than {MAX_FIELD:,} characters")
            yield start, row
    except csv.Error as exc:
        raise CsvFileError(
            f"line {reader.line_num + 1}: {exc} (a cell longer than {MAX_FIELD:,} characters, "
            "or a quote that is never closed)"
        ) from exc
    except UnicodeDecodeError as exc:
        raise CsvFileError(f"the file is not valid {exc.encoding}: save it as 'CSV UTF-8'") from exc

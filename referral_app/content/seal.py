"""Sealing a content release: write the content hash into its [[release]] in data/changes.toml."""

from __future__ import annotations

import re
from pathlib import Path

from referral_app.content.changes import CHANGES_FILE
from referral_app.content.errors import ContentError, Problem
from referral_app.content.released_grades import SNAPSHOT_BLOCK
from referral_app.files import PUBLIC, atomic_write

RELEASE = re.compile(r"^\[\[release\]\]\s*$", re.MULTILINE)


def seal_release(data_dir: Path, version: str, digest: str, grades: str = "") -> bool:
    """Record ``digest`` (and the ``grades`` list) for ``version``; False when both were already
    recorded (nothing written)."""
    path = data_dir / CHANGES_FILE
    text = path.read_text(encoding="utf-8")
    starts = [m.start() for m in RELEASE.finditer(text)] + [len(text)]
    version_line = re.compile(rf'^version[ \t]*=[ \t]*"{re.escape(version)}"[ \t]*$', re.MULTILINE)
    for start, end in zip(starts, starts[1:], strict=False):
        block = text[start:end]
        found = version_line.search(block)
        if not found:
            continue
        head, tail = block[: _table_end(block)], block[_table_end(block) :]
        old_head = head
        head = SNAPSHOT_BLOCK.sub("", head)
        existing = re.search(
            r'^content_hash[ \t]*=[ \t]*"([0-9a-f]*)"[ \t]*\n?', head, re.MULTILINE
        )
        if existing:
            head = head[: existing.start()] + head[existing.end() :]
        kept = version_line.search(head)
        if kept is None:  # found in the block above; the subs only remove other lines
            raise ContentError(
                [Problem(CHANGES_FILE, version, "version", "its line was lost while sealing")]
            )
        at = kept.end() + 1
        head = head[:at] + f'content_hash = "{digest}"\n' + grades + head[at:]
        if head == old_head:
            return False
        _write(path, text[:start] + head + tail + text[end:])
        return True
    raise ContentError(
        [Problem(CHANGES_FILE, version, "version", "has no [[release]] to seal: add one first")]
    )


def _table_end(block: str) -> int:
    """Where the [[release]] table's own keys end (its first sub-table, or the block's end)."""
    first_line = block.find("\n") + 1 or len(block)
    sub = re.search(r"^\[", block[first_line:], re.MULTILINE)
    return first_line + sub.start() if sub else len(block)


def _write(path: Path, text: str) -> None:
    with atomic_write(path, permissions=PUBLIC) as fh:  # a data/ source, kept in git
        fh.write(text)

"""wording.toml: the words of the handout and therapist sheet that follow the recommendation level.

Flattened per level into ``{"sheet_summary": ..., "en.opening": ..., ...}`` so templates can ask
for ``w[lang ~ ".opening"]``. Every level needs every key below; ``defer`` needs its extra keys,
``not_advised`` its banner and override line.
"""

from __future__ import annotations

from pathlib import Path

from referral_app.content.errors import Problem
from referral_app.content.fields import RecordReader
from referral_app.content.toml_file import read_toml
from referral_app.domain import scale

SHEET_KEYS: tuple[str, ...] = ("sheet_summary", "regimen_heading")
HANDOUT_KEYS: tuple[str, ...] = ("heading", "opening", "note")
DEFER_SHEET_KEYS: tuple[str, ...] = ("sheet_banner", "sheet_first", "sheet_override")
DEFER_HANDOUT_KEYS: tuple[str, ...] = ("first_heading",)
NOT_ADVISED_SHEET_KEYS: tuple[str, ...] = ("sheet_banner", "sheet_override")
# Levels whose words may say that massage is suggested; the others must not (tests check this).
RECOMMENDING_LEVELS: tuple[str, ...] = ("recommend", "consider")


def load_wording(path: Path, problems: list[Problem]) -> dict[str, dict[str, str]]:
    data = read_toml(path, problems)
    wording: dict[str, dict[str, str]] = {}
    for level in scale.RECOMMENDATION_LEVELS:
        reader = RecordReader(path.name, level, problems)
        table = data.get(level)
        if not isinstance(table, dict):
            reader.problem("", "is missing")
            continue
        defer = level == "defer"
        own = {"defer": DEFER_SHEET_KEYS, "not_advised": NOT_ADVISED_SHEET_KEYS}.get(level, ())
        texts = {k: reader.text(table, k) for k in SHEET_KEYS + own}
        for lang in scale.LANGUAGES:
            sub = table.get(lang)
            if not isinstance(sub, dict):
                sub = {}
            if not sub:
                reader.problem(lang, "is missing (a table of handout words)")
            lang_reader = RecordReader(path.name, f"{level}.{lang}", problems)
            for key in HANDOUT_KEYS + (DEFER_HANDOUT_KEYS if defer else ()):
                texts[f"{lang}.{key}"] = lang_reader.text(sub, key, required=key != "note")
        wording[level] = texts
    for extra in set(data) - set(scale.RECOMMENDATION_LEVELS):
        problems.append(Problem(path.name, extra, "", "is not a recommendation level"))
    return wording

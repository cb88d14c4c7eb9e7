"""The condition card: evidence, durability, regimen, precautions and sources, as rich text."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QWidget

from referral_app.domain.recommend import shows_benefit
from referral_app.domain.scale import CATEGORIES, DELIVERIES, DURABILITY_LABELS, NOTE_KEYS
from referral_app.printing.statements import statement_html, unconfirmed_html
from referral_app.ui.level_colors import EVIDENCE_COLORS, RECOMMENDATION_COLORS
from referral_app.ui.widgets.badges import badge
from referral_app.ui.widgets.link_browser import LINK_KEYS_HELP, LinkBrowser

if TYPE_CHECKING:  # the card is built at start-up; the records load with the first condition
    from referral_app.db.reference import ReferenceStore
    from referral_app.domain.entities import Citation, ClinicianNote, Condition, Statement
    from referral_app.domain.listing import EvidenceLevel

# A source with no confirmed DOI, PMID or official page gets no link: a search page is no source.
NO_LINK = "<i>(no link: no DOI, PMID or official page confirmed)</i>"


def _statement(label: str, statement: Statement) -> str:
    head = label if label.endswith(("?", ":")) else f"{label}:"  # a question needs no colon
    return f"<p><b>{escape(head)}</b> {statement_html(statement, links=True)}</p>"


def _note(note: ClinicianNote) -> str:
    """A clinician note in a box, so it reads as an answer to a common worry."""
    from referral_app.domain.entities import Statement

    body = _statement(note.title, Statement(note.text, note.sources, note.confirmed))
    box = '<table width="100%" border="1" cellpadding="6" cellspacing="0"><tr><td>'
    return f"{box}{body}</td></tr></table>"


def _advice(condition: Condition) -> str:
    """Guideline advice against massage for this purpose, with its sources (empty if none)."""
    if not condition.advised_against:
        return ""
    keys = ", ".join(escape(k) for k in condition.advice_sources)
    text = "Not advised: guidelines advise against massage for this purpose"
    return f"<p>{badge(text, RECOMMENDATION_COLORS['not_advised'])} <small>[{keys}]</small></p>"


def card_notes(store: ReferenceStore, condition_id: str) -> list[ClinicianNote]:
    """The clinician notes (guidance.toml) that list this condition, in NOTE_KEYS order."""
    found = (store.clinician_note(key) for key in NOTE_KEYS)
    return [n for n in found if n is not None and condition_id in n.conditions]


def condition_html(
    condition: Condition,
    citations: list[Citation],
    level: EvidenceLevel | None,
    notice: str = "",
    notes: Sequence[ClinicianNote] = (),
) -> str:
    """The whole card as HTML; every dynamic string is escaped (``notice`` is built escaped, e.g.
    the grade-change marker). ``notes``: clinician notes that list this condition (e.g. the
    cancer-spread note), shown after the summary."""
    level_label = level.label if level else condition.evidence_level
    color = EVIDENCE_COLORS.get(condition.evidence_level, "#e6e6e6")
    durability = DURABILITY_LABELS.get(condition.durability_term, "")
    parts = [
        f"<h2>{escape(condition.name)}</h2>",
        f"<p>ICD-10-CM: <b>{escape(', '.join(condition.icd10))}</b> &nbsp;·&nbsp; "
        f"{escape(CATEGORIES.get(condition.category, condition.category))}</p>",
        f"<p>{badge('Evidence: ' + level_label, color)}"
        + (
            f" &nbsp; <b>Benefit lasts:</b> {escape(durability)}"
            if shows_benefit(condition)
            else ""
        )
        + "</p>",
        _given_by(condition),
        _advice(condition),
        notice,
        _statement("Summary", condition.summary),
        *(_note(n) for n in notes if condition.id in n.conditions),
        _statement("How sources graded it", condition.grading),
        _statement("Effect", condition.effect),
        _statement("How long it lasts", condition.durability),
        _statement("Studied regimen", condition.regimen.statement),
    ]
    parts += [_statement("Before referring", p) for p in condition.before_referral]
    parts += [_statement("Precaution", p) for p in condition.precautions]
    parts.append("<h3>Sources</h3><ol>")
    for c in citations:
        mark = unconfirmed_html(c.confirmed)
        parts.append(
            f'<li><a name="ref-{escape(c.key)}"></a><b>{escape(c.key)}</b>: {escape(c.citation)} '
            + (f'<a href="{escape(c.url)}">{escape(c.url)}</a>' if c.url else NO_LINK)
            + f"{mark}</li>"
        )
    parts.append(f"</ol><p><b>Last reviewed</b> {condition.last_reviewed.isoformat()}</p>")
    return "\n".join(parts)


def _given_by(condition: Condition) -> str:
    """Who gave the massage in the studies, when it is not a massage therapist."""
    if condition.by_therapist:
        return ""
    who = DELIVERIES.get(condition.delivery, condition.delivery)
    return f"<p><b>Given by:</b> {escape(who)} &mdash; not a referral to a massage therapist.</p>"


class ConditionCard(LinkBrowser):
    """Read-only card. A citation key jumps to its full reference; a web link opens the browser
    only when the user clicks it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOpenExternalLinks(False)
        self.setOpenLinks(False)
        self.setAccessibleName("Condition card")
        self.setAccessibleDescription(
            f"Evidence, durability, regimen, precautions and sources. {LINK_KEYS_HELP}."
        )
        self.setPlaceholderText("Search, then press Enter to open a condition.")
        self.anchorClicked.connect(self._on_anchor_clicked)

    def _on_anchor_clicked(self, url) -> None:
        if url.scheme() == "cite":
            self.scrollToAnchor(f"ref-{url.path()}")
        elif url.scheme() in ("http", "https"):
            from PySide6.QtGui import QDesktopServices

            QDesktopServices.openUrl(url)

    def show_condition(
        self,
        condition: Condition,
        citations: list[Citation],
        level: EvidenceLevel | None,
        notice: str = "",
        notes: Sequence[ClinicianNote] = (),
    ) -> None:
        self.setHtml(condition_html(condition, citations, level, notice, notes))

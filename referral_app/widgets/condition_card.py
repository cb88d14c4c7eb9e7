"""The condition card: evidence, durability, regimen, precautions and sources, as rich text."""

from __future__ import annotations

from html import escape

from PySide6.QtWidgets import QTextBrowser, QWidget

from referral_app.domain.entities import Citation, Condition, EvidenceLevel, Statement
from referral_app.domain.scale import DURABILITY_LABELS


def _statement(label: str, statement: Statement) -> str:
    mark = " <i>(unconfirmed)</i>" if not statement.confirmed else ""
    keys = ", ".join(f'<a href="cite:{escape(k)}">{escape(k)}</a>' for k in statement.sources)
    return f"<p><b>{escape(label)}:</b> {escape(statement.text)} [{keys}]{mark}</p>"


def condition_html(
    condition: Condition, citations: list[Citation], level: EvidenceLevel | None
) -> str:
    """The whole card as HTML; every dynamic string is escaped."""
    level_label = level.label if level else condition.evidence_level
    parts = [
        f"<h2>{escape(condition.name)}</h2>",
        f"<p>ICD-10-CM: {escape(', '.join(condition.icd10))}</p>",
        f"<p><b>Evidence: {escape(level_label)}</b> &nbsp; "
        f"Benefit lasts: {escape(DURABILITY_LABELS.get(condition.durability_term, ''))}</p>",
        _statement("Summary", condition.summary),
        _statement("How sources graded it", condition.grading),
        _statement("Effect", condition.effect),
        _statement("How long it lasts", condition.durability),
        _statement("Studied regimen", condition.regimen.statement),
    ]
    parts += [_statement("Precaution", p) for p in condition.precautions]
    parts.append("<h3>Sources</h3><ol>")
    for c in citations:
        mark = " <i>(unverified)</i>" if not c.confirmed else ""
        parts.append(
            f"<li><b>{escape(c.key)}</b>: {escape(c.citation)} "
            f'<a href="{escape(c.url)}">{escape(c.url)}</a>{mark}</li>'
        )
    parts.append(f"</ol><p>Last reviewed {condition.last_reviewed.isoformat()}</p>")
    return "\n".join(parts)


class ConditionCard(QTextBrowser):
    """Read-only card; links open the browser only when the user clicks them."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOpenExternalLinks(False)
        self.setOpenLinks(False)
        self.setAccessibleName("Condition card")
        self.setPlaceholderText("Pick a condition to see the evidence.")

    def show_condition(
        self, condition: Condition, citations: list[Citation], level: EvidenceLevel | None
    ) -> None:
        self.setHtml(condition_html(condition, citations, level))

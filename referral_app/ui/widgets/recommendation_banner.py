"""The live recommendation: level, reasons with sources, precautions, unknowns."""

from __future__ import annotations

from html import escape

from PySide6.QtWidgets import QTextBrowser, QWidget

from referral_app.domain.entities import Statement
from referral_app.domain.recommend import Recommendation
from referral_app.domain.scale import DELIVERIES
from referral_app.printing.statements import statement_html
from referral_app.ui.widgets.badges import RECOMMENDATION_COLORS, badge


def _item(statement: Statement) -> str:
    return f"<li>{statement_html(statement, links=True)}</li>"


def _delivery_lines(rec: Recommendation) -> list[str]:
    """Who gives it, when it is not a therapist referral; the answers the condition implies."""
    lines = []
    if not rec.condition.by_therapist:
        who = DELIVERIES.get(rec.condition.delivery, rec.condition.delivery)
        lines.append(f"<p><b>Given by:</b> {escape(who)}. Not a referral: no center to pick.</p>")
    implied = [f.label for f in rec.present if f.id in rec.implied]
    if implied:
        lines.append(
            f"<p><b>Implied by the condition:</b> {escape('; '.join(implied))} "
            "<small>(applied as yes, whatever the screen says)</small></p>"
        )
    return lines


def banner_html(rec: Recommendation) -> str:
    color = RECOMMENDATION_COLORS.get(rec.level, "#e6e6e6")
    parts = [
        f"<p style='font-size:large'>{badge(rec.label, color)}</p>",
        *_delivery_lines(rec),
        "<p><b>Why</b></p><ul>",
        *(_item(r) for r in rec.reasons),
        "</ul>",
    ]
    if rec.condition.before_referral:
        parts.append(
            "<p><b>Before referring</b> <small>(for you; not printed for the "
            "therapist)</small></p><ul>"
        )
        parts += [_item(s) for s in rec.condition.before_referral]
        parts.append("</ul>")
    heading = "For the therapist" if rec.condition.by_therapist else "Precautions"
    parts += [f"<p><b>{heading}</b></p><ul>", *(_item(p) for p in rec.precautions), "</ul>"]
    if rec.unknowns:
        parts.append("<p><b>Unknowns</b></p><ul>")
        parts += [f"<li>{escape(u)}</li>" for u in rec.unknowns]
        parts.append("</ul>")
    parts.append("<p><small>Options for a clinician to weigh, not orders.</small></p>")
    return "\n".join(parts)


class RecommendationBanner(QTextBrowser):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOpenLinks(False)
        self.setAccessibleName("Recommendation")
        self.setAccessibleDescription("Updates as the screening answers change")
        self.setPlaceholderText("Open a condition to see the recommendation.")
        self.recommendation: Recommendation | None = None

    def show_recommendation(self, rec: Recommendation) -> None:
        self.recommendation = rec
        self.setHtml(banner_html(rec))

    def clear_recommendation(self) -> None:
        self.recommendation = None
        self.clear()

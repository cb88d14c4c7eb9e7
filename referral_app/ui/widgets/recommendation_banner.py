"""The live recommendation: level, reasons with sources, precautions, unknowns."""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QWidget

from referral_app.domain.scale import DELIVERIES
from referral_app.printing.statements import statement_html
from referral_app.ui.level_colors import RECOMMENDATION_COLORS
from referral_app.ui.widgets.badges import badge
from referral_app.ui.widgets.link_browser import LINK_KEYS_HELP, LinkBrowser

if TYPE_CHECKING:  # the banner is built at start-up; the records load with the first condition
    from referral_app.domain.entities import Statement
    from referral_app.domain.recommend import Recommendation


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


class RecommendationBanner(LinkBrowser):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOpenLinks(False)
        self.setAccessibleName("Recommendation")
        self.setAccessibleDescription(f"Updates as the screening answers change. {LINK_KEYS_HELP}.")
        self.setPlaceholderText("Open a condition to see the recommendation.")
        self.recommendation: Recommendation | None = None
        self.last_announcement = ""  # what announce() last told assistive technology

    def show_recommendation(self, rec: Recommendation) -> None:
        """Show ``rec``; when an answer changed the level of the open condition, a screen reader
        is told at once (the banner does not have the focus: the answered question keeps it)."""
        before = self.recommendation
        self.recommendation = rec
        self.setHtml(banner_html(rec))
        same_condition = before is not None and before.condition.id == rec.condition.id
        if same_condition and before is not None and before.level != rec.level:
            self.announce(f"Recommendation changed: {rec.label}")

    def announce(self, message: str) -> None:
        """An accessibility announcement (AT-SPI ``object:announcement``, what Orca speaks;
        WCAG 4.1.3 status message), assertive: the new level matters before anything else."""
        from PySide6.QtGui import QAccessible, QAccessibleAnnouncementEvent

        self.last_announcement = message
        event = QAccessibleAnnouncementEvent(self, message)
        event.setPoliteness(QAccessible.AnnouncementPoliteness.Assertive)
        QAccessible.updateAccessibility(event)

    def clear_recommendation(self) -> None:
        self.recommendation = None
        self.clear()

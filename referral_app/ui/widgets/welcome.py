"""The first page in the empty card area: what the tool is for, the three steps, the scale."""

from __future__ import annotations

from html import escape

from referral_app.domain.listing import EvidenceLevel
from referral_app.ui.level_colors import EVIDENCE_COLORS
from referral_app.ui.widgets.badges import badge

STEPS = (
    (
        "Find the condition",
        "Type a name, a lay term or an ICD-10-CM code in the search box "
        "(Ctrl+K). Click a result, or press Enter, to open its card: the evidence, how long the "
        "benefit lasts, the studied regimen and the precautions, with sources.",
    ),
    (
        "Screen the patient",
        "Answer the questions on the right: Yes, No, or leave Not asked "
        "(never read as No). “Nothing else found” marks only the questions still unanswered as "
        "No; Ctrl+Z undoes a change. The recommendation updates as you answer.",
    ),
    (
        "Refer",
        "Refer… (Ctrl+R) ranks centers and therapists near the patient, then prints or "
        "saves the therapist's sheet, the patient handout (English or Spanish) and a clinic copy. "
        "New patient (Ctrl+N) clears everything before the next patient.",
    ),
)


def welcome_html(levels: list[EvidenceLevel]) -> str:
    parts = [
        "<h2>Massage Referral Guide</h2>",
        "<p>Helps a clinician decide whether massage therapy is a reasonable option for a "
        "patient, screen for reasons to wait or take care, and print a referral. It gives "
        "options to weigh, not orders; it works offline and keeps no patient details unless "
        "the clinic turns that on.</p>",
        "<h3>Three steps</h3><ol>",
    ]
    parts += [f"<li><b>{escape(title)}.</b> {escape(text)}</li>" for title, text in STEPS]
    parts.append(
        "</ol><h3>The evidence scale</h3><p>Each condition is graded from published "
        "reviews and guidelines:</p><ul>"
    )
    for level in levels:
        color = EVIDENCE_COLORS.get(level.id, "#e6e6e6")
        parts.append(f"<li>{badge(level.label, color)} {escape(level.definition)}</li>")
    parts.append(
        "</ul><p>Help → Evidence scale and method explains more; Help → Keyboard "
        "shortcuts lists the keys.</p>"
    )
    return "\n".join(parts)

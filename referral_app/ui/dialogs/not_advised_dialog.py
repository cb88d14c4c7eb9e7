"""Refer where guidelines advise against massage for this purpose: explained first, and a sheet
is prepared only with the clinician's reason, printed on every part and kept in the log."""

from __future__ import annotations

from html import escape

from referral_app.domain.recommend import Recommendation
from referral_app.ui.dialogs.override_dialog import OverrideReasonDialog


def explanation(rec: Recommendation) -> str:
    sources = escape("; ".join(rec.condition.advice_sources))
    return (
        f"<p><b>Not advised.</b> Published guidelines advise against massage for "
        f"<b>{escape(rec.condition.name)}</b> [{sources}]. Do not refer for this purpose.</p>"
        "<p>Prepare a sheet only if massage is for another purpose and the therapist must keep "
        "off the areas the guidelines name (for example, gentle massage of other areas agreed "
        "with the care team). The sheet will say that guidelines advise against massage for "
        "this purpose and repeat the precautions; your reason is printed on it and kept in the "
        "referral log (no patient details, please).</p>"
    )


class NotAdvisedDialog(OverrideReasonDialog):
    """Cancel is the default; "Prepare anyway" stays disabled until a reason is typed."""

    TITLE = "Not advised: guidelines advise against"
    PLACEHOLDER = "Reason, e.g. comfort massage of the shoulders only"
    ACCESSIBLE_NAME = "Reason for preparing a sheet against the guideline advice"

    @staticmethod
    def intro_html(rec: Recommendation) -> str:
        return explanation(rec)

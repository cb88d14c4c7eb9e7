"""Preparing a deferred referral: the clinician says why, and the reason is printed on the sheet."""

from __future__ import annotations

from html import escape

from referral_app.domain.recommend import Recommendation
from referral_app.ui.dialogs.override_dialog import OverrideReasonDialog


class DeferDialog(OverrideReasonDialog):
    """Shows why the screen says defer; the sheet is prepared only with a stated reason."""

    TITLE = "Defer: do not refer yet"
    PLACEHOLDER = "Reason, e.g. for use after the surgeon's clearance"
    ACCESSIBLE_NAME = "Reason for preparing the deferred referral"

    @staticmethod
    def intro_html(rec: Recommendation) -> str:
        items = "".join(
            f"<li><b>{escape(f.label)}</b>: {escape(f.instruction)}</li>" for f in rec.deferring
        )
        return (
            f"<p>The screen says to defer massage for <b>{escape(rec.condition.name)}</b>:</p>"
            f"<ul>{items}</ul><p>The sheet can be prepared now for use once the patient is "
            "cleared. It will be marked <b>not to start until cleared</b>, and your reason is "
            "printed on it and kept in the referral log (no patient details, please).</p>"
        )

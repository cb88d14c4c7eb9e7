"""About: versions, data date and intended use."""

from __future__ import annotations

from html import escape

from PySide6 import __version__ as pyside_version
from PySide6.QtWidgets import QMessageBox, QWidget

from referral_app import __version__
from referral_app.db.reference import ReferenceStore


def about_text(store: ReferenceStore) -> str:
    from referral_app.services.content_in_use import signed_by
    from referral_app.services.reference_data import content_of
    from referral_app.services.signing import updates_off_reason

    meta, content = store.meta, content_of(store)
    off = updates_off_reason()
    where = (
        f"Content {content.version}, installed {content.installed} (content pack)"
        if content.origin == "pack"
        else f"Data version {content.version}"
    )
    return (
        f"<h3>Massage Referral Guide {__version__}</h3>"
        f"<p>{where}, built {meta.get('build_date', '?')}, "
        f"{meta.get('condition_count', '?')} conditions.</p>"
        f"<p>Content signed by {escape(signed_by(content))}."
        + (f" {escape(off[0].upper() + off[1:])}.</p>" if off else "</p>")
        + "<p><b>Intended use:</b> information for licensed clinicians deciding whether to suggest "
        "massage therapy and where to refer. Results are options to weigh with the patient, not "
        "orders. Not for emergencies and not a patient-facing decision tool.</p>"
        "<p>Works offline; never uses the network. Patient details are printed only, unless the "
        "clinic opts in to storing them.</p>"
        f"<p><small>Qt for Python (PySide6) {pyside_version}</small></p>"
    )


def show_about(store: ReferenceStore, parent: QWidget | None = None) -> None:
    QMessageBox.about(parent, "About Massage Referral Guide", about_text(store))

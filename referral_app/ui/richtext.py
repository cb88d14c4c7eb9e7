"""Text from users, CSV files and center records shown in Qt widgets that render rich text.

QLabel, QMessageBox and tooltips guess: text that looks like HTML is rendered as HTML, so a
center named ``<img src=…>`` or ``<span style="font-size:28pt">CALL …</span>`` would load a
file or restyle the dialog a clinician confirms. Anything not written by us goes through
:func:`escape` (or :func:`plain` for a whole message) before it meets such a widget.
(Vorta's ``i18n/richtext.py`` is the model.)
"""

from __future__ import annotations


def escape(text: object) -> str:
    """The text, shown as typed (no tags, no entities)."""
    import html  # not on the first paint's path: messages come later

    return html.escape(str(text), quote=True)


def bold(text: object) -> str:
    return f"<b>{escape(text)}</b>"


def link(url: str, text: object | None = None) -> str:
    return f'<a href="{escape(url)}">{escape(url if text is None else text)}</a>'


def plain(text: object) -> str:
    """A whole message that may quote input, for QMessageBox/QLabel: always shown literally
    (line breaks kept)."""
    return "<p>" + escape(text).replace("\n", "<br>") + "</p>"

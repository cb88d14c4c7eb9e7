"""What a CSV import says to the practice manager: the rows named, in plain words.

The first rows with a problem are in the message itself (not only under Show Details), each as
"Row 7 (Lakeside Massage): not imported — …"; a file with some good rows offers to import just
those; after an import that left rows out, one sentence says how many went in and how many not.
"""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

from referral_app.services.csv_import import ImportReport
from referral_app.ui import richtext

SHOWN = 5  # rows with a problem named in the message itself; the rest under Show Details


def _bad_rows(report: ImportReport) -> list[str]:
    shown = [b.words() for b in report.bad[:SHOWN]]
    more = report.bad_total - len(shown)
    return shown + ([f"… and {more} more row(s) not imported (Show Details…)"] if more > 0 else [])


def ask_import_good_rows(parent: QWidget, report: ImportReport) -> bool:
    """Nothing was imported: say which rows and why; True when the user asks to import only the
    good rows."""
    good = report.good
    action = (
        f"Fix these rows in the file and import it again, or import the {good} good row(s) now."
        if good
        else "Fix these rows in the file and import it again."
    )
    text = "\n".join([f"{report.headline()}.", "", *_bad_rows(report), "", action])
    box = QMessageBox(
        QMessageBox.Icon.Warning, "Nothing was imported", richtext.plain(text), parent=parent
    )
    box.setDetailedText("\n".join(report.report_lines()))
    import_good = None
    if good:
        import_good = box.addButton(
            f"Import the {good} good row(s)", QMessageBox.ButtonRole.AcceptRole
        )
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
    box.exec()
    return import_good is not None and box.clickedButton() is import_good


def show_partial_import(parent: QWidget, report: ImportReport) -> None:
    """After importing the good rows only: how many went in, and the rows that did not."""
    text = "\n".join([f"{report.headline()}.", "", *_bad_rows(report)])
    box = QMessageBox(QMessageBox.Icon.Information, "Import", richtext.plain(text), parent=parent)
    box.setDetailedText("\n".join(report.report_lines()))
    box.exec()

"""Issue 26 point 4 (1024×600): the Add-center form, Evidence scale and method, What changed and
Settings open on a 1024×600 screen with their buttons on the screen (the Add form was 560×720,
Save and Cancel below the screen's edge). Run in a child process whose offscreen screen is
1024×600 (the test session's offscreen screen is 800×800); each dialog is also saved as a PNG."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QImage

from tests.screen_helpers import run_on_screen

TITLE_BAR = 30  # a window manager's title bar above the dialog (openbox: 23 px)

SCRIPT = r"""
import json, sys
from pathlib import Path
from PySide6.QtWidgets import QApplication, QDialogButtonBox
from referral_app.db.reference import ReferenceStore
from referral_app.db.user import UserStore
from referral_app.ui.dialogs.center_edit_dialog import CenterEditDialog
from referral_app.ui.dialogs.changes_dialog import ChangesDialog
from referral_app.ui.dialogs.method_dialog import MethodDialog
from referral_app.ui.dialogs.settings_dialog import SettingsDialog

app = QApplication([])
store = ReferenceStore.open(Path(sys.argv[1]))
out = Path(sys.argv[2])
user = UserStore.open(out / "user.db")
found = {"screen": list(app.primaryScreen().availableGeometry().getRect())}
for name, dialog in (
    ("add-center", CenterEditDialog()),
    ("method", MethodDialog(store)),
    ("what-changed", ChangesDialog(store)),
    ("settings", SettingsDialog(user)),
):
    dialog.show()
    app.processEvents()
    box = dialog.findChild(QDialogButtonBox)
    corner = box.mapTo(dialog, box.rect().bottomRight())
    found[name] = {
        "size": [dialog.width(), dialog.height()],
        "buttons_bottom": corner.y(),
        "buttons": [b.text().replace("&", "") for b in box.buttons() if b.isVisible()],
    }
    dialog.grab().save(str(out / f"{name}.png"))
    dialog.close()
print(json.dumps(found))
"""


def test_dialogs_fit_a_1024x600_screen(reference_db: Path, tmp_path: Path) -> None:
    found = run_on_screen(tmp_path, 1024, 600, SCRIPT, str(reference_db), str(tmp_path))
    assert found.pop("screen") == [0, 0, 1024, 600]
    for name, shown in found.items():
        width, height = shown["size"]
        assert width <= 1024 and height + TITLE_BAR <= 600, (name, shown)
        assert shown["buttons_bottom"] < height, (name, shown)  # the button row is inside
        png = QImage(str(tmp_path / f"{name}.png"))
        assert (png.width(), png.height()) == (width, height)
    assert found["add-center"]["buttons"] == ["Save", "Cancel"]
    assert "Close" in found["method"]["buttons"] and found["what-changed"]["buttons"] == ["Close"]

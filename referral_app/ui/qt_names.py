"""Qt's enum values by name and number, for the start-up path.

PySide creates all the enums of a class the first time one of them is used, and the ``Qt``
namespace has 93 (about 120 M instructions, callgrind: 25-50 ms of CPU on this 2-core machine).
Up to the first condition opened, the app does without them:

- ``set_enum_property``: an enum property set by its key's name (``"NoFocus"``); Qt's
  meta-object system converts the name in C++ and no Python enum is made;
- ``KEY_*``, ``*_ROLE``: key codes and item data roles as numbers, to compare with
  ``QKeyEvent.key()`` and a model's ``role`` (ints);
- ``key_sequence``: a StandardKey's key sequence through ``QKeySequence.keyBindings``.

tests/test_qt_names.py checks every number against its ``Qt`` name.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

if TYPE_CHECKING:
    from PySide6.QtGui import QKeySequence

KEY_ESCAPE = 0x01000000  # Qt.Key.Key_Escape
KEY_LEFT, KEY_UP, KEY_RIGHT, KEY_DOWN = 0x01000012, 0x01000013, 0x01000014, 0x01000015
# Qt.ItemDataRole: an item model's data() gets its role as an int
DISPLAY_ROLE, TOOLTIP_ROLE, FONT_ROLE, BACKGROUND_ROLE, FOREGROUND_ROLE = 0, 3, 6, 8, 9
ACCESSIBLE_TEXT_ROLE = 11


def set_enum_property(target: QObject, name: str, key: str) -> None:
    """``target.name = key``: ``key`` is the enum's key, or keys joined by "|" for flags
    (``"AlignLeft|AlignVCenter"``). A wrong name or key raises ValueError (Qt would only
    return False)."""
    if not target.setProperty(name, key):
        raise ValueError(f"{type(target).__name__}.{name} cannot be set to {key!r}")


def key_sequence(keys: str | QKeySequence.StandardKey) -> QKeySequence:
    """``QKeySequence(keys)``: a portable text ("Ctrl+K") or a StandardKey's first binding
    (empty where the platform has none). The constructor itself, handed a StandardKey, tries its
    overloads through ``Qt.Key`` and so creates the whole ``Qt`` namespace."""
    from PySide6.QtGui import QKeySequence

    if isinstance(keys, str):
        return QKeySequence(keys)
    bindings = QKeySequence.keyBindings(keys)
    return bindings[0] if bindings else QKeySequence()

"""Three 0-10 boxes for the PEG-3 (pain, enjoyment of life, general activity); "—" is not asked."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QSpinBox, QWidget

from referral_app.domain.outcomes import PEG_ITEMS, Peg, PegError

NOT_ASKED = -1


class PegInput(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.boxes: list[QSpinBox] = []
        for letter, (_key, words) in zip("PEG", PEG_ITEMS, strict=True):
            box = QSpinBox(self)
            box.setRange(NOT_ASKED, 10)
            box.setSpecialValueText("—")  # not asked
            box.setValue(NOT_ASKED)
            box.setAccessibleName(f"PEG-3 {letter}: {words.lower()}, 0 to 10")
            box.setToolTip(f"{words}: 0 to 10 (— not asked)")
            label = QLabel(letter, self)  # no mnemonic: Alt+P is Save PDF
            label.setBuddy(box)
            layout.addWidget(label)
            layout.addWidget(box)
            self.boxes.append(box)
        self.setToolTip(
            "PEG-3 (Krebs 2009), each 0-10 for the past week: P pain on average, "
            "E interference with enjoyment of life, G interference with general activity"
        )
        layout.addStretch()

    def peg(self) -> Peg | None:
        """None when none was asked; PegError when only some were."""
        values = [b.value() for b in self.boxes]
        if all(v == NOT_ASKED for v in values):
            return None
        if any(v == NOT_ASKED for v in values):
            raise PegError(
                "give all three PEG-3 scores (pain, enjoyment of life, activity) or none"
            )
        pain, enjoyment, activity = values
        return Peg(pain, enjoyment, activity)

    def set_peg(self, peg: Peg | None) -> None:
        values = peg.items if peg else (NOT_ASKED,) * 3
        for box, value in zip(self.boxes, values, strict=True):
            box.setValue(value)

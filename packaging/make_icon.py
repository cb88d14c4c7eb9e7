"""Draw packaging/referral-guide.png (256x256), the menu entry's icon. Run once, commit the PNG:
``QT_QPA_PLATFORM=offscreen python packaging/make_icon.py``.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QGuiApplication, QImage, QPainter, QPainterPath, QPen

SIZE = 256
OUT = Path(__file__).with_name("referral-guide.png")


def draw(painter: QPainter) -> None:
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    card = QPainterPath()
    card.addRoundedRect(QRectF(8, 8, SIZE - 16, SIZE - 16), 44, 44)
    painter.fillPath(card, QColor("#2f6f73"))
    pen = QPen(QColor("#ffffff"), 14)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    painter.setPen(pen)
    painter.drawLine(128, 62, 128, 150)  # a plus: care
    painter.drawLine(84, 106, 172, 106)
    font = QFont("DejaVu Sans", 30, QFont.Weight.Bold)
    painter.setFont(font)
    painter.drawText(QRectF(0, 164, SIZE, 60), Qt.AlignmentFlag.AlignCenter, "Rx")


def main() -> int:
    app = QGuiApplication(sys.argv[:1])  # noqa: F841 - fonts need an application
    image = QImage(SIZE, SIZE, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    draw(painter)
    painter.end()
    return 0 if image.save(str(OUT)) else 1


if __name__ == "__main__":
    sys.exit(main())

"""Render the app icon from ambientnote.svg: PNGs for Linux (hicolor), .ico for Windows, .icns for macOS.

Run after editing the SVG:  QT_QPA_PLATFORM=offscreen .venv/bin/python assets/icons/render.py
"""

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

HERE = Path(__file__).resolve().parent


def render(size: int) -> QImage:
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    QSvgRenderer(str(HERE / "ambientnote.svg")).render(painter)
    painter.end()
    return image


if __name__ == "__main__":
    app = QGuiApplication([])
    for size in (256, 48):
        render(size).save(str(HERE / f"ambientnote-{size}.png"))
    render(256).save(str(HERE / "ambientnote.ico"), "ICO")
    render(256).save(str(HERE / "ambientnote.icns"), "ICNS")

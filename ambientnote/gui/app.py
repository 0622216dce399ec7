"""Starting the desktop app: the QApplication, system theme, high-DPI, and the main window.

``ambientnote`` with no arguments calls ``run()``. Qt follows the system's
light or dark scheme by itself with the Fusion style; high-DPI scaling is on
by default in Qt 6, with fractional factors passed through so 125 %/150 %
screens stay crisp.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QIcon
from PySide6.QtWidgets import QApplication

from ambientnote.egress import install_for_site
from ambientnote.paths import assets_dir

if TYPE_CHECKING:
    from ambientnote.config import Settings


def make_app(argv: list[str] | None = None) -> QApplication:
    """The process's QApplication (created once), styled to follow the system theme."""
    existing = QApplication.instance()
    if existing is not None:
        assert isinstance(existing, QApplication), "the process's application object is made here, a QApplication"
        return existing
    QGuiApplication.setHighDpiScaleFactorRoundingPolicy(Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
    app = QApplication(argv if argv is not None else sys.argv[:1])
    app.setApplicationName("AmbientNote")
    app.setOrganizationName("AmbientNote")
    app.setDesktopFileName("ambientnote")
    app.setStyle("Fusion")
    icon = assets_dir() / "icons" / "ambientnote.svg"
    if icon.is_file():
        app.setWindowIcon(QIcon(str(icon)))
    return app


def wait_until(predicate: Callable[[], object], limit: float = 300.0) -> None:
    """Run the event loop until ``predicate()`` holds (scripts: the benchmark, the screenshots)."""
    deadline = time.monotonic() + limit
    while not predicate():
        if time.monotonic() > deadline:
            raise TimeoutError("the window did not reach the expected state in time")
        QApplication.processEvents()
        time.sleep(0.001)


def run(cfg: Settings, argv: list[str] | None = None) -> int:
    """Open the window on ``cfg`` (the settings the command read) and run the event loop until it closes;
    returns the exit status."""
    from ambientnote.gui.window import MainWindow  # a cycle: the window's PDF export (gui.pdf) uses make_app

    install_for_site(cfg)  # zero egress: only loopback and the site policy's on-prem endpoint
    app = make_app(argv)
    window = MainWindow(cfg)
    window.show()
    return app.exec()


if __name__ == "__main__":
    from ambientnote.config import load_settings

    sys.exit(run(load_settings()))

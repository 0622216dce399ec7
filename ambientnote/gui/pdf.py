"""A note as PDF, through Qt's own text layout (QTextDocument → QPdfWriter).

Why Qt and not a PDF library: PySide6 is already a dependency and lays out
Markdown with the system's fonts. It needs a QGuiApplication for fonts, so it
lives in ``gui/`` rather than ``export/``; the CLI exports txt/md/FHIR.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMarginsF, QSizeF
from PySide6.QtGui import QPageLayout, QPageSize, QPdfWriter, QTextDocument

from ambientnote.errors import InputError


def write_pdf(markdown: str, path: Path, title: str = "Clinical note") -> None:
    """Write ``markdown`` as an A4 PDF at ``path`` (atomically: a failed write leaves no half file)."""
    path = Path(path)
    tmp = path.with_name(path.name + ".part")
    writer = QPdfWriter(str(tmp))
    writer.setTitle(title)
    writer.setCreator("AmbientNote")
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait,
                                     QMarginsF(18, 18, 18, 18), QPageLayout.Unit.Millimeter))
    writer.setResolution(300)
    doc = QTextDocument()
    doc.setMarkdown(markdown)
    doc.setPageSize(QSizeF(writer.width(), writer.height()))
    doc.print_(writer)
    del writer
    try:
        tmp.replace(path)
    except OSError as exc:
        raise InputError(f"The PDF could not be written to {path.parent} ({exc.strerror}).") from exc

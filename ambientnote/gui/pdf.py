"""An exported note as PDF, laid out by Qt (QTextDocument painted page by page onto a QPdfWriter).

Why Qt and not a PDF library: PySide6 is already a dependency, lays out the export's Markdown with real
line wrapping, and embeds (subsets of) the TrueType fonts it uses, so the PDF reads the same on any
machine. It needs a QGuiApplication for fonts, hence ``gui/``; the CLI's ``note export --format pdf`` makes
an offscreen one (no window opens). The words are the export's own (``ExportDocument.render("md")``); this
module adds only paper, margins, and a footer on every page that names the patient and the page
("Page 2 of 3"), so a loose printed page can be put back with its chart.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

from PySide6.QtCore import QLocale, QMarginsF, QRectF, QSizeF, Qt
from PySide6.QtGui import (
    QFont,
    QGuiApplication,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextFormat,
    QTextOption,
)

from ambientnote.errors import InputError
from ambientnote.exports.document import ExportDocument, local_time
from ambientnote.files import atomic_path, explain
from ambientnote.gui.app import make_app

PAPER = {"letter": QPageSize.PageSizeId.Letter, "a4": QPageSize.PageSizeId.A4}
MARGIN_MM = 18.0
FOOTER_MM = 8.0
DPI = 300
FONT_POINTS = 10.5
HEADINGS = {1: (15.0, 0.0, 2.0), 2: (12.5, 6.0, 2.0), 3: (11.0, 5.0, 1.0)}  # level: (points, space above, below)


def paper_for(choice: str) -> str:
    """``letter`` or ``a4``; ``auto`` follows the system locale (Letter where it measures in inches)."""
    if choice in PAPER:
        return choice
    return "letter" if QLocale.system().measurementSystem() == QLocale.MeasurementSystem.ImperialUSSystem else "a4"


def _app() -> QGuiApplication:
    """The running Qt application, or an offscreen one for the CLI (fonts need a QGuiApplication).

    The one made here is a full QApplication: Qt allows one application object per process, and a
    QGuiApplication made first would make any later window in the same process abort.
    """
    app = QGuiApplication.instance()
    if isinstance(app, QGuiApplication):
        return app
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    return make_app(["ambientnote"])


def _footer(doc: ExportDocument, page: int, pages: int) -> str:
    """Whose note and which page; an unsigned one says so on every page, not only the first."""
    h = doc.header
    state = "" if h.signed else " · Draft — not signed"
    day = local_time(h.visit_start, "%Y-%m-%d", zone=False)
    return f"{h.patient_label} · {day} · {h.template_title} v{h.version}{state} · Page {page} of {pages}"


def _print_headings(text: QTextDocument) -> None:
    """Markdown headings at print sizes: Qt's defaults make a note's title shout and its sections run together."""
    block = text.begin()
    while block.isValid():
        if (level := block.blockFormat().headingLevel()) in HEADINGS:
            points, above, below = HEADINGS[level]
            cursor = QTextCursor(block)
            fmt = block.blockFormat()
            fmt.setTopMargin(above * DPI / 72)
            fmt.setBottomMargin(below * DPI / 72)
            cursor.setBlockFormat(fmt)
            cursor.select(QTextCursor.SelectionType.BlockUnderCursor)
            char = QTextCharFormat()
            char.setFontPointSize(points)
            cursor.mergeCharFormat(char)
        block = block.next()


def _keep_headings_with_text(text: QTextDocument, page_height: float) -> None:
    """Start a page at a heading that would otherwise end one, apart from the text it heads."""
    layout, block = text.documentLayout(), text.begin()
    while block.isValid() and block.next().isValid():
        following = block.next()
        if block.blockFormat().headingLevel() and \
                int(layout.blockBoundingRect(block).top() // page_height) \
                != int(layout.blockBoundingRect(following).bottom() // page_height):
            fmt = block.blockFormat()
            fmt.setPageBreakPolicy(QTextFormat.PageBreakFlag.PageBreak_AlwaysBefore)
            QTextCursor(block).setBlockFormat(fmt)
        block = following


def write_pdf(doc: ExportDocument, path: Path, paper: str = "auto") -> int:
    """Write ``doc`` as a PDF at ``path`` on Letter or A4 paper; returns the page count.

    Through ``files.atomic_path``: owner-only, written beside ``path`` and renamed over it, so a failed
    write leaves no half file and the PHI never passes through the OS temp folder.
    """
    _app()
    path = Path(path).expanduser()
    try:
        with atomic_path(path) as tmp:
            pages = _paint(doc, tmp, paper)
    except OSError as exc:
        raise InputError(f"The PDF could not be written to {path}: {explain(exc)}.") from exc
    return pages


def _paint(doc: ExportDocument, target: Path, paper: str) -> int:
    writer = QPdfWriter(str(target))
    writer.setTitle(f"{doc.header.template_title}, encounter {doc.header.encounter_id}")  # no PHI in metadata
    writer.setCreator("AmbientNote")
    writer.setResolution(DPI)
    margins = QMarginsF(MARGIN_MM, MARGIN_MM, MARGIN_MM, MARGIN_MM)
    writer.setPageLayout(QPageLayout(QPageSize(PAPER[paper_for(paper)]), QPageLayout.Orientation.Portrait, margins,
                                     QPageLayout.Unit.Millimeter))
    width, height = writer.width(), writer.height()  # the printable area, in device pixels
    footer = FOOTER_MM / 25.4 * DPI
    text = QTextDocument()
    text.documentLayout().setPaintDevice(writer)  # lay out at the writer's resolution, not the screen's
    font = QFont()
    font.setPointSizeF(FONT_POINTS)
    text.setDefaultFont(font)
    option = QTextOption()
    option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)  # a long token wraps too
    text.setDefaultTextOption(option)
    text.setMarkdown(doc.render("md"))
    _print_headings(text)
    text.setPageSize(QSizeF(width, height - footer))
    _keep_headings_with_text(text, height - footer)
    pages = text.pageCount()
    painter = QPainter()
    if not painter.begin(writer):
        raise OSError(errno.EACCES, "Qt could not open the PDF for writing", str(target))
    try:
        small = QFont(font)
        small.setPointSizeF(FONT_POINTS - 2)
        for page in range(pages):
            if page:
                writer.newPage()
            body = QRectF(0, page * (height - footer), width, height - footer)
            painter.save()
            painter.translate(0, -body.top())
            text.drawContents(painter, body)
            painter.restore()
            painter.setFont(small)
            painter.drawText(QRectF(0, height - footer, width, footer),
                             int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignBottom),
                             _footer(doc, page + 1, pages))
    finally:
        painter.end()
    del writer  # closes the file
    return pages

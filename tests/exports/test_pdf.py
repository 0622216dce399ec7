"""The exported PDF as a clinician prints it: Letter or A4, every word on the page, page numbers, fonts embedded."""

from __future__ import annotations

import os
import re

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pypdfium2 as pdfium  # noqa: E402
import pytest  # noqa: E402

from ambientnote.gui.pdf import write_pdf  # noqa: E402
from ambientnote.notes.schema import Note  # noqa: E402
from ambientnote.store import encounters as enc  # noqa: E402
from ambientnote.store.note_export import export_document, export_note  # noqa: E402

POINTS = {"letter": (612, 792), "a4": (595, 842)}  # 8.5 x 11 in, 210 x 297 mm


def _words(text: str) -> list[str]:
    return re.findall(r"[A-Za-z0-9]+", text)


def _pages(path):
    pdf = pdfium.PdfDocument(path)
    return pdf, [pdf[i] for i in range(len(pdf))]


@pytest.mark.parametrize("paper", ["letter", "a4"])
def test_every_character_lies_inside_the_page(clinician, stored, tmp_path, paper):
    note = Note.model_validate_json(enc.show_encounter(clinician, stored).latest.body)
    long_line = "Lisinopril-" * 40  # one unbreakable token wider than the page
    for _ in range(12):  # long enough for several pages
        note.sections[0].subsections[1].statements.append(
            note.sections[0].subsections[1].statements[0].model_copy(update={"text": f"He reports {long_line} x."}))
    enc.edit_note(clinician, stored, note)
    out = tmp_path / "note.pdf"
    pages = write_pdf(export_document(clinician, stored, "pdf"), out, paper)
    pdf, rendered = _pages(out)
    assert pages == len(rendered) >= 2
    for number, page in enumerate(rendered, start=1):
        width, height = page.get_size()
        assert (round(width), round(height)) == POINTS[paper]
        text = page.get_textpage()
        for i in range(text.count_chars()):
            left, bottom, right, top = text.get_charbox(i)
            if right > left:  # a drawn glyph, not a line break
                assert 0 < left and right < width and 0 < bottom and top < height, (number, i)
        assert f"Page {number} of {pages}" in text.get_text_range()
        bitmap = page.render(scale=0.5).to_numpy()  # ink on the page, none in the margins
        assert bitmap.min() < 128
        margin = int(0.5 * 72 * 12 / 25.4)  # 12 mm of the 18 mm margin
        assert bitmap[:, :margin].min() > 200 and bitmap[:, -margin:].min() > 200
    pdf.close()


def test_pdf_holds_the_exported_words_and_embeds_its_fonts(clinician, stored, tmp_path):
    out = tmp_path / "note.pdf"
    write_pdf(export_document(clinician, stored, "pdf"), out, "letter")
    pdf, rendered = _pages(out)
    footer = re.compile(r"Hayworth, R\. · \d{4}-\d\d-\d\d · SOAP note v1 · Draft — not signed · Page (\d+) of (\d+)")
    printed = [p.get_textpage().get_text_range() for p in rendered]
    pdf.close()
    assert [footer.search(t).groups() for t in printed] == [(str(n), str(len(printed))) for n in range(1, len(printed) + 1)]
    body = " ".join(footer.sub("", t) for t in printed)
    assert _words(body) == _words(export_note(clinician, stored, "md"))  # the export's words, in its order
    raw = out.read_bytes()
    descriptors = raw.count(b"/Type /FontDescriptor")
    assert descriptors and raw.count(b"/FontFile2") == descriptors  # every font embeds its (TrueType) glyphs
    title = re.search(rb"/Title \((.*?)\)", raw, re.S)
    assert title is None or b"Hayworth" not in title.group(1)  # no PHI in the document's metadata


def test_a_signed_pdf_carries_the_signers_attestation_and_a_draft_says_it_is_not_signed(clinician, stored, tmp_path):
    from ambientnote.visits.signing import ATTESTATION  # the words the Sign dialog shows

    def printed(name: str) -> str:
        out = tmp_path / name
        write_pdf(export_document(clinician, stored, "pdf"), out, "a4")
        pdf, rendered = _pages(out)
        text = " ".join(" ".join(p.get_textpage().get_text_range().split()) for p in rendered)
        pages = len(rendered)
        pdf.close()
        return text, pages

    draft, pages = printed("draft.pdf")
    assert draft.startswith("Draft — not signed") and draft.count("Draft — not signed · Page") == pages
    assert "Electronically signed" not in draft
    enc.sign_note(clinician, stored)
    signed, _ = printed("signed.pdf")
    assert "not signed" not in signed
    assert re.search(r"Electronically signed by dr_b on \d{4}-\d\d-\d\d \d\d:\d\d \S+\. " + re.escape(ATTESTATION),
                     signed)

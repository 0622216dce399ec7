"""Exporting a stored note for the EHR: plain text, Markdown, a FHIR R4 DocumentReference or Bundle, or PDF.

Every face (``note export``, ``encounter show``, the GUI's Copy as text, Export PDF and Export FHIR) calls
here, so they all print the one document ``ambientnote.exports.document`` renders from the note templates.
This module owns only what needs the store: the caller may export only their own encounters, and every
export is audited with the encounter id, version and format (``pdf`` too), never the text.
"""

from __future__ import annotations

from ambientnote.audit.log import record_now
from ambientnote.errors import InputError
from ambientnote.exports.document import TEXT_FORMATS, ExportDocument, build_document
from ambientnote.exports.fhir import document_reference_json
from ambientnote.exports.fhir_bundle import bundle_json
from ambientnote.store.encounters import own_encounter, show_encounter
from ambientnote.store.session import Session

FHIR_FORMATS = ("fhir", "fhir-bundle")
TEXT_EXPORTS = (*TEXT_FORMATS, *FHIR_FORMATS)
FORMATS = (*TEXT_EXPORTS, "pdf")


def export_document(session: Session, encounter_id: int, fmt: str, version: int | None = None) -> ExportDocument:
    """One of the caller's note versions (the latest by default), ready to render as ``fmt``; an audited export.

    The PDF face paints the document itself (Qt), so it calls this with ``fmt="pdf"`` to have the export
    audited as what it is.
    """
    if fmt not in FORMATS:
        raise InputError(f"Unknown note format '{fmt}'; choose one of {', '.join(FORMATS)}.")
    own_encounter(session, encounter_id, "encounter.export")
    doc = build_document(show_encounter(session, encounter_id), session.account, version)
    record_now(session.store, session.actor, "encounter.export", entity_type="encounter", entity_id=encounter_id,
               detail={"format": fmt, "version": doc.header.version, "status": doc.header.entry.status})
    return doc


def render_export(doc: ExportDocument, fmt: str, store_id: str = "") -> str:
    """``doc`` as txt, md, or FHIR JSON (a DocumentReference, or a Bundle with the visit record's resources)."""
    if fmt in FHIR_FORMATS:
        return bundle_json(doc, store_id) if fmt == "fhir-bundle" else document_reference_json(doc, store_id)
    return doc.render(fmt)


def export_note(session: Session, encounter_id: int, fmt: str, version: int | None = None) -> str:
    """One of the caller's notes as txt, md, fhir or fhir-bundle text (an audited export)."""
    if fmt not in TEXT_EXPORTS:
        raise InputError(f"'{fmt}' is not a text format; choose one of {', '.join(TEXT_EXPORTS)}.")
    return render_export(export_document(session, encounter_id, fmt, version), fmt, session.store.store_id)


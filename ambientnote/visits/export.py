"""A stored note written to a file for the EHR: text, Markdown or FHIR, owner-only, atomically, and signed.

Why here: the review screen's Export FHIR and ``note export --out`` write the
same audited export to a file the clinician named; a failure is one sentence
naming the file. Every file written is signed with the installation key
(``FILE.sig`` beside it), so ``audit verify --file`` accepts a GUI export as it
does a CLI one. A PDF is laid out by Qt (fonts, pages), so a face paints it
from ``export_document(session, id, "pdf")`` itself and then calls
``sign_exported``: this package never imports Qt.
"""

from __future__ import annotations

from pathlib import Path

from ambientnote.audit.signing import sign_export
from ambientnote.errors import InputError
from ambientnote.files import explain, write_atomic
from ambientnote.store.note_export import export_note
from ambientnote.store.session import Session


def sign_exported(session: Session, path: Path) -> Path:
    """Sign a note file just exported by ``session`` (the same key and statement as ``note export --out``);
    returns the ``.sig`` written beside it."""
    return sign_export(session.store, session.actor, Path(path))


def export_to_file(session: Session, encounter_id: int, fmt: str, path: Path, version: int | None = None) -> Path:
    """Write the caller's note (the latest version by default) to ``path`` as txt, md, fhir or fhir-bundle,
    with its signature in ``path.sig``; returns ``path``."""
    text = export_note(session, encounter_id, fmt, version)
    try:
        write_atomic(path, text)
    except OSError as exc:
        raise InputError(f"The note could not be written to {path}: {explain(exc)}.") from exc
    sign_exported(session, path)
    return path

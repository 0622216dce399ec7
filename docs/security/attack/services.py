"""dr_b, carol and admin through the services the desktop app calls, on dr_a's encounter 1 (E7, E8)."""

from __future__ import annotations

from pathlib import Path

from common import PASSWORDS, attempt

from ambientnote.config import load_settings
from ambientnote.bench.sandbox import synthetic_note
from ambientnote.store import encounters as enc
from ambientnote.store.note_export import export_document
from ambientnote.store.session import login
from ambientnote.visits.export import export_to_file
from ambientnote.visits.save import save_revision
from ambientnote.visits.signing import sign_visit

for who in ("dr_b", "carol", "admin"):
    with login(who, PASSWORDS[who], cfg=load_settings()) as s:
        attempt(f"{who} export_to_file", lambda s=s, w=who: export_to_file(s, 1, "fhir", Path(f"g-{w}.fhir")))
        attempt(f"{who} export_document", lambda s=s: export_document(s, 1, "fhir"))
        attempt(f"{who} sign_visit", lambda s=s, w=who: sign_visit(s, 1, PASSWORDS[w]))
        attempt(f"{who} save_revision", lambda s=s: save_revision(s, 1, synthetic_note()))
        attempt(f"{who} edit_note", lambda s=s: enc.edit_note(s, 1, synthetic_note()))
        attempt(f"{who} set_patient_details", lambda s=s: enc.set_patient_details(s, 1, mrn="AB-1"))
        attempt(f"{who} delete_encounter", lambda s=s: enc.delete_encounter(s, 1))
        attempt(f"{who} lists encounter 1", lambda s=s: any(e.id == 1 for e in enc.list_encounters(s)))

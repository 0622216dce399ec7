"""``ambientnote-selfcheck``: what hospital IT runs after deploying, shipped in the bundle beside ``ambientnote``.

It checks the install the way the desktop app will use it: every shipped model
against its SHA-256, then a note drafted from the bundled sample transcript in
the drafting child process (``ambientnote/router/worker.py``, multiprocessing
"spawn"), the path the GUI takes and a frozen build can break. Touches no store.
Exit status 0 when all is well; one sentence on stderr otherwise.
"""

import multiprocessing
import sys
import time


def main() -> int:
    from ambientnote.capture.samples import reference_path, sample_paths
    from ambientnote.config import load_settings
    from ambientnote.errors import AmbientNoteError
    from ambientnote.models import resolve_model
    from ambientnote.router.worker import DraftWorker
    from ambientnote.transcript.formats import load_transcript

    started = time.perf_counter()
    cfg = load_settings()  # the deployed settings: site policy, then the user's file
    worker = DraftWorker()
    try:
        for name, role in ((cfg.asr_model, "asr"), (cfg.note_model, "note")):
            print(f"ok       model {name}  {resolve_model(name, role, cfg=cfg)}")
        transcript = load_transcript(reference_path(sample_paths()[0]))
        note = worker.draft(transcript, cfg=cfg)
        statements = sum(1 for _ in note.statements())
        print(f"ok       draft in a child process: {len(note.sections)} sections, {statements} statements")
    except AmbientNoteError as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return 1
    finally:
        worker.close()
    print(f"ok       self-check passed in {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    multiprocessing.freeze_support()
    sys.exit(main())

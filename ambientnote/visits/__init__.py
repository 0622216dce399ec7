"""The visit flow, once, for every face: record or import → transcribe → draft → save → revise → sign → export.

Why a package of its own: the CLI (``ambientnote draft``) and the desktop app
used to each write the same steps (save a routed draft and audit its
escalation, redraft, recover an interrupted recording, export), and the two
copies drifted. Here each step is one plain function that takes the store
``Session``, reads settings itself and reports long work through an
``on_progress(done, total, label)`` callback; the faces only choose when to
call it and how to show the result. Nothing here imports Qt.

    save.py       a drafted visit or a revision into the store, with the escalation audited beside it
    recorder.py   a recording in progress (microphone or an audio file): capture → spool + live transcript
    recover.py    an interrupted recording back from its encrypted spool, transcribed
    revise.py     the clinician's changes to a note: one section drafted again, reworded statements, addendum
    signing.py    signing with an attestation and acknowledged flags; the status a note reads as
    export.py     a stored note written to a file for the EHR
"""

"""Reading clinical English, below both the visit record (``facts``) and the note (``notes``).

Sentences and the visit's phases (``phases``), the term lists the project ships (``terms``), negation cues
(``negation``) and whether one sentence reads like a note (``statement_style``). The record is extracted with
them and the note is composed, guarded and audited with them; keeping them here, importing neither, is what
lets ``notes`` import ``facts`` and not the other way round.
"""

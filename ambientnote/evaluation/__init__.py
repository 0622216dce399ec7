"""Measuring every stage against references, kept in one place apart from the code it scores.

Notes on ACI-Bench-style data (``run``: ROUGE, fact recall, style audit, evidence, guard, speed; ``sections``:
MTS-Dialog section by section; ``zero_shot``: the one-answer baseline), the guard and assertion backends
(``guard_eval``, ``assertion_eval``), the recogniser (``asr``, ``asr_metrics``: WER, drug-name recall, role
accuracy) and de-identification (``deid``). The app never imports this package; ``ambientnote eval`` and the
``python -m`` entry points do.
"""

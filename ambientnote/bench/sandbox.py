"""A throw-away store environment for the benchmarks, away from the user's real store, and their synthetic visit.

It lives with the benchmarks because ``ambientnote bench`` is the one part of the app that needs it: the
store and GUI figures are measured in stores made and thrown away here. It points ``AMBIENTNOTE_HOME`` and
the user config at a folder of the caller's choosing, ignores any site policy, and makes Argon2id cheap
(``fast_kdf``) where unlocking is not what is measured; the unlock figure uses the full cost
(``fast_kdf=False``). Real stores always use the settings' full KDF cost; the parameters are recorded in
each wrap. The tests build on this environment in ``tests/support/sandbox.py`` (which adds what only they need).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ambientnote.config import Settings, load_settings
from ambientnote.transcript import Role, Segment, Transcript

FAST_KDF = {
    "AMBIENTNOTE_KDF_MEMORY_KIB": "1024",
    "AMBIENTNOTE_KDF_TIME_COST": "1",
}


def sandbox_env(home: Path, *, fast_kdf: bool = True) -> dict[str, str]:
    """Environment variables that confine AmbientNote to ``home``."""
    env = {
        "AMBIENTNOTE_HOME": str(home),
        "AMBIENTNOTE_POLICY": str(home / "no-site-policy.toml"),
        "XDG_CONFIG_HOME": str(home / "config"),
    }
    return env | (FAST_KDF if fast_kdf else {})


@contextmanager
def sandbox(home: Path, *, fast_kdf: bool = True) -> Iterator[Settings]:
    """Run the block with AmbientNote confined to ``home``, giving it the settings read there; the environment
    is restored afterwards."""
    env = sandbox_env(home, fast_kdf=fast_kdf)
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        yield load_settings()
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


CONSULTATION = [
    ("clinician", "Good morning, what brings you in today?"),
    ("patient", "I have had a crushing chest pain since Tuesday, mostly when I climb the stairs."),
    ("clinician", "Any shortness of breath or sweating with it?"),
    ("patient", "Some breathlessness. My father had a heart attack at fifty-two."),
    ("clinician", "Are you still taking the lisinopril ten milligrams every morning?"),
    ("patient", "Yes, and the atorvastatin at night."),
    ("clinician", "I will order an ECG and a troponin, and refer you to cardiology this week."),
]


def synthetic_transcript(lines: list[tuple[str, str]] | None = None, repeat: int = 1) -> Transcript:
    """A made-up consultation (no real patient) as a Transcript, for the store benchmark (and tests)."""
    segments, t = [], 0.0
    for i, (role, text) in enumerate((lines or CONSULTATION) * repeat, start=1):
        segments.append(Segment(id=f"s{i}", start=t, end=t + 4.0, speaker="S1" if role == "clinician" else "S2",
                                role=Role(role), text=text, confidence=0.93))
        t += 4.0
    return Transcript(segments=segments, duration=t, model="tiny.en")


def synthetic_note() -> dict:
    """A SOAP note (``ambientnote.notes.schema.Note`` as JSON) whose statements cite the synthetic transcript."""

    def sub(key: str, title: str, *statements: tuple[str, list[str]]) -> dict:
        return {"key": key, "title": title, "statements": [{"text": t, "evidence": e} for t, e in statements]}

    return {
        "template": "soap", "model": "synthetic",
        "sections": [
            {"key": "subjective", "title": "Subjective", "subsections": [
                sub("hpi", "HISTORY OF PRESENT ILLNESS",
                    ("Crushing chest pain since Tuesday on exertion, with breathlessness.", ["s2", "s4"]),
                    ("Father had a myocardial infarction at 52.", ["s4"]))]},
            {"key": "objective", "title": "Objective", "subsections": [sub("exam", "PHYSICAL EXAM")]},
            {"key": "assessment_and_plan", "title": "Assessment and Plan", "subsections": [
                sub("assessment", "ASSESSMENT", ("Exertional chest pain, possible angina.", ["s2"])),
                sub("plan", "PLAN", ("ECG and troponin; cardiology referral this week.", ["s7"]),
                    ("Continue lisinopril 10 mg daily and atorvastatin.", ["s5", "s6"]))]},
        ],
    }

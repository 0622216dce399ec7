"""Who is the clinician? A word-level naive Bayes lexicon learned from tagged consultations.

Clinicians ask the questions and use clinical phrasing ("any chest pain?",
"i recommend", "we will"); patients talk about themselves ("i have", "my").
``models/roles/role_lexicon.json`` holds, per token, the log-odds of doctor vs
patient estimated on the ACI-Bench *train* split (built by
``python -m ambientnote.training.roles``). A voice's role comes from the
mean log-odds over everything that voice said, which is robust where single
sentences are not.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

from ambientnote.paths import models_dir
from ambientnote.transcript import Role, Transcript

_TOKEN = re.compile(r"[a-z]+(?:'[a-z]+)?|\?|\d+")


def tokens(text: str) -> list[str]:
    return ["<num>" if t.isdigit() else t for t in _TOKEN.findall(text.lower())]


def lexicon_path() -> Path:
    return models_dir() / "roles" / "role_lexicon.json"


@lru_cache(maxsize=1)
def _weights() -> dict[str, float]:
    data = json.loads(lexicon_path().read_text(encoding="utf-8"))
    return data["weights"]


def clinician_score(text: str) -> float:
    """Mean log-odds per token that ``text`` was said by the clinician (> 0: clinician-like)."""
    toks = tokens(text)
    if not toks:
        return 0.0
    weights = _weights()
    return sum(weights.get(t, 0.0) for t in toks) / len(toks)


def assign_roles(texts_by_speaker: dict[str, str]) -> dict[str, Role]:
    """Roles for each speaker from all the text they said.

    The most clinician-like voice is the clinician; of the others, the most
    patient-like (who talks about "my" symptoms, not "her" symptoms) is the
    patient and the rest are ``other`` (a relative, an interpreter). A single
    voice is the clinician when it sounds like one (dictation), else the patient.
    """
    if not texts_by_speaker:
        return {}
    scores = {s: clinician_score(t) for s, t in texts_by_speaker.items()}
    if len(scores) == 1:
        (speaker, score), = scores.items()
        return {speaker: Role.clinician if score >= 0 else Role.patient}
    clinician = max(scores, key=lambda s: scores[s])
    rest = sorted((s for s in scores if s != clinician), key=lambda s: scores[s])
    roles = {clinician: Role.clinician, rest[0]: Role.patient}
    roles.update({s: Role.other for s in rest[1:]})
    return roles


def roles_swapped(transcript: Transcript) -> bool:
    """True when the turns labelled patient sound more like the clinician than those labelled clinician.

    Speaker labels come from diarization or from a tagged file, and either can have the two the wrong
    way round; a note drafted from swapped labels puts the patient's words in the plan.
    """
    said = {role: " ".join(s.text for s in transcript.segments if s.role == role)
            for role in (Role.clinician, Role.patient)}
    if not said[Role.clinician] or not said[Role.patient]:
        return False
    return clinician_score(said[Role.patient]) > clinician_score(said[Role.clinician])


def with_roles_swapped(transcript: Transcript) -> Transcript:
    """The same transcript with clinician and patient labels exchanged (others unchanged)."""
    swap = {Role.clinician: Role.patient, Role.patient: Role.clinician}
    return transcript.model_copy(update={"segments": [
        s.model_copy(update={"role": swap.get(s.role, s.role)}) for s in transcript.segments]})


# chosen on ACI-Bench train and valid: the long patient-labelled turns above it are all the clinician speaking
_CLINICIAN_TURN = 0.25
_LONG_TURN = 15


def with_clinician_turns_relabelled(transcript: Transcript) -> Transcript:
    """Long patient-labelled turns that sound like the clinician, relabelled as the clinician's.

    A speaker boundary in the wrong place (diarization, or a tagged file) hands the clinician's words to the
    patient: "we're gon na continue that for about three weeks i'm also gon na go ahead and send a lyme titer".
    Read as the patient's, the plan loses its orders. A question stays the patient's.
    """
    return transcript.model_copy(update={"segments": [
        s.model_copy(update={"role": Role.clinician})
        if s.role == Role.patient and "?" not in s.text and len(tokens(s.text)) >= _LONG_TURN
        and clinician_score(s.text) >= _CLINICIAN_TURN else s
        for s in transcript.segments]})

"""Speaker turns and roles (clinician / patient / other), on CPU with no downloaded model.

``label_speakers`` gives every utterance a voice (``S1``, ``S2``… in order of
first speaking) by clustering voice prints, then a role per voice from what
that voice said. See ``features`` (voice prints), ``cluster`` (how many voices,
who is who) and ``roles`` (which voice is the clinician).
"""

from __future__ import annotations

import numpy as np

from ambientnote.capture.audio import SAMPLE_RATE
from ambientnote.speakers.cluster import cluster_voices
from ambientnote.speakers.features import EMBEDDING_SIZE, voice_print
from ambientnote.speakers.roles import assign_roles, clinician_score
from ambientnote.speakers.turns import merge_turns, split_sentences
from ambientnote.transcript import Segment

RELIABLE_SECONDS = 0.8
"""Utterances at least this long shape the voice clusters; shorter ones only join one."""

__all__ = [
    "assign_roles",
    "clinician_score",
    "label_speakers",
    "merge_turns",
    "print_for",
    "split_sentences",
]


def print_for(audio: np.ndarray, segment: Segment, offset: float = 0.0) -> np.ndarray:
    """The voice print of ``segment`` cut from ``audio`` (which starts at ``offset`` seconds); NaN if too short."""
    a = max(0, int((segment.start - offset) * SAMPLE_RATE))
    b = max(a, int((segment.end - offset) * SAMPLE_RATE))
    vp = voice_print(audio[a:b])
    return vp if vp is not None else np.full(EMBEDDING_SIZE, np.nan)


def label_speakers(segments: list[Segment], prints: np.ndarray) -> list[Segment]:
    """Copies of ``segments`` with ``speaker`` and ``role`` set; ``prints[i]`` is segment i's voice print."""
    if not segments:
        return []
    usable = ~np.isnan(prints[:, :-2]).any(axis=1)
    labels = np.zeros(len(segments), dtype=int)
    if usable.sum() >= 3:
        durations = np.array([s.end - s.start for s in segments])
        found = cluster_voices(prints[usable], reliable=durations[usable] >= RELIABLE_SECONDS)
        labels[usable] = found
        # an utterance with no usable print (too short) belongs to the voice before it
        for i in np.flatnonzero(~usable):
            labels[i] = labels[i - 1] if i > 0 else 0
    speakers = [f"S{n + 1}" for n in labels]
    texts: dict[str, str] = {}
    for seg, speaker in zip(segments, speakers, strict=True):
        texts[speaker] = f"{texts.get(speaker, '')} {seg.text}"
    roles = assign_roles(texts)
    return [
        seg.model_copy(update={"speaker": sp, "role": roles[sp]}) for seg, sp in zip(segments, speakers, strict=True)
    ]

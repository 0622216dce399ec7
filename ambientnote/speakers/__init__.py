"""Speaker turns and roles (clinician / patient / other), on CPU with no downloaded model.

``label_speakers`` gives every utterance a voice (``S1``, ``S2``… in order of
first speaking) by clustering voice prints, then a role per voice from what
that voice said. See ``features`` (voice prints), ``cluster`` (how many voices,
who is who), ``resegment`` (each utterance to the voice it sounds most like)
and ``roles`` (which voice is the clinician).
"""

from __future__ import annotations

from typing import TypeVar

import numpy as np

from ambientnote.capture.audio import SAMPLE_RATE
from ambientnote.speakers.cluster import cluster_voices
from ambientnote.speakers.features import EMBEDDING_SIZE, voice_print
from ambientnote.speakers.resegment import likelihood, resegment, timbre_split
from ambientnote.speakers.roles import assign_roles, clinician_score
from ambientnote.speakers.turns import merge_turns, split_sentences
from ambientnote.transcript import Segment

V = TypeVar("V", int, str)  # a voice: its number, or its speaker label

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


def _said_by(segments: list[Segment], voices: list[V]) -> dict[V, str]:
    """All that each voice said, one text per voice (``voices[i]`` said ``segments[i]``)."""
    texts: dict[V, str] = {}
    for seg, voice in zip(segments, voices, strict=True):
        texts[voice] = f"{texts.get(voice, '')} {seg.text}"
    return texts


def _one_consultation(segments: list[Segment], labels: np.ndarray) -> bool:
    """Whether the voices of ``labels`` talk like a clinician and a patient (one clinician-like, one not).

    When the voices sound too alike to be sure there are two (two men a few semitones apart, on a telephone
    line), what they say decides: halves of one person's dictation both talk like a clinician.
    """
    scores = [clinician_score(t) for t in _said_by(segments, labels.tolist()).values()]
    return len(scores) > 1 and max(scores) >= 0 > min(scores)


def _best_two(prints: np.ndarray, durations: np.ndarray, starts: list[np.ndarray]) -> np.ndarray | None:
    """Of the two-voice splits that resegmenting each start gives, the one the voices' sound fits best."""
    splits = [split for start in starts if len(set((split := resegment(prints, durations, start)).tolist())) == 2]
    return max(splits, key=lambda split: likelihood(prints, durations, split), default=None)


def _voices(segments: list[Segment], prints: np.ndarray) -> np.ndarray:
    """A voice number per segment (0 speaks first): clustered prints, each utterance then moved to the voice
    it sounds most like (``resegment``).

    With two voices or none clearly apart, the split is started both from the clustering (which weighs pitch)
    and from timbre alone, and the better fit kept: on the development audio set pitch-weighted k-means split
    a noisy recording on two pitch outliers, and two men's voices of one pitch not at all.
    """
    usable = ~np.isnan(prints[:, :-2]).any(axis=1)
    labels = np.zeros(len(segments), dtype=int)
    if usable.sum() < 3:
        return labels
    heard, durations = prints[usable], np.array([s.end - s.start for s in segments])[usable]
    reliable = durations >= RELIABLE_SECONDS
    found = cluster_voices(heard, reliable=reliable)
    voices = len(set(found.tolist()))
    if voices > 2:
        found = resegment(heard, durations, found)
    else:
        start = found if voices == 2 else cluster_voices(heard, reliable=reliable, floor=-1.0)
        two = _best_two(heard, durations, [start, timbre_split(heard)])
        said = [s for s, ok in zip(segments, usable.tolist(), strict=True) if ok]
        if two is not None and (voices == 2 or _one_consultation(said, two)):  # no clear second voice: the words
            found = two                                                      # must say it is two people
    labels[usable] = found
    for i in np.flatnonzero(~usable):  # an utterance with no usable print (too short) belongs to the voice before it
        labels[i] = labels[i - 1] if i > 0 else 0
    order = {old: new for new, old in enumerate(dict.fromkeys(labels.tolist()))}
    return np.array([order[x] for x in labels.tolist()])


def label_speakers(segments: list[Segment], prints: np.ndarray) -> list[Segment]:
    """Copies of ``segments`` with ``speaker`` and ``role`` set; ``prints[i]`` is segment i's voice print."""
    if not segments:
        return []
    speakers = [f"S{n + 1}" for n in _voices(segments, prints)]
    roles = assign_roles(_said_by(segments, speakers))
    return [
        seg.model_copy(update={"speaker": sp, "role": roles[sp]}) for seg, sp in zip(segments, speakers, strict=True)
    ]

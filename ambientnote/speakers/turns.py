"""Cutting recognised text into single-voice utterances, and joining them back into turns.

Whisper segments do not respect speakers: a quick "okay." from the patient can
sit inside the doctor's segment. Speakers nearly always change at the end of
a sentence or at a pause, so segments are cut at sentence-final punctuation
and wherever the VAD heard a pause between two words (using the word
timestamps: Whisper does not always end a sentence where a turn ends, and
then one voice print would cover two people); each piece gets one voice.
Consecutive pieces of one voice are then joined into a turn, the unit of the
tagged transcript.
"""

from __future__ import annotations

from collections.abc import Sequence

from ambientnote.transcript import Segment, Word

_SENTENCE_END = (".", "?", "!")
_GLUE = "-'.,?!%"
MAX_TURN_SECONDS = 45.0  # a monologue longer than this becomes several lines of the same voice


def _piece(words: list[Word], template: Segment) -> Segment:
    text = ""
    for w in words:  # "L", "-U", "-G" and "don", "'t" join without a space
        text += w.word if not text or w.word[0] in _GLUE else f" {w.word}"
    confidence = sum(w.probability for w in words) / len(words)
    return template.model_copy(
        update={
            "start": words[0].start,
            "end": words[-1].end,
            "text": text,
            "words": list(words),
            "confidence": round(max(0.0, min(1.0, confidence)), 4),
        }
    )


def split_sentences(segments: list[Segment], pauses: Sequence[float] = ()) -> list[Segment]:
    """Each segment cut after every word that ends a sentence, and between two words a pause falls between.

    ``pauses`` are seconds (the middle of each silence the VAD found); a pause
    falls between two words when it lies between their middles, so a word
    timestamp that runs into the silence does not hide it. Segments without
    words stay whole.
    """
    out: list[Segment] = []
    for seg in segments:
        if not seg.words:
            out.append(seg)
            continue
        current: list[Word] = []
        for word, after in zip(seg.words, [*seg.words[1:], None], strict=True):
            current.append(word)
            if word.word.endswith(_SENTENCE_END) or (after is not None and _pause_between(word, after, pauses)):
                out.append(_piece(current, seg))
                current = []
        if current:
            out.append(_piece(current, seg))
    return out


def _pause_between(word: Word, after: Word, pauses: Sequence[float]) -> bool:
    left, right = (word.start + word.end) / 2, (after.start + after.end) / 2
    return any(left < p <= right for p in pauses)


def merge_turns(segments: list[Segment]) -> list[Segment]:
    """Join consecutive segments of the same speaker into turns and number them s1, s2, …"""
    turns: list[Segment] = []
    for seg in segments:
        last = turns[-1] if turns else None
        if last is not None and last.speaker == seg.speaker and seg.end - last.start <= MAX_TURN_SECONDS:
            n_last, n_seg = max(len(last.words), 1), max(len(seg.words), 1)
            turns[-1] = last.model_copy(
                update={
                    "end": seg.end,
                    "text": f"{last.text} {seg.text}",
                    "words": last.words + seg.words,
                    "confidence": round((last.confidence * n_last + seg.confidence * n_seg) / (n_last + n_seg), 4),
                }
            )
        else:
            turns.append(seg.model_copy())
    for n, turn in enumerate(turns, start=1):
        turn.id = f"s{n}"
    return turns

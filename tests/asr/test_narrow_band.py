"""Telephone-band recordings are decoded whole, as stock Whisper reads them, and still cut into one-voice turns."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from ambientnote.asr import transcribe_audio
from ambientnote.asr.engine import LoadedModel
from ambientnote.asr.narrow_band import drug_words, narrow_band, with_drug_names
from ambientnote.capture import SAMPLE_RATE, load_audio
from ambientnote.capture.samples import reference_path
from ambientnote.config import load_settings
from ambientnote.evaluation.asr_metrics import plain_text, role_accuracy, turn_scores, word_error_rate
from ambientnote.speakers import split_sentences
from ambientnote.transcript import Role, Segment, Word
from ambientnote.transcript.formats import load_transcript


def telephone(audio: np.ndarray) -> np.ndarray:
    """``audio`` (16 kHz) as a telephone line passes it: 300-3400 Hz, then 8 kHz."""
    spectrum = np.fft.rfft(audio)
    freqs = np.fft.rfftfreq(audio.size, 1 / SAMPLE_RATE)
    spectrum[(freqs < 300) | (freqs > 3400)] = 0
    return np.fft.irfft(spectrum, n=audio.size)[::2].astype(np.float32)


@pytest.fixture(scope="module")
def phone_call(short_sample: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("phone") / "call.wav"
    sf.write(path, telephone(load_audio(short_sample)), SAMPLE_RATE // 2)
    return path


def test_telephone_audio_is_told_from_full_band(short_sample: Path, phone_call: Path) -> None:
    assert narrow_band(load_audio(phone_call))
    assert not narrow_band(load_audio(short_sample))
    assert not narrow_band(np.zeros(SAMPLE_RATE, dtype=np.float32))  # silence has no band to judge


def test_a_telephone_call_read_whole_gives_one_voice_per_turn(
    phone_call: Path, short_sample: Path, asr_model: LoadedModel
) -> None:
    transcript = transcribe_audio(load_audio(phone_call), cfg=load_settings(), model="tiny.en")
    reference = load_transcript(reference_path(short_sample))
    assert word_error_rate(plain_text(reference), plain_text(transcript)) < 0.5  # tiny.en on a phone line
    turns = turn_scores(reference, transcript)
    assert turns["merged"] == 0 and turns["turns"] >= 6  # the doctor's questions and the answers apart
    agree, aligned = role_accuracy(reference, transcript)
    assert aligned > 50 and agree / aligned > 0.8
    assert transcript.segments[0].role is Role.clinician


def test_the_words_are_the_stock_reading_of_the_whole_call(phone_call: Path, asr_model: LoadedModel) -> None:
    transcript = transcribe_audio(load_audio(phone_call), cfg=load_settings(), model="tiny.en")
    stock, _ = asr_model.whisper.transcribe(load_audio(phone_call))  # as `stock:` in evaluation.asr
    assert plain_text(transcript).split() == " ".join(s.text.strip() for s in stock).split()


def _said(*timed: tuple[str, float, float]) -> Segment:
    words = [Word(word=w, start=a, end=b, probability=0.8) for w, a, b in timed]
    return Segment(id="", start=words[0].start, end=words[-1].end, text=" ".join(w for w, _, _ in timed),
                   confidence=0.8, words=words)


STOCK = _said(("I'm", 10.0, 10.2), ("your", 10.2, 10.4), ("pro", 10.4, 10.7), ("for", 10.7, 10.9),
              ("800", 11.0, 11.5), ("milligrams.", 11.5, 12.1))


def test_a_drug_name_heard_with_the_prompt_replaces_the_stock_mishearing() -> None:
    prompted = [_said(("ibuprofen,", 10.0, 10.95), ("800", 11.0, 11.5), ("ml,", 11.5, 12.0))]
    [line] = split_sentences([with_drug_names(STOCK, drug_words(prompted))])
    assert line.text == "ibuprofen, 800 milligrams."  # the dose as stock read it


def test_a_drug_name_only_the_prompt_heard_over_silence_adds_nothing() -> None:
    prompted = [_said(("Lisinopril.", 13.0, 13.8))]  # after the last stock word: nothing was said to stand in for
    assert with_drug_names(STOCK, drug_words(prompted)) == STOCK
    assert drug_words([_said(("pain", 10.0, 10.5))]) == []

"""The development audio set: whole opening turns of train/valid dialogues, two voices, every clinic variant."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from ambientnote.capture.audio import load_audio
from ambientnote.errors import InputError
from ambientnote.evaluation.asr_devset import (
    TRAILING_SILENCE_S,
    VARIANT_NAMES,
    VARIANTS,
    DevVisit,
    build_devset,
    mts_turns,
    opening,
    select_visits,
)

needs_tools = pytest.mark.skipif(
    not all(shutil.which(t) for t in ("espeak-ng", "sox", "ffmpeg")), reason="needs espeak-ng, sox and ffmpeg"
)

TINY = DevVisit(
    name="tiny",
    source="test",
    turns=(("doctor", "how is the knee today ?"), ("patient", "it still hurts when i climb stairs ."),
           ("doctor", "take ibuprofen four hundred milligrams twice a day .")),
    doctor_voice=("en-us+m3", 165, 45),
    patient_voice=("en-gb+f2", 155, 55),
)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, dict]:
    out = tmp_path_factory.mktemp("devset")
    return out, build_devset([TINY], out, log=lambda _: None)


def _rate_and_channels(path: Path) -> tuple[int, int]:
    import av

    with av.open(str(path)) as container:
        stream = container.streams.audio[0]
        return stream.codec_context.sample_rate, stream.codec_context.channels


@needs_tools
def test_every_variant_has_the_promised_rate_and_channels(built) -> None:
    out, manifest = built
    audio = manifest["visits"][0]["audio"]
    assert set(audio) == set(VARIANT_NAMES)
    for variant in VARIANTS:
        path = out / audio[variant.name]
        assert path.suffix == f".{variant.suffix}"
        assert _rate_and_channels(path) == (variant.rate, variant.channels), variant.name


@needs_tools
def test_trailing_silence_adds_eight_silent_seconds(built) -> None:
    out, manifest = built
    audio = manifest["visits"][0]["audio"]
    clean, padded = load_audio(out / audio["clean"]), load_audio(out / audio["silence8s"])
    assert abs((padded.size - clean.size) / 16000 - TRAILING_SILENCE_S) < 0.01
    assert np.abs(padded[clean.size :]).max() < 1e-3


@needs_tools
def test_noise_is_ten_db_below_the_speech_and_telephone_is_band_limited(built) -> None:
    out, manifest = built
    audio = manifest["visits"][0]["audio"]
    clean, _ = sf.read(out / audio["clean"], dtype="float32")
    noisy, _ = sf.read(out / audio["noise10db"], dtype="float32")
    noise = noisy - clean
    frames = clean[: clean.size // 320 * 320].reshape(-1, 320)
    power = (frames**2).mean(axis=1)
    snr = 10 * np.log10(power[power > 0.05 * power.max()].mean() / (noise**2).mean())
    assert 9.0 < snr < 11.0
    phone, _ = sf.read(out / audio["telephone"], dtype="float32")
    spectrum = np.abs(np.fft.rfft(phone)) ** 2
    freqs = np.fft.rfftfreq(phone.size, 1 / 16000)
    assert spectrum[freqs > 4200].sum() < 0.01 * spectrum.sum()


@needs_tools
def test_reference_is_the_tagged_dialogue_and_the_voices_are_recorded(built) -> None:
    out, manifest = built
    visit = manifest["visits"][0]
    assert (out / visit["reference"]).read_text().splitlines()[0] == "[doctor] how is the knee today ?"
    assert visit["doctor_voice"] != visit["patient_voice"]
    assert len(visit["spoken"]) == 3 and visit["spoken"][0][1] < visit["spoken"][1][0]


@needs_tools
def test_a_second_build_with_the_same_visits_reuses_the_audio(built) -> None:
    out, manifest = built
    clean = out / manifest["visits"][0]["audio"]["clean"]
    before = clean.stat().st_mtime_ns
    assert build_devset([TINY], out, log=lambda _: None) == manifest
    assert clean.stat().st_mtime_ns == before


def test_openings_are_whole_turns_and_visits_differ_in_voices(tmp_path: Path) -> None:
    turns = mts_turns("Doctor: How are you?\nPatient: " + "word " * 60 + "\nDoctor: " + "more " * 60
                      + "\nPatient: " + "again " * 60 + "\nDoctor: " + "last " * 60)
    kept = opening(turns)
    assert kept is not None and all(t in turns for t in kept) and len(kept) < len(turns)
    data = Path(__file__).resolve().parents[2].parent / "shared" / "data"
    if not (data / "aci-bench" / "train.csv").exists():
        pytest.skip("the ACI-Bench/MTS-Dialog train and valid files are not here")
    visits = select_visits(data, 8)
    assert len(visits) == 8 and len({v.name for v in visits}) == 8
    assert len({(v.doctor_voice, v.patient_voice) for v in visits}) == 8
    assert all(v.doctor_voice != v.patient_voice for v in visits)
    assert not any("test" in v.source.lower() for v in visits)


def test_a_test_split_is_refused(tmp_path: Path) -> None:
    from ambientnote.evaluation import asr_devset

    (tmp_path / "aci-bench").mkdir()
    (tmp_path / "aci-bench" / "test1.csv").write_text("dialogue\n")
    original = asr_devset.SOURCES
    asr_devset.SOURCES = (("aci-bench/test1.csv", 1),)
    try:
        with pytest.raises(InputError, match="test split"):
            select_visits(tmp_path, 1)
    finally:
        asr_devset.SOURCES = original

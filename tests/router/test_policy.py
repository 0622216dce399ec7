"""Site policy, difficulty, de-identification and the egress guard: no server needed."""

from __future__ import annotations

import socket

import pytest

from ambientnote import egress
from ambientnote.bench.sandbox import synthetic_transcript
from ambientnote.config import load_settings, locked_fields, save_user_settings
from ambientnote.errors import ConfigError
from ambientnote.router.deid import deidentify
from ambientnote.router.difficulty import score_difficulty
from ambientnote.router.policy import check_endpoint, why_not_allowed
from ambientnote.transcript import Role, Segment, Transcript


@pytest.mark.parametrize("url", ["https://llm.example.com/v1", "http://8.8.8.8:8000", "http://[2001:4860::8888]:80",
                                 "ftp://10.0.0.5/", "http://user:pw@10.0.0.5:8000"])
def test_endpoints_outside_the_hospital_are_refused(url, home):
    with pytest.raises(ConfigError) as err:
        check_endpoint(url, load_settings())
    assert "\n" not in str(err.value) and str(err.value).endswith(".")


def test_private_loopback_and_listed_endpoints_are_accepted(home):
    cfg = load_settings(onprem_hosts=["llm.hospital.internal"])
    assert check_endpoint("http://127.0.0.1:8080", cfg).base_url == "http://127.0.0.1:8080/v1"
    assert check_endpoint("http://10.20.0.7:8000/v1/", cfg).base_url == "http://10.20.0.7:8000/v1"
    assert check_endpoint("https://llm.hospital.internal/v1/chat/completions", cfg).base_url == (
        "https://llm.hospital.internal:443/v1")


def test_site_policy_beats_user_settings_and_is_locked(home, monkeypatch):
    home.mkdir(parents=True, exist_ok=True)
    policy = home / "policy.toml"
    policy.write_text('route = "local"\nrouting_allowed = false\nonprem_url = "http://10.0.0.9:8000"\n')
    monkeypatch.setenv("AMBIENTNOTE_POLICY", str(policy))
    monkeypatch.setenv("AMBIENTNOTE_ROUTING_ALLOWED", "true")  # a user trying to switch it on
    cfg = load_settings()
    assert cfg.route == "local" and cfg.routing_allowed is False
    assert {"route", "routing_allowed", "onprem_url"} <= locked_fields()
    with pytest.raises(ConfigError, match="site policy fixes route"):
        save_user_settings({"route": "onprem"})
    assert why_not_allowed(cfg) == "the site policy does not allow sending drafts to an on-prem server"


def test_onprem_url_from_the_environment_for_scripts(home, monkeypatch):
    monkeypatch.setenv("AMBIENTNOTE_ONPREM_URL", "http://127.0.0.1:9")
    monkeypatch.setenv("AMBIENTNOTE_ROUTING_ALLOWED", "true")
    assert why_not_allowed(load_settings()) is None


def test_difficulty_names_its_reasons(home):
    cfg = load_settings()
    easy = score_difficulty(synthetic_transcript(), cfg=cfg)
    assert not easy.hard and easy.score < 1
    noisy = synthetic_transcript()
    for segment in noisy.segments:
        segment.confidence = 0.4
    hard = score_difficulty(noisy, requested=True, cfg=cfg)
    assert hard.hard and hard.score >= 1
    assert any("confidence is low" in r for r in hard.reasons)
    assert "the clinician asked for the on-prem model" in hard.reasons
    long = score_difficulty(synthetic_transcript(repeat=40), cfg=cfg)
    assert any("of the local model's context" in r for r in long.reasons)


def _masked(lines: list[tuple[Role, str]]):  # noqa: ANN202
    """(transcript, de-identified copy, mapping, the copy's text) of ``lines``."""
    transcript = Transcript(segments=[Segment(id=f"s{i}", role=r, text=t) for i, (r, t) in enumerate(lines, 1)])
    masked, deid = deidentify(transcript)
    return transcript, masked, deid, " ".join(s.text for s in masked.segments)


def test_deidentification_masks_and_restores():
    lines = [
        (Role.clinician, "Hi Mrs. Garcia, good to see you. Maria is a 54-year-old woman here for her knee."),
        (Role.patient, "Thanks doctor. I moved to Springfield on March 3rd, 2021 and the pain started in Ohio."),
        (Role.clinician, "Your blood pressure is 132/84 and I'll see you again, Maria."),
    ]
    transcript, masked, deid, text = _masked(lines)
    for value in ("Garcia", "Maria", "Springfield", "March 3rd", "Ohio", "132/84", "54"):
        assert value not in text, value
    assert "[NAME_1]" in text and "[DATE_1]" in text and "[PLACE_1]" in text and "[NUM_1]" in text
    assert "knee" in text and "blood pressure" in text
    for original, hidden in zip(transcript.segments, masked.segments, strict=True):
        assert deid.restore(hidden.text) == original.text
    assert deid.restore("[NAME_9] said so.") == "[NAME_9] said so."  # an invented placeholder stays visible


def test_egress_guard_blocks_before_anything_is_sent():
    egress.install()
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        with pytest.raises(egress.EgressBlocked, match="203.0.113.7"):
            sock.connect(("203.0.113.7", 443))  # TEST-NET-3: refused by the guard, never dialled
    finally:
        sock.close()
    assert egress.allowed("127.0.0.1") and egress.allowed("::1") and not egress.allowed("10.0.0.1")
    egress.allow("10.0.0.1")
    assert egress.allowed("10.0.0.1")


def test_the_policy_example_documents_only_real_settings():
    import tomllib
    from pathlib import Path

    from ambientnote.config import Settings

    example = tomllib.loads((Path(__file__).parents[2] / "packaging" / "policy.example.toml").read_text())
    assert set(example) <= set(Settings.model_fields)
    Settings.model_validate({**example, "onprem_ca_bundle": None})  # every value has the right type


def test_deidentification_finds_first_names_said_only_in_dictation():
    lines = [
        (Role.clinician, "today i'm seeing christina cooper . uh , ms. cooper is a new patient ."),
        (Role.clinician, "next patient is paul edwards , date of birth is january 15th , 1960 ."),
        (Role.clinician, "okay hi andrea well i hear the knee is better . hi miss russell ."),
        (Role.patient, "i've been seeing some swelling and this is really bad ."),
    ]
    transcript, masked, deid, text = _masked(lines)
    for name in ("christina", "cooper", "paul", "edwards", "andrea", "russell"):
        assert name not in text, name
    assert "seeing some swelling" in text and "this is really bad" in text  # no name without a name's cue
    for original, hidden in zip(transcript.segments, masked.segments, strict=True):
        assert deid.restore(hidden.text) == original.text

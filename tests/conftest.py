"""Fixtures shared across the suite: the sample consultations and the real small ASR model, loaded once."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

import ambientnote.offline  # noqa: F401  (no hub access in tests either)
from ambientnote import egress


@pytest.fixture(scope="session", autouse=True)
def _isolated_home(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Model cache and store under a temp folder, never the developer's own."""
    import os

    os.environ.setdefault("AMBIENTNOTE_HOME", str(tmp_path_factory.mktemp("ambientnote-home")))


@pytest.fixture
def attempts() -> Iterator[list[str]]:
    """Every host a socket of this process tries to connect to during the test (the app's own network guard
    sees them, so an attempt some library swallows is still recorded)."""
    seen: list[str] = []
    egress.install()
    stop = egress.watch(seen.append)
    yield seen
    stop()


@pytest.fixture(scope="session")
def sample_audio() -> list[Path]:
    """The shipped sample consultations (FLAC), each with a ``.txt`` tagged reference beside it."""
    from ambientnote.capture.samples import sample_paths

    paths = sample_paths()
    assert paths, "assets/samples/ holds no consultations"
    return paths


@pytest.fixture(scope="session")
def short_sample(sample_audio: list[Path]) -> Path:
    """The shortest sample (~37 s, two voices): what most ASR tests transcribe."""
    return next(p for p in sample_audio if "knee" in p.name)


@pytest.fixture(scope="session")
def asr_model():
    """The default English model (tiny.en), verified and loaded once per test session."""
    from ambientnote.asr import load_asr_model
    from ambientnote.config import load_settings

    return load_asr_model("tiny.en", cfg=load_settings())


@pytest.fixture(scope="session")
def note_model():
    """The real default note model (SmolLM2-135M GGUF from PyPI), verified and loaded once."""
    from ambientnote.config import load_settings
    from ambientnote.notes.llm import load_note_model

    return load_note_model(cfg=load_settings())


@pytest.fixture(scope="session")
def write_aci_csv():
    """Writes invented encounters ``(encounter_id, dialogue, note)`` in ACI-Bench's CSV layout; returns the path."""
    import csv

    def write(path: Path, encounters: list[tuple[str, str, str]]) -> Path:
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["dataset", "encounter_id", "dialogue", "note"])
            writer.writerows(["test", *encounter] for encounter in encounters)
        return path

    return write


# --- test tiers -------------------------------------------------------------------------------------------------
# The default run (`pytest -q`) is the fast tier: pyproject's addopts deselects the markers below. A test is marked
# from the fixtures it uses (so a new test that asks for a model fixture is marked without anyone remembering), or by
# a `pytestmark` line in its file where it loads a model some other way. `pytest -m ""` runs every tier.

MODEL_FIXTURES = {"asr_model", "note_model", "warm_models", "onprem_server"}  # each loads a real model or server
GUI_FIXTURES = {"qtbot", "qapp"}  # pytest-qt: real Qt widgets


def pytest_itemcollected(item: pytest.Item) -> None:
    used = set(getattr(item, "fixturenames", ()))  # the whole closure: site_policy brings onprem_server along
    if used & MODEL_FIXTURES:
        item.add_marker(pytest.mark.model)
    if used & GUI_FIXTURES:
        item.add_marker(pytest.mark.gui)


# The guard: a test not marked `model` that constructs a Whisper or llama.cpp model in this process fails, naming
# the test, instead of quietly making the fast tier slow. (A model loaded in a child process is not seen: such
# tests carry their marker in the file.)

_running: pytest.Item | None = None
_LOADED = pytest.StashKey[list[str]]()


def _unmarked(item: pytest.Item, loaded: list[str]) -> str:
    return (f"{item.nodeid} loads {', '.join(loaded)} but is not marked 'model': mark it "
            f"(@pytest.mark.model, or pytestmark in its file) or use a fixture in tests/conftest.py MODEL_FIXTURES")


def _refuse_unmarked(cls: type, what: str) -> None:
    original = cls.__new__

    def guarded_new(klass: type, *args: object, **kwargs: object) -> object:
        item = _running
        if item is not None and item.get_closest_marker("model") is None:
            item.stash.setdefault(_LOADED, []).append(what)
            pytest.fail(_unmarked(item, [what]), pytrace=False)
        return original(klass) if original is object.__new__ else original(klass, *args, **kwargs)

    cls.__new__ = staticmethod(guarded_new)  # type: ignore[method-assign]


def pytest_configure(config: pytest.Config) -> None:
    try:
        from faster_whisper import WhisperModel
        from llama_cpp import Llama
    except ImportError:  # a partial install: nothing to guard
        return
    _refuse_unmarked(WhisperModel, "a Whisper model (faster_whisper.WhisperModel)")
    _refuse_unmarked(Llama, "a llama.cpp model (llama_cpp.Llama)")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None) -> object:
    global _running
    _running = item
    try:
        return (yield)
    finally:
        _running = None


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> pytest.TestReport:
    """Fails the phase even where the load's failure was swallowed (a thread, ``except BaseException``)."""
    report = yield
    loaded = item.stash.get(_LOADED, None)
    if loaded and report.passed:
        report.outcome = "failed"
        report.longrepr = _unmarked(item, loaded)
    if loaded:
        loaded.clear()
    return report

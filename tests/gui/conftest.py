"""GUI tests: real widgets on the offscreen platform, real models, a real SQLCipher store in tmp_path.

The microphone is the only thing replaced: ``FileSource`` feeds a sample
consultation through the same ``MicrophoneCapture`` path; playback goes to a
recorder instead of PortAudio.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402
from support.store import home  # noqa: E402, F401  (a sandboxed AMBIENTNOTE_HOME)

from ambientnote.config import load_settings  # noqa: E402

PASSWORD = "clinician-pass-1"
CLIN_PW = "clinician-pass-2"


@pytest.fixture(scope="session")
def warm_models(asr_model):
    """Load tiny.en once per session; the drafting process is started once and reused by every window."""
    from ambientnote.gui import drafting

    worker = drafting.draft_worker()
    yield asr_model, worker
    worker.close()
    drafting._worker = None


class PlaybackRecorder:
    def __init__(self) -> None:
        self.calls: list[tuple[int, int]] = []

    def __call__(self, audio, rate) -> None:  # noqa: ANN001
        self.calls.append((audio.size, rate))


@pytest.fixture
def make_window(qtbot, home, short_sample):
    """A factory for main windows whose microphone is the short sample consultation."""
    from ambientnote.capture.microphone import FileSource
    from ambientnote.gui.app import make_app
    from ambientnote.gui.player import Player
    from ambientnote.gui.window import MainWindow

    make_app()
    windows = []

    def factory(block_seconds: float = 0.25, realtime: bool = False):  # noqa: ANN202
        """``realtime``: the sample is fed at the pace it was spoken, as a microphone would (Pause then drops it)."""
        playback = PlaybackRecorder()
        window = MainWindow(load_settings(), source_factory=lambda _device: FileSource(short_sample, block_seconds, realtime),
                            player=Player(output=playback, stop=lambda: None))
        window.playback = playback
        window.set_idle_lock(3600)  # a slow machine's long draft must not lock a test's window (test_lock sets its own)
        qtbot.addWidget(window)
        window.show()
        windows.append(window)
        return window

    yield factory
    for window in windows:
        window.close()


@pytest.fixture
def unlock(qtbot):
    """Type an account and password into the unlock page and wait for the session."""

    def do(window, name: str, password: str) -> None:  # noqa: ANN001
        window.login.name.setText(name)
        window.login.password.setText(password)
        window.login.unlock_button.click()
        qtbot.waitUntil(lambda: window.ctx.session is not None, timeout=20_000)

    return do


IDLE_S = 180.0  # a step (the transcript's last words, starting the drafting child, a section) this quiet has hung


@pytest.fixture
def wait_while_progressing(qtbot):  # noqa: ANN001, ANN201
    """``wait(done, progress)``: wait until ``done()`` for as long as ``progress()`` keeps changing.

    A slow or busy machine drafts slowly but keeps reporting (the drafting child sends progress per step and each
    section; ``Draft.activity`` counts it); a hung one goes quiet. So the wait follows progress, not wall time, and
    fails only after ``idle_s`` without a change.
    """
    import time

    def wait(done, progress, *, idle_s: float = IDLE_S, what: str = "the draft") -> None:  # noqa: ANN001
        last, since = progress(), time.monotonic()
        while not done():
            qtbot.wait(200)
            now = progress()
            if now != last:
                last, since = now, time.monotonic()
            elif time.monotonic() - since > idle_s:
                pytest.fail(f"{what}: no progress for {idle_s:.0f} s (last seen: {last!r})")

    return wait


@pytest.fixture
def encounter(home):
    """The bundled hypertension sample, drafted by the real pipeline and saved for dr_b (password ``CLIN_PW``)."""
    from ambientnote.notes.draft import draft_note
    from ambientnote.notes.inputs import transcript_from_input
    from ambientnote.paths import assets_dir
    from ambientnote.store.accounts import add_account, init_store
    from ambientnote.store.encounters import save_draft
    from ambientnote.store.session import login

    cfg = load_settings()
    admin, _ = init_store("admin", "admin-pass-1", cfg=cfg)
    add_account(admin, "dr_b", ["clinician"], CLIN_PW)
    admin.close()
    transcript = transcript_from_input(assets_dir() / "samples" / "consult1_hypertension.txt", cfg=cfg)
    note, _ = draft_note(transcript, template=cfg.note_template)
    with login("dr_b", CLIN_PW, cfg=cfg) as s:
        return save_draft(s, patient_label="Hayworth, R.", transcript=transcript, note_json=note, audio_path=None,
                          model=note.model)


@pytest.fixture
def open_encounter(qtbot, make_window, unlock, encounter):
    """A window signed in as dr_b with ``encounter`` open on the review page."""
    window = make_window()
    unlock(window, "dr_b", CLIN_PW)
    window.open_encounter(encounter)
    qtbot.waitUntil(lambda: window.review.detail is not None, timeout=20_000)
    return window


def sign_in_dialog(review, password: str, *, flags_seen: bool = True) -> None:  # noqa: ANN001
    """Sign… as a clinician does it: tick the attestation (and, when the guard flagged statements, that they were
    checked), type the password, press Sign."""
    review.sign_action.trigger()
    dialog = review.sign_dialog
    dialog.field.setText(password)
    dialog.attest.setChecked(True)
    dialog.flags_checked.setChecked(flags_seen)
    assert dialog.sign_button.isEnabled() or (dialog.flagged and not flags_seen)
    dialog.sign_button.click()


@pytest.fixture
def sign():
    """``sign(review, password)``: the Sign… dialog filled in and confirmed (``sign_in_dialog``)."""
    return sign_in_dialog

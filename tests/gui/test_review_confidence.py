"""A statement flagged for a word heard with low confidence: the review says why and plays from that word."""

from __future__ import annotations

import numpy as np
import pytest

from ambientnote.capture.audio import SAMPLE_RATE
from ambientnote.config import load_settings
from ambientnote.gui.note_tree import DATA
from ambientnote.gui.player import Player
from ambientnote.notes.schema import Note
from ambientnote.store.session import login
from ambientnote.transcript import Word

pytestmark = pytest.mark.timeout(600)
CLIN_PW = "clinician-pass-2"  # conftest.py's ``encounter`` belongs to dr_b with this password
FLAG = "heard with low confidence: '20 milligrams'"


def test_a_low_confidence_flag_is_shown_on_selection_and_play_starts_before_the_doubted_words(
        qtbot, make_window, unlock, encounter):  # noqa: ANN001
    from ambientnote.store.encounters import show_encounter
    from ambientnote.visits.save import save_revision

    with login("dr_b", CLIN_PW, cfg=load_settings()) as s:
        note = Note.model_validate_json(show_encounter(s, encounter).latest.body)
        dose = next(st for _, _, st in note.statements() if "20 mg" in st.text)
        dose.flags = [FLAG]
        save_revision(s, encounter, note)
    window = make_window()
    unlock(window, "dr_b", CLIN_PW)
    window.open_encounter(encounter)
    qtbot.waitUntil(lambda: window.review.detail is not None, timeout=20_000)
    review, tree = window.review, window.review.tree

    item = next(i for i in tree.statement_items() if "20 mg" in i.text(0))
    tree.setCurrentItem(item)
    assert review.check.text().startswith(f"Check this: {FLAG}.") and "Ctrl+P plays" in review.check.text()
    assert review.play_action.isEnabled()
    clean = next(i for i in tree.statement_items() if tree.currentItem() is not i and not i.data(0, DATA)[1]["flags"])
    tree.setCurrentItem(clean)
    assert review.check.text() == ""

    # the recording's words, as Whisper timed them: the dose said 2 s into its turn
    segment = review.transcript.transcript.by_id()[tree.evidence_of(item)[0]]
    segment.words = [Word(start=segment.start + 0.4 * n, end=segment.start + 0.4 * n + 0.3, word=f" {w}",
                          probability=0.3) for n, w in enumerate(segment.text.split())]
    said_at = next(w.start for w in segment.words if w.word.strip() == "20")
    review.player = Player(output=lambda audio, rate: None, stop=lambda: None)
    review.audio = np.zeros(int((segment.end + 30) * SAMPLE_RATE), np.float32)
    tree.setCurrentItem(item)
    review.play_action.trigger()
    assert review.player.last_start == pytest.approx(max(segment.start, said_at - 1.0))
    assert review.player.last_start > segment.start  # not from the start of a long turn

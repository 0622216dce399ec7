"""Screenshots of every screen of the desktop app, for the README (``docs/screenshots/*.png``).

Run under a virtual X server so fonts and styles are the real ones:

    xvfb-run -a -s "-screen 0 1400x900x24" python docs/make_screenshots.py

It drives a real visit in a throw-away store (the shipped knee-pain sample fed
through the capture path, the real models), so the pictures show what a
clinician sees. Nothing touches the user's own store.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

OUT = Path(__file__).resolve().parent / "screenshots"
PASSWORD = "screenshot-pass-1"


def main() -> None:
    from ambientnote.bench.sandbox import sandbox

    with tempfile.TemporaryDirectory(prefix="ambientnote-shots-") as tmp, sandbox(Path(tmp) / "home") as home:
        shoot(home)


def shoot(home: Path) -> None:
    from PySide6.QtWidgets import QApplication

    from ambientnote.capture.microphone import FileSource
    from ambientnote.capture.samples import sample_paths
    from ambientnote.gui.app import make_app
    from ambientnote.gui.app import wait_until as until
    from ambientnote.gui.player import Player
    from ambientnote.gui.window import MainWindow

    app = make_app()
    sample = next(p for p in sample_paths() if "knee" in p.name)
    OUT.mkdir(parents=True, exist_ok=True)

    def snap(window, name: str, settle: bool = True) -> None:  # noqa: ANN001
        for _ in range(20 if settle else 0):  # a draft can end within the settling time: no settling for it
            app.processEvents()
            time.sleep(0.01)
        widget = QApplication.activeModalWidget() or window
        window.grab().save(str(OUT / f"{name}.png")) if widget is window else widget.grab().save(str(OUT / f"{name}.png"))
        print(f"docs/screenshots/{name}.png")

    window = MainWindow(home, source_factory=lambda _d: FileSource(sample, 0.25, realtime=True),
                        player=Player(output=lambda *a: None, stop=lambda: None))
    window.resize(1280, 720)  # a clinic laptop's screen
    window.show()
    window.login.new_name.setText("dr_lee")
    window.login.new_password.setText(PASSWORD)
    window.login.new_password2.setText(PASSWORD)
    snap(window, "01-first-run")
    window.login.create_button.click()
    until(lambda: window.login.recovery_key.text())
    window.login.key_check.setText(window.login.recovery_key.text()[-4:])  # the confirmation step
    window.login.continue_button.click()
    window.encounters.new_button.click()
    window.record.patient.setText("Knee pain, J.D.")
    window.record.record_button.click()
    until(lambda: window.record.live_lines() >= 3)
    snap(window, "02-recording")
    until(lambda: window.record.recording.capture.source.inner.finished.is_set())  # the whole visit
    window.record.stop_button.click()
    until(lambda: window.review.tree.topLevelItemCount() >= 2 and window.review.drafting_row.isVisible())
    snap(window, "03-drafting", settle=False)
    until(lambda: window.review.detail is not None)
    items = window.review.tree.statement_items()
    window.review.tree.setCurrentItem(items[min(2, len(items) - 1)])
    snap(window, "04-review-evidence")
    # The clinician's edits: a reworded statement (theirs, in italics) and an addendum.
    items[0].setText(0, items[0].text(0) + " Worse on stairs.")
    window.review.tree.add_addendum("Brace fitted in clinic; she walked out comfortably.")
    window.review.save_action.trigger()
    until(lambda: window.review.detail.latest.version == 2)
    window.review.tree.setCurrentItem(window.review.tree.statement_items()[0])
    snap(window, "04b-review-edited")
    window.review.versions_action.trigger()
    until(lambda: window.review.versions_dialog is not None)
    window.review.versions_dialog.resize(900, 500)
    window.review.versions_dialog.grab().save(str(OUT / "05-versions-diff.png"))
    print("docs/screenshots/05-versions-diff.png")
    window.review.versions_dialog.close()
    def sign(shot: str | None = None) -> None:
        window.review.sign_action.trigger()
        dialog = window.review.sign_dialog
        dialog.field.setText(PASSWORD)
        dialog.attest.setChecked(True)
        dialog.flags_checked.setChecked(True)
        if shot:
            dialog.grab().save(str(OUT / f"{shot}.png"))
            print(f"docs/screenshots/{shot}.png")
        dialog.sign_button.click()
        until(lambda: window.review.signed)

    sign("06-sign")
    snap(window, "07-signed")
    window.review.amend_action.trigger()
    window.review.text_dialog.set_text("Right knee, not left")
    window.review.text_dialog.ok_button.click()
    window.review.save_action.trigger()
    until(lambda: window.review.detail.latest.version == 3)
    sign()
    snap(window, "07b-amended")
    # An interrupted recording, as a crash leaves it, for the recovery offer.
    from ambientnote.capture.spool import AudioSpool
    from ambientnote.capture.audio import load_audio

    store = window.ctx.session.store
    spool = AudioSpool(store.data_key, store.store_id, home, account="dr_lee", patient_label="Interrupted visit")
    spool.write(load_audio(sample)[: 16000 * 12])
    spool.close()
    window.nav_encounters.trigger()
    until(lambda: window.encounters.recovery_bar.isVisible() and window.encounters.table.rowCount() >= 1)
    snap(window, "08-encounters-recovery")
    from ambientnote.store.accounts import add_account

    window.runner.call_on_store(lambda: add_account(window.ctx.session, "carol", ["compliance"], PASSWORD))
    window.nav_admin.trigger()
    until(lambda: window.admin.table.rowCount() == 2)
    snap(window, "09-admin")
    (home / "no-site-policy.toml").write_text('onprem_url = "https://llm.hospital.example/v1"\n')
    window.nav_settings.trigger()
    snap(window, "10-settings-locked")
    os.remove(home / "no-site-policy.toml")
    window.nav_lock.trigger()
    window.login.name.setText("carol")
    snap(window, "11-unlock")
    window.login.password.setText(PASSWORD)
    window.login.unlock_button.click()
    until(lambda: window.compliance.table.rowCount() > 0)
    window.compliance.verify_button.click()
    until(lambda: window.compliance.result.text())
    snap(window, "12-compliance")
    window.close()


if __name__ == "__main__":
    main()
    sys.stdout.flush()
    os._exit(0)  # skip model destructors at exit

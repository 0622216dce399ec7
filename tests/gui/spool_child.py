"""A recorder process for the crash test: records a sample through ``VisitRecorder`` (no Qt) until killed.

Run as ``python spool_child.py ACCOUNT PASSWORD AUDIO``; AMBIENTNOTE_HOME names
the store. After each block reaches the capture path it prints ``fed SECONDS``
so the parent knows how much audio existed when it sends SIGKILL.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from ambientnote.capture.microphone import FileSource
from ambientnote.config import load_settings
from ambientnote.store.session import login
from ambientnote.visits.recorder import VisitRecorder


class ReportingSource(FileSource):
    def start(self, sink) -> None:  # noqa: ANN001
        def report(block) -> None:  # noqa: ANN001
            sink(block)
            self.fed += block.size
            sys.stdout.write(f"fed {self.fed / 16000:.3f}\n")  # one write per line: no interleaving
            sys.stdout.flush()

        self.fed = 0
        super().start(report)


def main() -> None:
    account, password, audio = sys.argv[1], sys.argv[2], Path(sys.argv[3])
    cfg = load_settings()
    session = login(account, password, cfg=cfg)
    recording = VisitRecorder(session, cfg.home, lambda: ReportingSource(audio, block_seconds=0.1, realtime=True),
                          "Crash test patient")
    recording.start()
    while True:  # until SIGKILL
        time.sleep(1)


if __name__ == "__main__":
    main()

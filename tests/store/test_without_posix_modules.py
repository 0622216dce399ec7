"""The Windows build imports and opens a store: no module of ours needs a POSIX-only module.

Windows has no ``fcntl``, ``termios``, ``pwd``, ``grp`` or ``resource``. A child
interpreter with those made unimportable (a meta-path finder refuses them, as
Windows' import system would) imports every module of ``ambientnote`` and then
runs a self-check: create a store, log in, save an encounter, spool a recording
and find it again after an interruption.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

BLOCKED = ("fcntl", "termios", "pwd", "grp", "resource")

CHILD = textwrap.dedent('''
    import importlib, importlib.abc, pkgutil, sys, tempfile, traceback
    from pathlib import Path

    BLOCKED = set(sys.argv[1].split(","))

    class NoPosix(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] in BLOCKED:
                raise ModuleNotFoundError(f"No module named {name!r} (as on Windows)", name=name)
            return None

    for name in BLOCKED:
        sys.modules.pop(name, None)
    sys.meta_path.insert(0, NoPosix())

    import ambientnote
    failures = []
    for info in pkgutil.walk_packages(ambientnote.__path__, "ambientnote."):
        try:
            importlib.import_module(info.name)
        except ModuleNotFoundError as exc:
            if exc.name and exc.name.split(".")[0] in BLOCKED:
                failures.append(f"{info.name}: {exc}")
        except Exception:  # an optional extra (torch for training) may be absent; that is not our question
            pass
    if failures:
        print("\\n".join(failures))
        sys.exit(1)

    import numpy as np
    from ambientnote.capture.spool import AudioSpool, interrupted_spools, read_spool
    from ambientnote.store.accounts import init_store
    from ambientnote.store.encounters import list_encounters, save_draft
    from ambientnote.bench.sandbox import sandbox, synthetic_note, synthetic_transcript
    from ambientnote.store.session import login

    with tempfile.TemporaryDirectory() as tmp, sandbox(Path(tmp) / "home") as cfg:
        home = cfg.home
        session, _ = init_store("admin", "admin-pass-1", cfg=cfg)
        session.close()
        with login("admin", "admin-pass-1", cfg=cfg) as s:
            save_draft(s, patient_label="Self check", transcript=synthetic_transcript(), note_json=synthetic_note(),
                       audio_path=None, model="m")
            assert len(list_encounters(s)) == 1
            spool = AudioSpool(s.account_key().public, s.store.store_id, home, account="admin", patient_label="P")
            spool.write(np.zeros(16000, dtype=np.float32))
            spool.close()
            found = interrupted_spools(home, s.store.store_id, "admin")
            assert [f.id for f in found] == [spool.id], found
            assert read_spool(s.account_key().private, s.store.store_id, found[0]).audio.size == 16000
    assert all(name not in sys.modules for name in BLOCKED), [n for n in BLOCKED if n in sys.modules]
    print("self-check ok")
''')


def test_every_module_imports_and_a_store_opens_without_posix_only_modules(tmp_path):
    child = subprocess.run([sys.executable, "-c", CHILD, ",".join(BLOCKED)], capture_output=True, text=True,
                           timeout=600, cwd=tmp_path, env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path),
                                                           "QT_QPA_PLATFORM": "offscreen"})
    assert child.returncode == 0, child.stdout + child.stderr[-3000:]
    assert "self-check ok" in child.stdout

"""The signed Linux installer, end to end: build, sign, verify, install into a clean root, run, upgrade, purge.

Builds once per session with packaging/build-linux (PyInstaller bundle, SBOM, .deb, signatures made with a
throwaway key in a temporary GNUPGHOME): several minutes on 2 cores, hence "slow". The .deb is installed with
``dpkg --root`` into an empty tree (its own dpkg database, maintainer scripts run chrootless), and the installed
binary runs headless with HOME in tmp and no Python on PATH.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest

from ambientnote.config import Settings

ROOT = Path(__file__).resolve().parents[2]
VERSION = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
ASR_MODEL, NOTE_MODEL = (Settings.model_fields[key].default for key in ("asr_model", "note_model"))  # bundled

pytestmark = [
    pytest.mark.slow,
    pytest.mark.installer,
    pytest.mark.skipif(sys.platform != "linux" or shutil.which("dpkg-deb") is None, reason="needs Debian's dpkg"),
    pytest.mark.skipif(os.geteuid() != 0, reason="installing with dpkg --root needs root"),
    pytest.mark.skipif(shutil.which("gpg") is None or shutil.which("gpgv") is None, reason="needs gnupg and gpgv"),
]


def _run(args: list[str | Path], *, env: dict[str, str] | None = None, timeout: float = 600,
         check: bool = True) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run([str(a) for a in args], env=env, capture_output=True, text=True, timeout=timeout,
                          stdin=subprocess.DEVNULL, check=False)
    if check and proc.returncode != 0:
        raise AssertionError(f"{args[0]} exited {proc.returncode}:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
    return proc


@pytest.fixture(scope="session")
def release(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """One signed build: the .deb, the SBOM, SHA256SUMS and the signatures, in OUT_DIR."""
    pytest.importorskip("PyInstaller", reason="the 'package' extra is not installed")
    base = tmp_path_factory.mktemp("release")
    gnupghome = base / "gnupg"
    gnupghome.mkdir(mode=0o700)
    env = {**os.environ, "GNUPGHOME": str(gnupghome)}
    _run(["gpg", "--batch", "--passphrase", "", "--quick-gen-key", "AmbientNote test signing <test@localhost>",
          "ed25519", "sign", "1d"], env=env)
    listing = _run(["gpg", "--batch", "--with-colons", "--list-keys"], env=env).stdout
    fingerprint = next(line.split(":")[9] for line in listing.splitlines() if line.startswith("fpr:"))
    out = base / "out"
    started = time.monotonic()
    try:
        _run(["bash", ROOT / "packaging" / "build-linux"], timeout=1800,
             env={**env, "OUT_DIR": str(out), "SIGNING_KEY_ID": fingerprint, "REQUIRE_SIGNING": "1",
                  "PYTHON": sys.executable})
    finally:
        subprocess.run(["gpgconf", "--kill", "gpg-agent"], env=env, check=False)
    print(f"\nbuild-linux: {time.monotonic() - started:.0f} s")
    shutil.rmtree(out / "work")  # the bundle and the package tree (GBs); the artefacts are all the tests need
    arch = _run(["dpkg", "--print-architecture"]).stdout.strip()
    name = f"ambientnote_{VERSION}-1_{arch}"
    release = {"out": out, "deb": out / f"{name}.deb", "sbom": out / f"{name}.cdx.json",
               "key": out / "SIGNING-KEY.asc", "gnupghome": gnupghome}
    for path in release.values():
        assert path.exists(), path
    for path in sorted(out.glob("*")):
        if path.is_file():
            print(f"{path.name}: {path.stat().st_size / 1e6:.1f} MB")
    return release


def _dpkg(root: Path, *args: str | Path) -> subprocess.CompletedProcess[str]:
    return _run(["dpkg", f"--root={root}", "--force-script-chrootless", "--force-depends",
                 "--force-not-root", f"--log={root}/var/log/dpkg.log", *args], timeout=600)


@pytest.fixture(scope="module")
def installed(release: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A fresh root with its own, empty dpkg database, and the .deb installed in it (removed afterwards)."""
    root = tmp_path_factory.mktemp("root")
    for folder in ("var/lib/dpkg/updates", "var/lib/dpkg/info", "var/log"):
        (root / folder).mkdir(parents=True)
    for name in ("status", "available"):
        (root / "var/lib/dpkg" / name).touch()
    _dpkg(root, "--install", release["deb"])
    yield root
    shutil.rmtree(root)


def _app_env(tmp: Path, root: Path) -> dict[str, str]:
    """No Python on PATH, HOME in tmp, the installed site policy, no display."""
    home = tmp / "home"
    home.mkdir(exist_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AMBIENTNOTE_", "XDG_", "PYTHON", "VIRTUAL_ENV"))}
    return {**env, "HOME": str(home), "PATH": "/usr/bin:/bin", "QT_QPA_PLATFORM": "offscreen",
            "AMBIENTNOTE_POLICY": str(root / "etc/ambientnote/policy.toml")}


def test_deb_declares_files_conffile_and_dependencies(release: dict[str, Path]) -> None:
    fields = _run(["dpkg-deb", "--field", release["deb"]]).stdout
    assert f"Version: {VERSION}-1" in fields and "Depends: libc6 (>= 2." in fields
    assert _run(["dpkg-deb", "--ctrl-tarfile", release["deb"]]).returncode == 0
    contents = _run(["dpkg-deb", "--contents", release["deb"]]).stdout
    for path in ("./opt/ambientnote/ambientnote", "./opt/ambientnote/ambientnote-selfcheck",
                 "./usr/share/applications/ambientnote.desktop", "./usr/share/icons/hicolor/scalable/apps/ambientnote.svg",
                 "./etc/ambientnote/policy.toml", "./usr/share/doc/ambientnote/sbom.cdx.json",
                 f"./opt/ambientnote/_internal/ambientnote_models/{ASR_MODEL}/model.bin"):
        assert path in contents, path
    assert "./usr/bin/ambientnote -> /opt/ambientnote/ambientnote" in contents


def test_installed_app_runs_headless(installed: Path, tmp_path: Path) -> None:
    app = installed / "opt/ambientnote/ambientnote"
    env = _app_env(tmp_path, installed)
    started = time.monotonic()
    assert _run([app, "--version"], env=env).stdout.strip() == f"ambientnote, version {VERSION}"
    version_s = time.monotonic() - started
    started = time.monotonic()
    verified = _run([app, "models", "verify"], env=env).stdout
    verify_s = time.monotonic() - started
    assert f"ok       {ASR_MODEL}  {installed}/opt/ambientnote/_internal/ambientnote_models/{ASR_MODEL}" in verified
    assert f"ok       {NOTE_MODEL}  {installed}/opt/ambientnote/_internal/ambientnote_models/{NOTE_MODEL}/" in verified
    print(f"\ncold start: --version {version_s:.2f} s, models verify {verify_s:.2f} s")
    assert version_s < 30 and verify_s < 60
    # The sample consultation, from audio: transcription (CTranslate2, PyAV, Silero VAD) and drafting (llama.cpp).
    note = _run([app, "draft", "--quiet"], env=env, timeout=900).stdout
    assert "PLAN" in note and "lisinopril" in note.lower()
    # No model is copied into the user's cache: the bundle's models are whole and verified in place.
    # (Empty files may be left by the attempt to assemble the absent optional gemma3 model.)
    cache = tmp_path / "home/.local/share/ambientnote"
    assert not [p for p in cache.rglob("*") if p.is_file() and p.stat().st_size > 0]


def test_installed_selfcheck_drafts_in_a_child_process(installed: Path, tmp_path: Path) -> None:
    """The GUI's drafting worker is a multiprocessing "spawn" child: in a frozen build that needs freeze_support."""
    proc = _run([installed / "opt/ambientnote/ambientnote-selfcheck"], env=_app_env(tmp_path, installed), timeout=900)
    assert "ok       draft in a child process" in proc.stdout and "self-check passed" in proc.stdout


def test_installed_gui_starts_offscreen(installed: Path, tmp_path: Path) -> None:
    """Qt's plugins and libraries are in the bundle: the window comes up and stays up."""
    proc = subprocess.Popen([installed / "opt/ambientnote/ambientnote", "gui"], env=_app_env(tmp_path, installed),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, stdin=subprocess.DEVNULL)
    try:
        time.sleep(12)
        assert proc.poll() is None, proc.communicate()[1][-2000:]
    finally:
        proc.terminate()
        _, stderr = proc.communicate(timeout=30)
    assert "Traceback" not in stderr


def test_signatures_verify_and_tampering_is_refused(release: dict[str, Path], tmp_path: Path) -> None:
    verify = ROOT / "packaging" / "verify"
    for artefact in (release["deb"], release["sbom"]):
        ok = _run(["bash", verify, "--key", release["key"], artefact])
        assert ok.stdout.startswith(f"OK {artefact.name}")
    # gpg itself agrees with packaging/verify
    _run(["gpg", "--batch", "--verify", f"{release['deb']}.asc", release["deb"]],
         env={**os.environ, "GNUPGHOME": str(release["gnupghome"])})
    subprocess.run(["gpgconf", "--kill", "gpg-agent"], env={**os.environ, "GNUPGHOME": str(release["gnupghome"])},
                   check=False)

    def copy_release(name: str) -> Path:
        folder = tmp_path / name
        folder.mkdir()
        for path in release["out"].iterdir():
            if path.is_file():
                os.link(path, folder / path.name)  # hard links: the tampered file is replaced, never edited in place
        return folder

    flipped = copy_release("flipped")
    deb = flipped / release["deb"].name
    data = bytearray(release["deb"].read_bytes())
    data[len(data) // 2] ^= 0x01
    deb.unlink()
    deb.write_bytes(data)
    refused = _run(["bash", verify, "--key", release["key"], deb], check=False)
    deb.unlink()
    assert refused.returncode == 1 and "REFUSED" in refused.stderr

    sums = copy_release("sums") / "SHA256SUMS"
    text = sums.read_text()
    sums.unlink()
    sums.write_text(("1" if text[0] != "1" else "2") + text[1:])
    refused = _run(["bash", verify, "--key", release["key"], sums.parent / release["deb"].name], check=False)
    assert refused.returncode == 1 and "SHA256SUMS" in refused.stderr

    other_home = tmp_path / "other-gnupg"
    other_home.mkdir(mode=0o700)
    env = {**os.environ, "GNUPGHOME": str(other_home)}
    _run(["gpg", "--batch", "--passphrase", "", "--quick-gen-key", "Someone else <x@localhost>", "ed25519", "sign",
          "1d"], env=env)
    other_key = tmp_path / "other.asc"
    other_key.write_text(_run(["gpg", "--batch", "--armor", "--export"], env=env).stdout)
    subprocess.run(["gpgconf", "--kill", "gpg-agent"], env=env, check=False)
    refused = _run(["bash", verify, "--key", other_key, release["deb"]], check=False)
    assert refused.returncode == 1 and "REFUSED" in refused.stderr


def test_sbom_lists_python_packages_native_libraries_and_models(release: dict[str, Path]) -> None:
    bom = json.loads(release["sbom"].read_text())
    assert bom["bomFormat"] == "CycloneDX" and bom["specVersion"] == "1.6"
    assert bom["metadata"]["component"]["version"] == VERSION
    by_name = {c["name"].lower().replace("_", "-"): c for c in bom["components"]}
    for name in ("llama-cpp-python", "ctranslate2", "pyside6-essentials", "sqlcipher3-binary", "faster-whisper",
                 "numpy", "cpython"):
        component = by_name[name]
        assert component["version"] and component["licenses"], name
    natives = [c for c in bom["components"] if c["bom-ref"].startswith("native:")]
    names = " ".join(c["name"] for c in natives)
    for lib in ("libllama.so", "libctranslate2", "libportaudio.so.2", "libpython3.11", "libQt6Core"):
        assert lib in names, lib
    assert all(c["version"] and c["licenses"] and c["hashes"] for c in natives)
    models = {c["name"]: c for c in bom["components"] if c["type"] == "machine-learning-model"}
    manifest = tomllib.loads((ROOT / "models/manifest.toml").read_text(encoding="utf-8"))
    asr = next(m for m in manifest["model"] if m["name"] == ASR_MODEL)
    model_bin = next(f for f in asr["files"] if f["name"] == "model.bin")
    assert models[f"{ASR_MODEL}/model.bin"]["hashes"][0]["content"] == model_bin["sha256"]
    assert any(name.startswith(f"{NOTE_MODEL}/") and name.endswith(".gguf") for name in models)


def _repack(deb: Path, version: str, work: Path) -> Path:
    """The same package under a newer version: what an upgrade looks like to dpkg."""
    tree = work / "tree"
    _run(["dpkg-deb", "--raw-extract", deb, tree])
    control = tree / "DEBIAN/control"
    control.write_text("\n".join(f"Version: {version}" if line.startswith("Version:") else line
                                 for line in control.read_text().splitlines()) + "\n")
    newer = work / f"ambientnote_{version}.deb"
    _run(["dpkg-deb", "--root-owner-group", "-Zzstd", "-z1", "--build", tree, newer])
    shutil.rmtree(tree)
    return newer


def test_upgrade_keeps_edited_policy_and_purge_keeps_stores(installed: Path, release: dict[str, Path],
                                                            tmp_path: Path) -> None:
    policy = installed / "etc/ambientnote/policy.toml"
    policy.write_text(policy.read_text() + '\nasr_model = "tiny.en"\n')
    newer = _repack(release["deb"], f"{VERSION}-2", tmp_path)
    _dpkg(installed, "--install", newer)
    newer.unlink()
    status = _run(["dpkg-query", f"--admindir={installed}/var/lib/dpkg", "-W", "-f", "${Version}", "ambientnote"])
    assert status.stdout == f"{VERSION}-2"
    assert 'asr_model = "tiny.en"' in policy.read_text()

    store = installed / "home/alice/.local/share/ambientnote/store.db"
    store.parent.mkdir(parents=True)
    store.write_bytes(b"encrypted")
    purged = _dpkg(installed, "--purge", "ambientnote")
    assert store.exists() and "NOT deleted" in purged.stdout and str(store.parent) in purged.stdout
    assert not (installed / "opt/ambientnote").exists() and not policy.exists()

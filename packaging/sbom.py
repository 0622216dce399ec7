"""CycloneDX 1.6 bill of materials of a built bundle, so hospital IT knows exactly what it installs.

Run by packaging/build-linux (in the build's virtualenv, after PyInstaller):
    python packaging/sbom.py --bundle DIST/ambientnote --contents WORK/ambientnote/contents.json \\
        --version 0.1.0 --out ambientnote.cdx.json

Components, each with version, licence and purl where one exists:
- the Python distributions in the bundle: those whose top-level modules PyInstaller collected (contents.json,
  written by packaging/ambientnote.spec), named through the installed metadata;
- the Python runtime;
- every native library in the bundle (contents.json says where each one was collected from): a library shipped
  inside a wheel belongs to that wheel; one taken from the build machine is named by its Debian package,
  version and licence (dpkg), with the file's SHA-256;
- the models shipped whole, with the SHA-256 of each file from the bundle's manifest.
The document is checked against the CycloneDX JSON schema before it is written.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import platform
import re
import shutil
import subprocess
import sys
import tomllib
from importlib import metadata
from pathlib import Path

try:
    from cyclonedx.contrib.license.factories import LicenseFactory
except ImportError:  # cyclonedx-python-lib < 11.5
    from cyclonedx.factory.license import LicenseFactory
from cyclonedx.model import HashAlgorithm, HashType, Property
from cyclonedx.model.bom import Bom
from cyclonedx.model.component import Component, ComponentType
from cyclonedx.output.json import JsonV1Dot6
from cyclonedx.schema import SchemaVersion
from cyclonedx.validation.json import JsonStrictValidator
from packageurl import PackageURL
from packaging.utils import canonicalize_name

_licences = LicenseFactory()


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def _licence_of(dist: metadata.Distribution) -> str | None:
    """SPDX expression if declared, else the short licence field, else the trove classifier."""
    meta = dist.metadata
    if meta.get("License-Expression"):
        return meta["License-Expression"]
    text = (meta.get("License") or "").strip()
    if text and "\n" not in text and len(text) < 80:
        return text
    classifiers = [c.split(" :: ")[-1] for c in meta.get_all("Classifier") or [] if c.startswith("License ::")]
    return " AND ".join(classifiers) or _licence_file(dist)


_LICENCE_TITLES = (("BSD 3-Clause", "BSD-3-Clause"), ("BSD 2-Clause", "BSD-2-Clause"), ("MIT License", "MIT"),
                   ("Apache License", "Apache-2.0"))


def _licence_file(dist: metadata.Distribution) -> str | None:
    """The licence named by the distribution's own licence file (pysimstring declares no metadata but ships one)."""
    for file in dist.files or []:
        if re.search(r"(LICEN[CS]E|COPYING)", file.name, re.I):
            text = Path(dist.locate_file(file)).read_text(encoding="utf-8", errors="replace")
            for title, spdx in _LICENCE_TITLES:
                if title in text[:200]:
                    return spdx
            return next((licence for marker, licence in _LICENCE_MARKERS if marker in text), None)
    return None


def bundled_distributions(modules: set[str]) -> dict[str, metadata.Distribution]:
    """The installed distributions providing the bundle's top-level modules, by canonical name (not ambientnote)."""
    found: dict[str, metadata.Distribution] = {}
    for module, names in metadata.packages_distributions().items():
        if module in modules:
            for name in names:
                if canonicalize_name(name) != "ambientnote":
                    found.setdefault(canonicalize_name(name), metadata.distribution(name))
    return found


def _owner_by_file(dists: dict[str, metadata.Distribution]) -> dict[Path, metadata.Distribution]:
    owners = {}
    for dist in dists.values():
        for file in dist.files or []:
            owners[Path(dist.locate_file(file)).resolve()] = dist
    return owners


def _path_variants(path: Path) -> list[Path]:
    """The names dpkg may know a library by: as collected, resolved, with and without /usr (merged /usr)."""
    out: list[Path] = []
    for p in (path, path.resolve()):
        text = str(p)
        out += [p, Path(text[4:]) if text.startswith("/usr/") else Path("/usr" + text)]
    return list(dict.fromkeys(out))


def _debian_packages(paths: list[Path]) -> dict[Path, tuple[str, str, str | None]]:
    """path → (package, version, licence) for files installed by dpkg."""
    if not paths or shutil.which("dpkg") is None:  # Windows and macOS builds: no system libraries from dpkg
        return {}
    variants = {path: _path_variants(path) for path in paths}
    out = subprocess.run(["dpkg", "-S", *{str(v) for vs in variants.values() for v in vs}],
                         capture_output=True, text=True, check=False).stdout
    package_of = {}
    for line in out.splitlines():
        package, _, known = line.partition(": ")
        package_of[Path(known)] = package.split(",")[0].split(":")[0]
    owners: dict[Path, tuple[str, str, str | None]] = {}
    for path, names in variants.items():
        package = next((package_of[v] for v in names if v in package_of), None)
        if package:
            version = subprocess.run(["dpkg-query", "-W", "-f", "${Version}", package],
                                     capture_output=True, text=True, check=False).stdout
            owners[path] = (package, version, _debian_licence(package))
    return owners


def _debian_licence(package: str) -> str | None:
    """The package's licences: the DEP-5 'License:' fields, else inferred from a free-form file's wording."""
    copyright_file = Path("/usr/share/doc") / package / "copyright"
    try:
        text = copyright_file.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    names = dict.fromkeys(m.strip() for m in re.findall(r"^License:\s*(\S[^\n]*)", text, re.M))
    if names:
        return " AND ".join(names)
    for marker, licence in _LICENCE_MARKERS:  # free-form copyright files: the licence text names itself
        if marker in text:
            return licence
    return f"see {copyright_file} (Debian package {package})"


_LICENCE_MARKERS = (
    ("GCC Runtime Library Exception", "GPL-3.0-or-later WITH GCC-exception-3.1"),
    ("GNU Lesser General Public License", "LGPL-2.1-or-later"),
    ("GNU Library General Public License", "LGPL-2.0-or-later"),
    ("Permission is hereby granted, free of charge", "MIT"),
    ("Permission to use, copy, modify, distribute, and sell", "MIT"),
    ("Redistribution and use in source and binary forms", "BSD-3-Clause"),
)


def _component(ctype: ComponentType, name: str, version: str, licence: str | None, purl: PackageURL | None,
               ref: str, **extra: object) -> Component:
    return Component(type=ctype, name=name, version=version or None, bom_ref=ref, purl=purl,
                     licenses=[_licences.make_from_string(licence)] if licence else [], **extra)


def build_bom(bundle: Path, binaries: list[tuple[str, str]], modules: set[str], version: str) -> Bom:
    bom = Bom()
    bom.metadata.component = Component(type=ComponentType.APPLICATION, name="ambientnote", version=version,
                                       bom_ref="ambientnote", licenses=[_licences.make_from_string("Apache-2.0")])
    bom.metadata.tools.components.add(Component(type=ComponentType.APPLICATION, name="packaging/sbom.py"))
    dists = bundled_distributions(modules)
    for name, dist in sorted(dists.items()):
        bom.components.add(_component(
            ComponentType.LIBRARY, dist.metadata["Name"], dist.version, _licence_of(dist),
            PackageURL("pypi", name=name, version=dist.version), f"pypi:{name}"))
    py_version = platform.python_version()
    bom.components.add(_component(ComponentType.FRAMEWORK, "cpython", py_version, "PSF-2.0",
                                  PackageURL("generic", name="cpython", version=py_version), "cpython"))

    owners = _owner_by_file({canonicalize_name(d.metadata["Name"]): d for d in metadata.distributions()})
    debian = _debian_packages([Path(src) for _, src in binaries if Path(src).resolve() not in owners])
    for dest, src in binaries:
        real = Path(src).resolve()
        file = bundle / "_internal" / dest
        props = [Property(name="ambientnote:bundle-path", value=f"_internal/{dest}")]
        hashes = [HashType(alg=HashAlgorithm.SHA_256, content=_sha256(file))] if file.is_file() else []
        if real in owners:
            dist = owners[real]
            props.append(Property(name="ambientnote:provided-by", value=f"pypi:{dist.metadata['Name']}"))
            comp = _component(ComponentType.LIBRARY, Path(dest).name, dist.version, _licence_of(dist), None,
                              f"native:{dest}", hashes=hashes, properties=props)
        elif Path(src) in debian:
            package, deb_version, licence = debian[Path(src)]
            props.append(Property(name="ambientnote:provided-by", value=f"deb:{package}"))
            props.append(Property(name="ambientnote:licence-source", value=f"/usr/share/doc/{package}/copyright"))
            purl = PackageURL("deb", "debian", package, deb_version, {"arch": platform.machine()})
            comp = _component(ComponentType.LIBRARY, Path(dest).name, deb_version, licence, purl,
                              f"native:{dest}", hashes=hashes, properties=props)
        elif real.is_relative_to(Path(sys.base_prefix).resolve()):  # the runtime's own (libpython, lib-dynload)
            props.append(Property(name="ambientnote:provided-by", value="cpython"))
            comp = _component(ComponentType.LIBRARY, Path(dest).name, py_version, "PSF-2.0", None,
                              f"native:{dest}", hashes=hashes, properties=props)
        else:  # from the build machine, outside any package manager: named with its origin, licence unknown
            props.append(Property(name="ambientnote:provided-by", value=f"file:{real}"))
            comp = _component(ComponentType.LIBRARY, Path(dest).name, "", None, None,
                              f"native:{dest}", hashes=hashes, properties=props)
        bom.components.add(comp)

    manifest = tomllib.loads((bundle / "_internal" / "models" / "manifest.toml").read_text(encoding="utf-8"))
    for model in manifest["model"]:
        if not all(p.startswith("ambientnote_models:") for f in model["files"] for p in f["parts"]):
            continue  # not shipped in this bundle
        for f in model["files"]:
            bom.components.add(_component(
                ComponentType.MACHINE_LEARNING_MODEL if f["name"].endswith((".bin", ".gguf")) else ComponentType.DATA,
                f"{model['name']}/{f['name']}", model["package"].split()[-1], model["licence"], None,
                f"model:{model['name']}/{f['name']}",
                hashes=[HashType(alg=HashAlgorithm.SHA_256, content=f["sha256"])],
                description=f"{model['description']}; licence: {model['licence']}; from {model['package']}",
                properties=[Property(name="ambientnote:bundle-path",
                                     value=f"_internal/ambientnote_models/{model['name']}/{f['name']}")]))
    bom.register_dependency(bom.metadata.component, bom.components)
    return bom


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--bundle", type=Path, required=True, help="the PyInstaller folder (holds _internal/)")
    parser.add_argument("--contents", type=Path, required=True, help="contents.json written by the spec")
    parser.add_argument("--version", required=True)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    contents = json.loads(args.contents.read_text(encoding="utf-8"))
    binaries = [(dest, src) for dest, src in contents["binaries"]]
    bom = build_bom(args.bundle, binaries, set(contents["modules"]), args.version)
    text = JsonV1Dot6(bom).output_as_string(indent=1)
    error = JsonStrictValidator(SchemaVersion.V1_6).validate_str(text)
    if error:
        print(f"The SBOM does not validate against CycloneDX 1.6: {error}", file=sys.stderr)
        return 1
    args.out.write_text(text, encoding="utf-8")
    print(f"SBOM: {len(bom.components)} components → {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())

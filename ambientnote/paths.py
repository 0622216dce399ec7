"""Where the project's shipped resources live (templates/, models/, assets/).

They sit at the top of the source tree (the layout is fixed). A frozen bundle or
a system package points ``AMBIENTNOTE_RESOURCES`` at the folder that holds them.
"""

from __future__ import annotations

import os
from pathlib import Path


def resources_root() -> Path:
    override = os.environ.get("AMBIENTNOTE_RESOURCES")
    return Path(override) if override else Path(__file__).resolve().parents[1]


def templates_dir() -> Path:
    return resources_root() / "templates"


def models_dir() -> Path:
    return resources_root() / "models"


def assets_dir() -> Path:
    return resources_root() / "assets"

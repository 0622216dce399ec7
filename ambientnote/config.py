"""Settings, layered: built-in defaults < user settings file < environment < site policy.

Hospital IT sets ``/etc/ambientnote/policy.toml`` (or ``AMBIENTNOTE_POLICY``);
every key it sets wins over the user's choices and is reported as locked, so the
GUI can grey the field out and the CLI can say why a flag was ignored.
"""

from __future__ import annotations

import os
import tomllib
from functools import lru_cache
from pathlib import Path
from typing import Any

import platformdirs
from pydantic import Field, ValidationError
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

from ambientnote.errors import ConfigError

APP_NAME = "ambientnote"
DEFAULT_POLICY_PATH = Path("/etc/ambientnote/policy.toml")


def policy_path() -> Path:
    return Path(os.environ.get("AMBIENTNOTE_POLICY", DEFAULT_POLICY_PATH))


def user_settings_path() -> Path:
    return Path(platformdirs.user_config_dir(APP_NAME)) / "settings.toml"


def _read_toml(path: Path) -> dict[str, Any]:
    if not path.is_file():
        return {}
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"The settings file {path} cannot be read ({exc}); fix or remove it.") from exc


class _TomlSource(PydanticBaseSettingsSource):
    """One TOML file as a settings layer."""

    def __init__(self, settings_cls: type[BaseSettings], path: Path) -> None:
        super().__init__(settings_cls)
        self.data = _read_toml(path)

    def get_field_value(self, field: Any, field_name: str) -> tuple[Any, str, bool]:
        return self.data.get(field_name), field_name, False

    def __call__(self) -> dict[str, Any]:
        return {k: v for k, v in self.data.items() if k in self.settings_cls.model_fields}


class Settings(BaseSettings):
    """Everything a site or a user can configure."""

    model_config = SettingsConfigDict(env_prefix="AMBIENTNOTE_", extra="ignore")

    home: Path = Field(
        default_factory=lambda: Path(platformdirs.user_data_dir(APP_NAME)),
        description="Where the encrypted store and the model cache live.",
    )
    asr_model: str = Field(
        "base", description="Manifest name or path of a CTranslate2 Whisper model (base: chosen by WER, see README)."
    )
    asr_beam_size: int = Field(5, ge=1, le=10)
    asr_vocabulary: bool = Field(True, description="Bias decoding toward the shipped medical vocabulary.")
    note_model: str = Field("smollm2-135m", description="Manifest name or path of a GGUF note model.")
    note_template: str = Field("soap", description="Note layout in templates/notes/.")
    note_context: int = Field(8192, ge=1024, description="Context window (tokens) given to the note model.")
    threads: int = Field(default_factory=lambda: min(os.cpu_count() or 2, 8), ge=1)
    onprem_url: str | None = Field(None, description="OpenAI-compatible endpoint of the hospital's LLM server.")
    input_device: str | None = Field(None, description="Microphone to record from (PortAudio id or name; none: default).")
    # store and accounts (issue 4)
    kdf_memory_kib: int = Field(65536, ge=1024, description="Argon2id memory per password unlock (KiB).")
    kdf_time_cost: int = Field(3, ge=1, description="Argon2id passes per password unlock.")
    max_failed_logins: int = Field(5, ge=1, description="Failed logins in a row that lock an account.")
    login_backoff_seconds: float = Field(1.0, ge=0.0, description="Wait after a failed login; doubles each time.")
    retention_audio_days: int | None = Field(None, ge=0, description="Purge audio this many days after signing.")

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        # First wins: the site policy beats everything, the user's file loses to explicit values.
        return (
            _TomlSource(settings_cls, policy_path()),
            init_settings,
            env_settings,
            _TomlSource(settings_cls, user_settings_path()),
        )

    @property
    def cache_dir(self) -> Path:
        return self.home / "cache"


def locked_fields() -> set[str]:
    """Names of the settings the site policy fixes (shown as locked in the faces)."""
    return set(_read_toml(policy_path())) & set(Settings.model_fields)


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"'


def save_user_settings(changes: dict[str, Any]) -> None:
    """Merge ``changes`` into the user's settings file (None removes a key); refuses policy-locked keys.

    Values are validated first, so a bad value never reaches the file.
    """
    locked = locked_fields() & set(changes)
    if locked:
        raise ConfigError(f"The site policy fixes {', '.join(sorted(locked))}; ask hospital IT to change it.")
    path = user_settings_path()
    data = {**_read_toml(path), **changes}
    data = {k: v for k, v in data.items() if v is not None and k in Settings.model_fields}
    load_settings(**data)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text("".join(f"{k} = {_toml_value(v)}\n" for k, v in sorted(data.items())), encoding="utf-8")
    os.replace(tmp, path)
    _cached_settings.cache_clear()


@lru_cache(maxsize=1)
def _cached_settings() -> Settings:
    return load_settings()


def load_settings(**overrides: Any) -> Settings:
    """Build the settings; overrides are what a face passes explicitly (CLI flags)."""
    try:
        return Settings(**{k: v for k, v in overrides.items() if v is not None})
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise ConfigError(f"The setting '{where}' is invalid: {first['msg']}.") from exc


def settings() -> Settings:
    """The process-wide settings with no overrides."""
    return _cached_settings()

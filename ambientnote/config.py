"""Settings, layered: built-in defaults < user settings file < environment < site policy.

Hospital IT sets ``/etc/ambientnote/policy.toml`` (or ``AMBIENTNOTE_POLICY``);
every key it sets wins over the user's choices and is reported as locked, so the
GUI can grey the field out and the CLI can say why a flag was ignored.

No process-wide settings: a face (a CLI command, the window, a benchmark) builds a ``Settings`` once
(``load_settings``) and passes it down; an unlocked store carries its own (``Store.settings``: the face's
settings with that store's safety settings layered on, ``with_admin_settings``), so the services that take a
session read the store's, and a test builds what it needs instead of clearing a cache.
"""

from __future__ import annotations

import ipaddress
import os
import tomllib
from collections.abc import Iterable, Mapping
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

import platformdirs
from pydantic import AfterValidator, Field, ValidationError
from pydantic.fields import FieldInfo
from pydantic_core import PydanticCustomError
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

from ambientnote.access import AccountRole
from ambientnote.errors import ConfigError
from ambientnote.files import explain, write_atomic

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


# Where data may go, and in what form: what a clinician must not change for themselves. Without a site policy
# an admin sets them in the store (``ambientnote db policy KEY VALUE``, ``ambientnote.store.safety``); the user's
# settings file is never read for them, so editing it changes nothing.
SAFETY_FIELDS = frozenset({
    "routing_allowed", "onprem_url", "onprem_hosts", "onprem_ca_bundle", "onprem_deid",
    "audit_repository", "audit_repository_ca", "audit_repository_client_cert", "audit_repository_fhir",
})


class _LayerSource(PydanticBaseSettingsSource):
    """One layer of settings from a dict (a TOML file's contents)."""

    def __init__(self, settings_cls: type[BaseSettings], data: dict[str, Any]) -> None:
        super().__init__(settings_cls)
        self.data = data

    def get_field_value(self, field: FieldInfo, field_name: str) -> tuple[Any, str, bool]:
        return self.data.get(field_name), field_name, False

    def __call__(self) -> dict[str, Any]:
        return {k: v for k, v in self.data.items() if k in self.settings_cls.model_fields}


def _fhir_base_url(url: str | None) -> str | None:
    """A FHIR audit repository's base URL: https, or plain http to this computer only (a test server), so
    audit events never cross the network in clear."""
    if url is None:
        return None
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower()
    loopback = host == "localhost" or _is_loopback_ip(host)
    if not host or parts.scheme not in ("https", "http") or (parts.scheme == "http" and not loopback):
        raise PydanticCustomError("fhir_url", "it must be an https:// URL (plain http:// only to this computer)")
    return url.strip().rstrip("/")


def _is_loopback_ip(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class Route(StrEnum):
    """Where a draft is written: ``auto`` escalates hard visits when allowed, ``local`` never, ``onprem`` always
    tries the server. A ``str``: settings files, CLI flags and audit records keep the plain words."""

    auto = "auto"
    local = "local"
    onprem = "onprem"


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
    note_model: str = Field("smollm2-135m-notewriter", description="Manifest name or path of a GGUF note model.")
    note_template: str = Field("soap", description="Note layout in templates/notes/.")
    note_context: int = Field(8192, ge=1024, description="Context window (tokens) given to the note model.")
    pdf_paper: Literal["auto", "letter", "a4"] = Field(
        "auto",
        description="Paper for exported PDFs (auto: Letter where the system locale measures in inches, else A4).",
    )
    threads: int = Field(default_factory=lambda: min(os.cpu_count() or 2, 8), ge=1)
    onprem_url: str | None = Field(None, description="OpenAI-compatible endpoint of the hospital's LLM server.")
    input_device: str | None = Field(
        None, description="Microphone to record from (PortAudio id or name; none: default)."
    )
    # store and accounts (issue 4)
    kdf_memory_kib: int = Field(65536, ge=1024, description="Argon2id memory per password unlock (KiB).")
    kdf_time_cost: int = Field(3, ge=1, description="Argon2id passes per password unlock.")
    max_failed_logins: int = Field(5, ge=1, description="Failed logins in a row that lock an account.")
    login_backoff_seconds: float = Field(1.0, ge=0.0, description="Wait after a failed login; doubles each time.")
    retention_audio_days: int | None = Field(None, ge=0, description="Purge audio this many days after signing.")
    # the audit record repository (issue 14): IHE ATNA syslog over TLS, see docs/admin.md
    audit_repository: str | None = Field(
        None, description="HOST:PORT of the hospital's audit record repository (syslog over TLS, RFC 5425)."
    )
    audit_repository_ca: Path | None = Field(None, description="CA bundle (PEM) that verifies the repository's TLS.")
    audit_repository_client_cert: Path | None = Field(
        None, description="This workstation's certificate and key (one PEM) when the repository asks for one."
    )
    audit_repository_fhir: Annotated[str | None, AfterValidator(_fhir_base_url)] = Field(
        None, description="Base URL of the hospital's FHIR R4 server that takes each audit event as an AuditEvent.",
    )
    audit_repository_timeout_s: float = Field(5.0, gt=0, description="Seconds to wait for the repository.")
    audit_repository_retry_s: float = Field(
        60.0, ge=0, description="After the repository could not be reached, wait this long before trying again."
    )
    # on-prem routing (issue 6): see packaging/policy.example.toml
    route: Route = Field(
        Route.auto, description="auto: escalate hard visits when allowed; local: never; onprem: always try the server."
    )
    routing_allowed: bool = Field(False, description="Whether a draft may be sent to the on-prem server at all.")
    onprem_hosts: list[str] = Field(
        default_factory=list, description="Host names allowed as endpoint besides loopback and private addresses."
    )
    onprem_model: str | None = Field(None, description="Model name sent to the server (none: the first it lists).")
    onprem_ca_bundle: Path | None = Field(None, description="CA bundle (PEM) that verifies the server's TLS.")
    onprem_timeout_s: float = Field(120.0, gt=0, description="Seconds to wait for the server's whole answer.")
    onprem_max_tokens: int = Field(1536, ge=1, description="Most tokens the server may write for one note.")
    onprem_response_format: Literal["json_object", "json_schema"] = Field(
        "json_object", description="json_object: llama.cpp server; json_schema: vLLM, TGI, OpenAI-style."
    )
    onprem_deid: bool = Field(True, description="Replace names, dates, places and numbers before sending.")
    route_context_share: float = Field(
        0.25, gt=0, description="Escalate when the transcript needs this share of the local context or more."
    )
    route_min_confidence: float = Field(0.6, ge=0, le=1, description="Escalate below this mean ASR confidence.")
    route_max_problems: int = Field(6, ge=1, description="Escalate when more problems than this are named.")
    route_max_medications: int = Field(6, ge=1, description="Escalate when more medications than this are named.")
    route_max_unsupported: int = Field(1, ge=0, description="Escalate when the guard flags more local statements.")
    route_max_unsupported_share: float = Field(
        0.2, ge=0, le=1, description="Refuse an on-prem answer when the guard flags more than this share of it."
    )

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        # First wins: the site policy beats everything, then explicit values (an admin's safety settings above a
        # face's overrides: ``load_settings``); the user's file loses to both and never sets a safety field.
        user = {k: v for k, v in _read_toml(user_settings_path()).items() if k not in SAFETY_FIELDS}
        return (
            _LayerSource(settings_cls, _read_toml(policy_path())),
            init_settings,
            env_settings,
            _LayerSource(settings_cls, user),
        )

    @property
    def cache_dir(self) -> Path:
        return self.home / "cache"


def policy_fields() -> set[str]:
    """Names of the settings the site policy fixes."""
    return set(_read_toml(policy_path())) & set(Settings.model_fields)


def locked_fields(roles: Iterable[str] = ()) -> set[str]:
    """Names of the settings these roles may not change (shown as locked in the faces): what the site policy
    fixes, and the safety settings for anyone but an admin (``SAFETY_FIELDS``)."""
    return policy_fields() | (set() if AccountRole.admin in roles else set(SAFETY_FIELDS))


def lock_reason(field: str) -> str:
    """Why a locked field is locked, as the one sentence a face shows beside it."""
    if field in policy_fields():
        return "Locked by the site policy; hospital IT sets this."
    return "A safety setting: only an administrator changes it."


def _toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"'


def save_user_settings(changes: dict[str, Any]) -> None:
    """Merge ``changes`` into the user's settings file (None removes a key); refuses policy-locked keys and the
    safety settings, which never go to a user's file (an admin sets them: ``ambientnote.store.safety``).

    Values are validated first, so a bad value never reaches the file.
    """
    locked = policy_fields() & set(changes)
    if locked:
        raise ConfigError(f"The site policy fixes {', '.join(sorted(locked))}; ask hospital IT to change it.")
    if safety := sorted(SAFETY_FIELDS & set(changes)):
        raise ConfigError(f"{', '.join(safety)} {'is a safety setting' if len(safety) == 1 else 'are safety settings'}"
                          " that only an administrator changes (ambientnote db policy KEY VALUE).")
    path = user_settings_path()
    data = {**_read_toml(path), **changes}
    data = {k: v for k, v in data.items() if v is not None and k in Settings.model_fields and k not in SAFETY_FIELDS}
    load_settings(**data)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        write_atomic(path, "".join(f"{k} = {_toml_value(v)}\n" for k, v in sorted(data.items())))
    except OSError as exc:
        raise ConfigError(f"The settings could not be saved to {path}: {explain(exc)}.") from exc


def load_settings(*, admin: Mapping[str, Any] | None = None, **overrides: object) -> Settings:
    """Build the settings, read now. First wins: the site policy, then ``admin`` (a store's safety settings), then
    ``overrides`` (what a face passes explicitly), the environment, the user's file, the defaults."""
    given: dict[str, Any] = {k: v for k, v in overrides.items() if v is not None}  # pydantic validates each
    given |= {k: v for k, v in (admin or {}).items() if k in SAFETY_FIELDS}
    try:
        return Settings(**given)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise ConfigError(f"The setting '{where}' is invalid: {first['msg']}.") from exc


def with_admin_settings(cfg: Settings, admin: Mapping[str, Any]) -> Settings:
    """``cfg`` with an unlocked store's safety settings (set by an admin) layered on; the site policy still wins,
    and a safety setting the admin did not set comes from the environment or its default, as in ``cfg``."""
    return load_settings(admin=admin, **{k: v for k, v in cfg.model_dump().items() if k not in SAFETY_FIELDS})

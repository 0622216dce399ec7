"""Where a draft may go: the on-prem endpoint the site allows, checked before any byte is sent.

Hospital IT fixes the endpoint, whether routing is allowed at all, the CA bundle
and the allowed host names in the site policy (``/etc/ambientnote/policy.toml``);
those keys beat the user's settings. An endpoint is accepted only when its host
is a loopback or private address, or a name the policy lists: a typo or a
tampered setting can never send a transcript to the internet. API keys come
from the OS keyring or ``AMBIENTNOTE_ONPREM_API_KEY``, never the store or logs.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit

from pydantic import BaseModel

from ambientnote.config import Route, Settings, locked_fields
from ambientnote.egress import host_allowed
from ambientnote.errors import ConfigError

KEYRING_SERVICE = "ambientnote-onprem"
API_KEY_ENV = "AMBIENTNOTE_ONPREM_API_KEY"


class Endpoint(BaseModel):
    """A checked on-prem endpoint: ``base_url`` ends in ``/v1``."""

    base_url: str
    host: str
    port: int
    scheme: str
    ca_bundle: Path | None = None
    model: str | None = None


def check_endpoint(url: str, cfg: Settings) -> Endpoint:
    """Parse and vet ``url``; any endpoint the policy does not allow is refused in one sentence."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError(f"The on-prem endpoint '{url}' is not an http(s) URL; ask hospital IT for the right one.")
    host = parts.hostname
    if not host_allowed(host, cfg):
        raise ConfigError(
            f"The on-prem endpoint host '{host}' is neither a private address nor listed in the site policy's "
            "onprem_hosts, so nothing is sent there."
        )
    if parts.username or parts.password:
        raise ConfigError("The on-prem endpoint must not carry credentials in its URL; store the key in the keyring.")
    if cfg.onprem_ca_bundle is not None and not Path(cfg.onprem_ca_bundle).is_file():
        raise ConfigError(f"The CA bundle {cfg.onprem_ca_bundle} named by the site policy does not exist.")
    path = parts.path.rstrip("/")
    for suffix in ("/chat/completions", "/v1"):
        if path.endswith(suffix):
            path = path[: -len(suffix)]
    port = parts.port or (443 if parts.scheme == "https" else 80)
    netloc = f"[{host}]" if ":" in host else host
    return Endpoint(
        base_url=f"{parts.scheme}://{netloc}:{port}{path}/v1", host=host, port=port, scheme=parts.scheme,
        ca_bundle=cfg.onprem_ca_bundle, model=cfg.onprem_model,
    )


def configured_endpoint(cfg: Settings) -> Endpoint | None:
    """The vetted endpoint from settings and policy, or None when none is configured."""
    return check_endpoint(cfg.onprem_url, cfg) if cfg.onprem_url else None


def why_not_allowed(cfg: Settings) -> str | None:
    """The one sentence that says why routing cannot happen here, or None when it can."""
    if not cfg.routing_allowed:
        return "the site policy does not allow sending drafts to an on-prem server"
    if not cfg.onprem_url:
        return "no on-prem endpoint is configured (onprem_url)"
    try:
        check_endpoint(cfg.onprem_url, cfg)
    except ConfigError as exc:
        sentence = str(exc).rstrip(".")
        return sentence[0].lower() + sentence[1:]
    return None


def route_choice(cfg: Settings) -> tuple[Route, bool, str]:
    """The route the next draft takes, whether the clinician may change it, and, when not, why (one sentence)."""
    blocked = why_not_allowed(cfg)
    if blocked is not None:
        return Route.local, False, f"Drafts stay on this computer: {blocked}."
    if "route" in locked_fields():
        return cfg.route, False, f"The site policy fixes the route to {cfg.route}."
    return cfg.route, True, ""


def api_key(host: str) -> str | None:
    """The server's API key: the environment first (scripts), then the OS keyring (desktops)."""
    if os.environ.get(API_KEY_ENV):
        return os.environ[API_KEY_ENV]
    try:
        import keyring  # here: keyring and its backend discovery load only when a key is needed
        from keyring.errors import KeyringError  # optional: keyring loads only when a key is needed

        try:
            return keyring.get_password(KEYRING_SERVICE, host)
        except KeyringError:
            return None
    except Exception:  # noqa: BLE001  (a broken keyring backend must not stop a local draft)
        return None

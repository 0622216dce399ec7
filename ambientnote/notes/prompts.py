"""Prompts from ``templates/prompts/*.j2``, tuned for the model named in the manifest."""

from __future__ import annotations

from functools import lru_cache

import jinja2

from ambientnote.paths import templates_dir


@lru_cache(maxsize=1)
def _env() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates_dir() / "prompts"),
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )


def render_prompt(name: str, **values: object) -> str:
    return _env().get_template(f"{name}.j2").render(**values).strip()

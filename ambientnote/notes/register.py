"""The note's sentences, spoken by the Jinja2 macros of ``templates/notes/register/``.

Wording lives in templates so a site (or a specialty) can change how a fact is
written without touching code; Python only decides which facts go where.
"""

from __future__ import annotations

import re
from functools import lru_cache

import jinja2

from ambientnote.facts.text import joined, spelled
from ambientnote.paths import templates_dir


def _oxford(items: list[str], conjunction: str = "and") -> str:
    return joined(list(items), conjunction)


def _capitalize_first(text: str) -> str:
    text = spelled(text)  # "mcl strain" → "MCL strain", not "Mcl strain"
    return text[:1].upper() + text[1:] if text else text


@lru_cache(maxsize=1)
def _env() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates_dir() / "notes" / "register"),
        autoescape=False,  # plain text, never HTML
        undefined=jinja2.StrictUndefined,
    )
    env.filters["oxford"] = _oxford
    env.filters["capitalize_first"] = _capitalize_first
    env.filters["spelled"] = spelled
    env.filters["lower_first"] = lambda text: text if text[:2].isupper() else text[:1].lower() + text[1:]  # not "EKG"
    env.filters["trim_stop"] = lambda text: text.rstrip(". ")
    return env


def say(template: str, macro: str, *args: object) -> str:
    """One sentence from macro ``macro`` of ``templates/notes/register/TEMPLATE.j2``, spacing tidied."""
    module = _env().get_template(f"{template}.j2").module
    text = str(getattr(module, macro)(*args))
    return spelled(re.sub(r"\s+([,.;:])", r"\1", " ".join(text.split())).strip())

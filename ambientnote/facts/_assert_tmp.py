"""Temporary stand-in until assertion.py lands (helper)."""
from __future__ import annotations
import re
from ambientnote.facts.schema import Assertion
_NEG = re.compile(r"\b(no|not|denies|never|without|none|n't|nothing)\b")
_FAM = re.compile(r"\b(mother|mom|father|dad|sister|brother|grandmother|grandfather|aunt|uncle|son|daughter|wife|husband)\b")
_HYP = re.compile(r"\b(if|in case|should you|rule out|could be|might|possibly|maybe)\b")

def assert_term(sentence: str, term: str, *, previous: str | None = None) -> Assertion:
    s = sentence.lower(); i = s.find(term.lower())
    before = s[max(0, i - 40):i] if i >= 0 else s
    if _FAM.search(before): return Assertion.family
    if _NEG.search(before): return Assertion.denied
    if _HYP.search(before): return Assertion.possible
    return Assertion.present

"""Is a word ordinary English? pyspellchecker's English frequency list answers for the drug near-miss check
(a real word is no misheard drug) and for the history (a dictated item of common words only is no diagnosis).
"""

from __future__ import annotations

from functools import lru_cache

from spellchecker import SpellChecker, WordFrequency

COMMON = 1000  # a word seen this often in the frequency list is everyday English


@lru_cache(maxsize=1)
def _frequencies() -> WordFrequency:
    return SpellChecker(distance=1).word_frequency


def is_ordinary(word: str, at_least: int = COMMON) -> bool:
    """A common English word ("leave", "for", "I'm", "second"), which is no medical term."""
    word = word.lower()
    return _frequencies()[word] >= at_least or _frequencies()[word.replace("'", "")] >= at_least


def is_english(word: str) -> bool:
    """Any word of the English dictionary, however rare ("lipid", "flexion", "exertion")."""
    return is_ordinary(word, at_least=1)

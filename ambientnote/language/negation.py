"""Negation in what was said: which words a "no", "denies", "without" or "n't" takes back.

The guard compares a drafted statement's negations with the conversation's, and the visit record marks a
symptom denied ("no chest pain") with the same reading, so it lives below both. ``_BARE_NO`` is an answer
that is nothing but a no ("nope", "I haven't"): it negates the question before it.
"""

from __future__ import annotations

import re

# up to three words after the negation; a contrast ends it ("no vomiting but constipation")
_NEG_SCOPE = re.compile(r"(?:\b(?:no|not|denies|denied|negative for|without|never|none)\b|n't)"
                        r"((?:[^\w.?!;]+(?!(?:but|except|although|though|however)\b)[a-z]+){1,3})", re.I)
_BARE_NO = re.compile(r"^\W*(?:(?:uh|um|hmm|well|oh)\W+)*(?:(no|nope|nah|not really|never|none)\b|"
                      r"i (?:have not|haven't|have n't|don't|do n't|do not|did not|didn't|did n't)\W*$)", re.I)
_SKIP = frozenset("any the a an and or of to for with have has had been that this it at all really".split())


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z]+", text.lower()) if len(w) > 3 and w not in _SKIP}


# "i don't believe it's well controlled" denies what follows "it's", not the believing: read as "it's not well …"
_NEG_RAISED = re.compile(r"\b(?:do|does|did) ?(?:n't|not) (?:think|believe|feel)(?: that)? "
                         r"((?:it|this|that|he|she|they|you)(?:'s| ?'re| is| are| has been| have been))", re.I)

# "you don't seem to have any pain": the pain is denied, not the seeming
_NEG_SEEM = re.compile(r"\b(?:do|does|did) ?(?:n't|not) (?:seem|appear) to (?:have|be having)(?: any)?\b", re.I)


def negated_words(text: str) -> set[str]:
    """Content words within three words after a negation ("no chest pain" → chest, pain)."""
    text = _NEG_SEEM.sub("no", _NEG_RAISED.sub(r"\1 not", text))
    return {w for m in _NEG_SCOPE.finditer(text) for w in _words(m[1])}

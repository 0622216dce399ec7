"""Scoring a transcript against a tagged reference: WER, drug-name and number recall, role accuracy, inventions.

Text is normalised the way WER tables usually are (lower case, no punctuation,
hyphens as spaces, numbers as digits, "mg" as "milligrams", no "um"/"hmm") so that "X-ray,"
and "x ray", or "twenty" and "20", count as the same words.
Role accuracy is measured on words: each reference word carries its speaker's
role; each recognised word that aligns to it (same word) carries the role the
pipeline gave its turn; the score is the share of aligned words that agree.
``turn_scores`` measures the same per turn, where a long monologue weighs no
more than a "yes": a reference turn is right when most of its recognised words
sit in turns of its role, and a recognised turn is merged when it holds words
of two reference speakers.
"""

from __future__ import annotations

import re
from collections import Counter
from difflib import SequenceMatcher

from ambientnote.transcript import Transcript

_PUNCT = re.compile(r"[^a-z0-9'. ]+")
_UNITS = {w: n for n, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen".split())}
_TENS = {w: 10 * n for n, w in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split(), start=2)}
_FILLERS = {"um", "uh", "uhm", "hmm", "mm", "mmm", "mhm", "er", "ah", "eh"}  # dropped, as Whisper's own normaliser does
_SAME = {"ok": "okay", "mg": "milligrams", "milligram": "milligrams", "mr": "mister", "dr": "doctor"}


def _digits(words: list[str]) -> list[str]:
    """Spelled-out numbers as digits: "four hundred" -> "400", "twenty five" -> "25" (as Whisper writes them)."""
    out: list[str] = []
    total = current = 0
    in_number = False

    def flush() -> None:
        nonlocal total, current, in_number
        if in_number:
            out.append(str(total + current))
        total = current = 0
        in_number = False

    for word in words:
        if word in _UNITS or word in _TENS:
            value = _UNITS.get(word, _TENS.get(word, 0))
            if in_number and current % 10 == 0 and current % 100 != 0 and value < 10:
                current += value  # "twenty" "five"
            elif in_number and current % 100 == 0 and current and value < 100:
                current += value  # "four hundred" "twenty"
            else:
                flush()
                current, in_number = value, True
        elif word == "hundred" and in_number:
            current *= 100
        elif word == "thousand" and in_number:
            total, current = total + current * 1000, 0
        else:
            flush()
            out.append(word)
    flush()
    return out


def normalise(text: str, keep_fillers: bool = False) -> list[str]:
    """Words as WER counts them; ``keep_fillers`` keeps "mm", "hmm" (a reply said, when asking who said what)."""
    dropped = set() if keep_fillers else _FILLERS
    text = text.lower().replace("-", " ").replace("%", " percent ")
    words = []
    for raw in _PUNCT.sub(" ", text).split():
        word = raw.strip("'.")
        if not word:
            continue
        if not re.fullmatch(r"\d+\.\d+", word):  # "0.5" stays; "dr." and "4." lose the full stop
            word = word.replace(".", " ").strip()
        words += [_SAME.get(w, w) for w in word.split() if w not in dropped]
    return _digits(words)


def _close(a: str, b: str) -> int:
    """1 when two different words look alike (same first letter or same ending: "mm"/"m", "dax"/"max")."""
    return int(a[0] == b[0] or a[-2:] == b[-2:])


def align(ref: list[str], hyp: list[str]) -> list[tuple[str, int | None, int | None]]:
    """A minimal-edit alignment of two word lists: ("equal"|"sub", i, j), ("del", i, None), ("ins", None, j).

    Of the alignments with the fewest edits (the WER), the one pairing the most
    equal words, then the most look-alike ones, with words left over placed
    last: otherwise a tie can pair "hi doctor maker" with "how are you" rather
    than with "hi doctor baker", or "M-M-Them" with "dax" rather than with the
    "mm-hmm" it was, and misheard speech reads as a sentence nobody said.
    """
    n, m = len(ref), len(hyp)
    match = n + m + 1  # a match outweighs all look-alike pairs, an edit all matches: cost = edits*edit - ...
    edit = match * match
    cost = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(n + 1):
        cost[i][0] = i * edit
    for j in range(m + 1):
        cost[0][j] = j * edit

    def pair(a: str, b: str) -> int:
        return -match if a == b else edit - _close(a, b)

    for i in range(1, n + 1):
        row, above = cost[i], cost[i - 1]
        for j in range(1, m + 1):
            row[j] = min(above[j] + edit, row[j - 1] + edit, above[j - 1] + pair(ref[i - 1], hyp[j - 1]))
    ops: list[tuple[str, int | None, int | None]] = []
    i, j = n, m
    while i or j:
        if j and cost[i][j] == cost[i][j - 1] + edit:
            ops.append(("ins", None, j - 1))
            j -= 1
        elif i and j and cost[i][j] == cost[i - 1][j - 1] + pair(ref[i - 1], hyp[j - 1]):
            ops.append(("equal" if ref[i - 1] == hyp[j - 1] else "sub", i - 1, j - 1))
            i, j = i - 1, j - 1
        else:
            ops.append(("del", i - 1, None))
            i -= 1
    return ops[::-1]


def word_error_rate(reference: str, hypothesis: str) -> float:
    """Levenshtein distance over words divided by the reference length."""
    ref, hyp = normalise(reference), normalise(hypothesis)
    if not ref:
        return 0.0 if not hyp else 1.0
    return sum(op != "equal" for op, _, _ in align(ref, hyp)) / len(ref)


def number_recall(reference: str, hypothesis: str) -> tuple[int, int]:
    """(found, expected): numbers (doses, counts, ages) said in the reference that the hypothesis also holds."""
    ref = Counter(w for w in normalise(reference) if _is_number(w))
    hyp = Counter(w for w in normalise(hypothesis) if _is_number(w))
    return sum(min(n, hyp[w]) for w, n in ref.items()), sum(ref.values())


def _is_number(word: str) -> bool:
    return bool(re.fullmatch(r"\d+(\.\d+)?", word))


_SENTENCE = re.compile(r"(?<=[.?!])\s+")
INVENTED_SIMILARITY = 0.5


# "Dr.", "K.": a title or an initial ends with a full stop but not the sentence ("Okay, Dr. K. Blagen." is one)
_NOT_AN_END = re.compile(r"(?:dr|mr|mrs|ms|st|vs|[a-z])\.", re.I)


def _sentences(hypothesis: Transcript) -> list[tuple[str, float, float]]:
    """(text, start, end) per recognised sentence: cut at word ends with word times, else at ., ?, ! in the text."""
    out = []
    for seg in hypothesis.segments:
        if seg.words:
            current = []
            for word in seg.words:
                current.append(word)
                if word.word.endswith((".", "?", "!")) and not _NOT_AN_END.fullmatch(word.word.strip()):
                    out.append((" ".join(w.word for w in current), current[0].start, current[-1].end))
                    current = []
            if current:
                out.append((" ".join(w.word for w in current), current[0].start, current[-1].end))
        else:
            out += [(s, seg.start, seg.end) for s in _SENTENCE.split(seg.text)]
    return [s for s in out if normalise(s[0])]


def invented_sentences(reference: str, hypothesis: Transcript) -> tuple[list[str], int, int]:
    """Recognised sentences that nobody said, plus (inserted words, reference words).

    A sentence is invented when none of its words aligns to the same reference
    word and its letters are not even close to the reference words it stands
    against (similarity under ``INVENTED_SIMILARITY``): "Thank you very much."
    after the last word, "See you next week." in a pause, but not "Maker." for
    "baker" or "Blumming pin." for "throbbing pain", which are misheard speech.
    Word times cannot tell them apart: Whisper squeezes an invented sentence
    into the last half-second of real speech. Fillers count here: a patient's
    "mm-hmm" heard as "M-M-Them." was said. Inserted words are hypothesis
    words the alignment (fillers dropped, as for the WER) matches to nothing.
    """
    sentences = _sentences(hypothesis)
    owner: list[int] = []
    hyp: list[str] = []
    for k, (text, _, _) in enumerate(sentences):
        words = normalise(text, keep_fillers=True)
        hyp += words
        owner += [k] * len(words)
    ref_with_fillers = normalise(reference, keep_fillers=True)
    ops = align(ref_with_fillers, hyp)
    matched = {owner[j] for op, _, j in ops if op == "equal" and j is not None}
    against: dict[int, list[str]] = {}
    for _, i, j in ops:
        if j is not None and i is not None:
            against.setdefault(owner[j], []).append(ref_with_fillers[i])
    invented = [
        text for k, (text, _, _) in enumerate(sentences)
        if k not in matched
        and SequenceMatcher(a=" ".join(normalise(text, keep_fillers=True)), b=" ".join(against.get(k, [])),
                            autojunk=False).ratio()
        < INVENTED_SIMILARITY
    ]
    ref = normalise(reference)
    inserted = sum(op == "ins" for op, _, _ in align(ref, normalise(" ".join(t for t, _, _ in sentences))))
    return invented, inserted, len(ref)


def term_recall(reference: str, hypothesis: str, terms: list[str] | tuple[str, ...]) -> tuple[int, int]:
    """(found, expected): occurrences of ``terms`` in the reference that the hypothesis also holds."""
    ref, hyp = " ".join(normalise(reference)), " ".join(normalise(hypothesis))
    expected = found = 0
    for term in terms:
        pattern = re.compile(rf"\b{re.escape(' '.join(normalise(term)))}\b")
        n_ref = len(pattern.findall(ref))
        expected += n_ref
        found += min(n_ref, len(pattern.findall(hyp)))
    return found, expected


def _role_words(transcript: Transcript) -> tuple[list[str], list[str]]:
    words, roles = [], []
    for seg in transcript.segments:
        for w in normalise(seg.text):
            words.append(w)
            roles.append(seg.role.value)
    return words, roles


def role_accuracy(reference: Transcript, hypothesis: Transcript) -> tuple[int, int]:
    """(agreeing, aligned) word counts between the reference roles and the hypothesis roles."""
    ref_words, ref_roles = _role_words(reference)
    hyp_words, hyp_roles = _role_words(hypothesis)
    agree = aligned = 0
    for block in SequenceMatcher(a=ref_words, b=hyp_words, autojunk=False).get_matching_blocks():
        for k in range(block.size):
            aligned += 1
            agree += ref_roles[block.a + k] == hyp_roles[block.b + k]
    return agree, aligned


def _turn_words(transcript: Transcript) -> tuple[list[str], list[int]]:
    words, turns = [], []
    for n, seg in enumerate(transcript.segments):
        for w in normalise(seg.text):
            words.append(w)
            turns.append(n)
    return words, turns


def turn_scores(reference: Transcript, hypothesis: Transcript) -> dict[str, int]:
    """Per-turn role agreement and turns merged across speakers, from a word alignment.

    ``merged``: recognised turns holding words (aligned as equal) of two or more
    reference speakers, out of ``turns``. ``roles_right``: reference turns whose
    aligned words (equal or misheard) mostly carry the reference turn's role,
    out of ``ref_turns`` (those with any aligned word).
    """
    ref_words, ref_turn = _turn_words(reference)
    hyp_words, hyp_turn = _turn_words(hypothesis)
    speakers_in: dict[int, set[str]] = {}
    roles_of: dict[int, Counter] = {}
    for op, i, j in align(ref_words, hyp_words):
        if i is None or j is None:
            continue
        ref_seg, hyp_seg = reference.segments[ref_turn[i]], hypothesis.segments[hyp_turn[j]]
        roles_of.setdefault(ref_turn[i], Counter())[hyp_seg.role] += 1
        if op == "equal":
            speakers_in.setdefault(hyp_turn[j], set()).add(ref_seg.speaker)
    right = sum(votes.most_common(1)[0][0] == reference.segments[k].role for k, votes in roles_of.items())
    return {
        "merged": sum(len(s) > 1 for s in speakers_in.values()),
        "turns": len(hypothesis.segments),
        "roles_right": right,
        "ref_turns": len(roles_of),
    }


def plain_text(transcript: Transcript) -> str:
    return " ".join(s.text for s in transcript.segments)

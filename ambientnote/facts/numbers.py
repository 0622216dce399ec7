"""Spoken numbers as digits: notes write "BP 152/96" and "80 mg", conversations say "one fifty-two over
ninety-six" and "eighty milligrams". Facts are matched and compared on digits, so the conversion is one
function used by extraction, the guard and the evaluation alike.
"""

from __future__ import annotations

import re

UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}
TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
        "ninety": 90}
_NUMBER = "|".join([*UNITS, *TENS, "hundred", "thousand"])
_WORD = f"{_NUMBER}|a"
_RUN = re.compile(rf"\b(?:(?:{_WORD})(?:[\s-]+(?:and[\s-]+)?|(?=\b)))+", re.I)


def _value(words: list[str]) -> int | None:
    """The number a run of number words says; "one fifty" (as in blood pressures) is 150."""
    total, current, parts = 0, 0, []
    for word in words:
        if word in UNITS:
            current += UNITS[word]
            parts.append(("u", UNITS[word]))
        elif word in TENS:
            current += TENS[word]
            parts.append(("t", TENS[word]))
        elif word == "hundred":
            current = max(current, 1) * 100
            parts.append(("h", 100))
        elif word == "thousand":
            total += max(current, 1) * 1000
            current = 0
            parts.append(("k", 1000))
    kinds = [k for k, _ in parts]
    # "one fifty" / "one twenty-five" / "one eighteen": a leading unit then tens or a teen, said like a hundred
    if (len(parts) >= 2 and kinds[0] == "u" and parts[0][1] < 10 and parts[1][1] >= 10 and "h" not in kinds
            and "k" not in kinds):
        return parts[0][1] * 100 + sum(v for _, v in parts[1:])
    # "ninety eight point six" is handled by the caller; "twenty five" adds up
    return total + current if parts else None


def _convert(match: re.Match[str]) -> str:
    text = match.group(0)
    lead = re.match(r"a[\s-]+(?!hundred|thousand)", text, re.I)
    if lead:  # the article "a", not "a hundred": keep it and convert what follows
        return lead.group(0) + _RUN.sub(_convert, text[lead.end():]) if text[lead.end():] else text
    words = [w for w in re.split(r"[\s-]+", text.strip().lower()) if w and w != "and"]
    if words in (["a"], ["one"]):
        return text  # "a" and a lone "one" ("one of them") are words, not numbers
    values = [_value(group) for group in _numbers_said([w for w in words if w != "a"])]
    if None in values or not values:
        return text
    trailing = text[len(text.rstrip()):]
    return " ".join(str(v) for v in values) + trailing


def _numbers_said(words: list[str]) -> list[list[str]]:
    """A run of number words cut where a new number starts: "ninety ninety seven" is a restart (90, 97), not
    187; "twenty five thirty" is 25 and 30. A unit before tens stays one number ("one twenty" is 120); a digit
    after a unit starts a new one ("four five six seven days" is a count, not 22)."""
    groups: list[list[str]] = []
    for word in words:
        kinds = ["t" if w in TENS else "u" if w in UNITS else "x" for w in groups[-1]] if groups else []
        if groups and (word in TENS and (kinds[-1:] == ["t"] or kinds[-2:] == ["t", "u"])
                       or UNITS.get(word, 10) < 10 and kinds[-1:] == ["u"]):  # "four five six seven days": a list
            groups.append([word])
        elif groups:
            groups[-1].append(word)
        else:
            groups.append([word])
    return groups


_MEASURE = r"(?:cm|centimeters?|mm|millimeters?|%|percent|mg|milligrams?|kg|kilograms?|pounds?|degrees|liters?)\b"


def digits(text: str) -> str:
    """``text`` with spoken numbers written as digits ("eighty milligrams" → "80 milligrams").

    Also joins "ninety eight point six" → "98.6", "1,000" → "1000" and "three out of six" → "3/6".
    """
    # "naprosyn five hundred five hundred milligrams": a number said again is said once (not 50500)
    text = re.sub(rf"\b((?:{_NUMBER})(?:[\s-]+(?:{_NUMBER}))*)[\s-]+\1\b(?![\s-]+(?:{_NUMBER})\b)", r"\1", text,
                  flags=re.I)
    text = _RUN.sub(_convert, text)
    text = re.sub(r"(\d),(\d{3})\b", r"\1\2", text)
    text = re.sub(r"\b(\d+)\s+point\s+(\d+)\b", r"\1.\2", text, flags=re.I)
    # "a stone measuring point five centimeters": 0.5 cm
    text = re.sub(r"(?<![\d.])\bpoint\s+(\d+)(?=\s*(?:cm|mm|centimeters?|millimeters?|mg|milligrams?|percent|%)\b)",
                  r"0.\1", text, flags=re.I)
    # "a zero . zero five percent solution": a strength said digit by digit
    text = re.sub(r"\b(\d) ?\. ?((?:\d ){1,2}\d)(?=\s*(?:percent|%))",
                  lambda m: f"{m[1]}.{m[2].replace(' ', '')}", text, flags=re.I)
    text = re.sub(r"\b(\d{1,3}) \. (\d)\b(?! \d)", r"\1.\2", text)  # ASR's "98 . 2" is a decimal
    # … and so is "4. 4 centimeters" / "4 . 4 cm" when a unit follows
    text = re.sub(rf"\b(\d{{1,3}}) ?\. (\d{{1,2}})(?=\s*{_MEASURE})", r"\1.\2", text, flags=re.I)
    text = re.sub(rf"\ba \. (\d)(?=\s*{_MEASURE})", r"a 0.\1", text, flags=re.I)  # "a . 5 centimeter stone"
    text = re.sub(r"\bone(\s+(?:to|or)\s+\d)", r"1\1", text, flags=re.I)  # "one to 2 weeks": a range, not a word
    text = re.sub(r"\b(\d+)\s+out\s+of\s+(\d+)\b", r"\1/\2", text, flags=re.I)
    return re.sub(r"\b([1-6])\s+over\s+([46])\b", r"\1/\2", text, flags=re.I)  # a murmur's grade, not a pressure

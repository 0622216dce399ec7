"""Social history beyond habits: what the patient does for work, how they keep active, whom they live with.

A chart keeps these under SOCIAL HISTORY (28 of 67 ACI-Bench train references
have one) and they change care: a cashier on her feet all day, a runner with a
knee injury. Only the patient's own words about themselves count ("i work as a
cashier", "i run about five miles a day", "i live with my wife"), or their
answer to the clinician's question about work; a negated or conditional clause
("i can't run anymore", "will i be able to run again") says nothing lasting.
Smoking, alcohol and drugs stay with ``history.py``, which reads their answers.
"""

from __future__ import annotations

import re

from ambientnote.facts.schema import HistoryItem
from ambientnote.facts.text import plain, sentence, statements
from ambientnote.transcript import Role, Segment

MAX_WORDS = 12

_ASKS_WORK = re.compile(r"\b(?:what do you do for (?:a )?(?:living|work)|where do you work|what kind of work|"
                        r"what(?:'s| is) your (?:job|occupation)|what do you do for your job)\b", re.I)
_LEAD = re.compile(r"^(?:(?:uh|um|well|so|yeah|yes|oh|and|but|very|definitely|absolutely)\W+)*", re.I)  # "very i'm …"
_STUTTER = re.compile(r"^(?:i\W+)+(?=i\b)", re.I)  # "i i work as …"
# "i work as a cashier in a supermarket", "i'm an x-ray tech" (to the work question), "i own an auto repair shop"
_WORK = re.compile(r"^i (?P<verb>work|own|teach|drive|manage|run) (?P<what>(?:as|at|in|for|an?|the|my) .+)$", re.I)
_IS_A = re.compile(r"^(?:i'm|i am) (?P<what>(?:an?) (?!(?:bit|little|lot|few|couple|big fan)\b).+)$", re.I)
_DOES_WORK = re.compile(r"^i do (?P<what>(?:\w+ ){1,3}work)$", re.I)
_RETIRED = re.compile(r"^(?:i'm|i am|i've been|i have been) (?:now )?retired\b", re.I)
# "i'm a big runner", "i run about five to six miles a day", "i ride our bike for about 45 minutes"
_ACTIVE = re.compile(r"^i (?:(?:usually|also|still|really|regularly) )?(?P<verb>run|jog|swim|bike|ride|hike|walk|play|"
                     r"lift|golf|exercise|work out|go to the gym|do yoga)\b(?P<rest>.*)$", re.I)
# "i'm a big runner", "i'm more of a runner", "i'm a student": who the patient is, said of themselves
_IS_ONE = re.compile(r"^(?:i'm|i am) (?:(?:a|an|more of a|also a)\s+)(?P<keen>(?:big|avid|huge|serious|keen)\s+)?"
                     r"(?P<what>runner|jogger|cyclist|biker|swimmer|hiker|golfer|walker|climber|skier|dancer|"
                     r"student|farmer|veteran)\b(?P<rest>.*)$", re.I)
# "i love to run", "i really like photography too", "i enjoy golfing": what the patient does for pleasure
_ENJOYS = re.compile(r"^i (?:(?:really|also|just) )*(?:love|like|enjoy)(?: to)? (?P<what>run(?:ning)?|jog(?:ging)?|"
                     r"swim(?:ming)?|hik(?:e|ing)|walk(?:ing)?|golf(?:ing)?|garden(?:ing)?|fish(?:ing)?|hunt(?:ing)?|"
                     r"danc(?:e|ing)|bik(?:e|ing)|ski(?:ing)?|photography|travel(?:ing|ling)?|read(?:ing)?|"
                     r"cook(?:ing)?|paint(?:ing)?|ride (?:my |bikes?|horses)\w*|riding \w+)\b(?P<rest>.*)$", re.I)
_GERUND = {"run": "running", "jog": "jogging", "swim": "swimming", "hike": "hiking", "walk": "walking",
           "golf": "golfing", "garden": "gardening", "fish": "fishing", "hunt": "hunting", "dance": "dancing",
           "bike": "biking", "ski": "skiing", "travel": "traveling", "read": "reading", "cook": "cooking",
           "paint": "painting"}
# "i do some gardening around the house": a pastime said with "do"
_DOES = re.compile(r"^i (?:also )?do (?P<what>(?:some|a lot of|a little)\s+(?:gardening|yoga|pilates|swimming|hiking|"
                   r"walking|biking|cycling|running|weightlifting|woodworking|fishing|hunting)\b.*)$", re.I)
_LIVES = re.compile(r"^i (?:live|am living|'m living) (?P<what>alone|by myself|with (?:my|a) .+)$", re.I)
_MARRIED = re.compile(r"^i(?:'ve| have) been married (?P<what>for .+)$", re.I)
_CONDITIONAL = re.compile(r"\b(?:if|when|whether|can't|cannot|couldn't|not|never|anymore|used to|want to|would|"
                          r"will|should|trying to|able to|because of|since the|with this|with my)\b|n't\b", re.I)
_TRANSITIVE = frozenset({"ride", "play", "lift"})  # "i ride" alone says nothing: rides what?
_THIRD = {"run": "Runs", "jog": "Jogs", "swim": "Swims", "bike": "Bikes", "ride": "Rides", "hike": "Hikes",
          "walk": "Walks", "play": "Plays", "lift": "Lifts", "golf": "Golfs", "exercise": "Exercises",
          "work out": "Works out", "go to the gym": "Goes to the gym", "do yoga": "Does yoga", "work": "Works",
          "own": "Owns", "teach": "Teaches", "drive": "Drives", "manage": "Manages"}


def _possessive(text: str, possessive: str) -> str:
    return re.sub(r"\bmy\b", possessive, re.sub(r"\bmyself\b", "alone", text, flags=re.I), flags=re.I)


def _clauses(said: str) -> list[str]:
    """The clauses of a sentence, each without its lead-in ("um, i i work as …"); "and i've been married …"
    starts a clause of its own."""
    parts = re.split(r"\s*(?:[,;]|\bbut\b|\band (?=i\b|i've\b|i'm\b)|\bso\b|"
                     r"(?<=\w)(?<!\bwhen)(?<!\bif)(?<!\bthat)(?<!\bas)(?<!\bbecause)"
                     r" (?=i(?:'m)? (?:run|love|like|enjoy|work|do|play|am)\b))\s*", plain(said))
    # "i'm a big runner i love to run i run about …": unpunctuated, each "i" a clause; "when i run" is not one
    return [c for part in parts if (c := _STUTTER.sub("", _LEAD.sub("", part.strip())).strip())]


def _social(clause: str, asked_work: bool, possessive: str) -> str | None:
    """The clause as a social-history line ("Works as a cashier in a supermarket"), or None."""
    if len(clause.split()) > MAX_WORDS or _CONDITIONAL.search(clause):
        return None
    if match := _WORK.match(clause):
        return sentence(f"{_THIRD[match['verb'].lower()]} {match['what']}")
    if asked_work and (match := _IS_A.match(clause)):
        return sentence(f"Works as {match['what']}")
    if asked_work and (match := _DOES_WORK.match(clause)):  # "what kind of work do you do?" — "i do yard work"
        return sentence(f"Does {match['what']}")
    if _RETIRED.match(clause):
        return "Retired."
    if ((match := _ACTIVE.match(clause)) and (match["rest"].strip() or match["verb"].lower() not in _TRANSITIVE)
            and not re.match(r"\s*(?:it|that|this|they)\b", match["rest"], re.I)):  # "i run it ache": cut wrong
        return sentence(f"{_THIRD[match['verb'].lower()]}{_possessive(match['rest'], possessive)}")
    if match := _IS_ONE.match(clause):
        rest = re.sub(r"^\s*(?:too|also|as well)\W*$", "", match["rest"])
        keen = match["keen"] and match["what"].lower() not in ("student", "farmer", "veteran")
        return None if rest.strip() else sentence(f"{'Avid' if keen else 'Is a'} {match['what'].lower()}")
    if match := _ENJOYS.match(clause):
        what = match["what"].lower()
        what = _GERUND.get(what, re.sub(r"^ride\b", "riding", what))
        rest = re.sub(r"^\s*(?:too|also|as well)\W*$", "", match["rest"])
        return sentence(f"Enjoys {_possessive(what + rest, possessive)}")
    if match := _DOES.match(clause):
        return sentence(f"Does {_possessive(match['what'], possessive)}")
    if match := _LIVES.match(clause):
        return sentence(f"Lives {_possessive(match['what'], possessive)}")
    if match := _MARRIED.match(clause):
        return sentence(f"Married {match['what']}")
    return None


def find_social(segments: list[Segment], possessive: str) -> list[HistoryItem]:
    """Work, activity and household the patient states about themselves, each citing its turn (and the
    clinician's question about work, when the answer needs it)."""
    out: list[HistoryItem] = []
    previous: Segment | None = None
    for seg in segments:
        if seg.role == Role.patient:
            asked = previous is not None and previous.role == Role.clinician and bool(_ASKS_WORK.search(previous.text))
            for clause in (c for said in statements(seg.text) for c in _clauses(said)):
                text = (_social(clause, asked, possessive) or "").rstrip(".")  # the template ends it
                if text and text not in {h.text for h in out}:
                    ids = [previous.id, seg.id] if asked and previous else [seg.id]
                    out.append(HistoryItem(kind="social", text=text, evidence=ids, speaker=seg.role.value))
        previous = seg
    return out

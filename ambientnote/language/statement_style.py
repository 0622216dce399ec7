"""Does a drafted sentence read like a note? The style audit the composer and the eval share.

A clinician signs a note written in the clinical register: third person, no
dialogue, no questions, whole sentences or the telegraphic lines notes use
("BP 152/96.", "Denies chest pain.", "Increase Lasix to 80 mg daily.",
"Hypertension."). A draft that quotes the conversation scores well on ROUGE and
still cannot be signed, so ``ambientnote eval`` counts these faults per note and
the composer refuses a sentence that has any. The rules are calibrated on the
ACI-Bench reference notes (train and validation): signed notes must pass them.

These are the checks of one sentence, which the visit record also applies to what it keeps (``facts``); the
checks of a whole note (mixed pronouns, repeated sentences, empty sections) are ``ambientnote.notes.style``.
"""

from __future__ import annotations

import re

from ambientnote.language.phases import sentences

STATEMENT_FAULTS = ("first_person", "second_person", "greeting_or_filler", "question", "loop", "fragment")

_QUOTED = re.compile(r'"[^"]*"|“[^”]*”')
_TOKEN = re.compile(r"[A-Za-z]+(?:'[A-Za-z]+)?|\d+(?:[.,/]\d+)*")

# --- person -------------------------------------------------------------------------------------
# A note may speak in the clinician's voice about what the clinician did: ACI-Bench's signed notes say
# "I advised the patient to…", "The patient and I discussed…", "We will order an echocardiogram.",
# "I am going to set him up for a cervical MRI.", "She will follow up with me in 2 weeks.". So "I"/"we" is a
# fault unless a clinical-act verb follows it (adverbs, modals, "have", "am going to" may stand between), and
# "me/my/us/our" are faults unless that clinician voice is the sentence's subject or they name the clinician
# as a party ("with me", "contact my office"). The patient's own voice ("my readings at home", "I feel
# tired") never passes, and neither does a contraction ("I'm going to…", "we'll"): notes do not contract.
_FIRST_SUBJECTS = frozenset({"i", "we"})
_FIRST_OTHERS = frozenset({"me", "my", "mine", "myself", "us", "our", "ours", "ourselves"})
_CONTRACTED = frozenset({"i'm", "i've", "i'd", "i'll", "we're", "we've", "we'd", "we'll"})
_SECOND = frozenset({"you", "your", "yours", "yourself", "yourselves", "you're", "you've", "you'll", "you'd", "y'all"})
_PLAN_VERBS = frozenset((
    "will advise advised recommend recommended order ordered discuss discussed explain explained review reviewed "
    "counsel counseled counselled encourage encouraged prescribe prescribed refer referred instruct instructed "
    "educate educated inform informed reassure reassured examine examined obtain obtained perform performed "
    "provide provided inject injected place placed suspect suspected believe consider considered suggest "
    "suggested attempt attempted switch switched change changed start started stop stopped increase increased "
    "decrease decreased continue continued repeat repeated recheck rechecked send sent schedule scheduled set "
    "treat treated see saw palpate palpated appreciate appreciated hear heard note noted print printed denied "
    "agree agreed refill refilled spent concerned asked stressed went recognize recommending ordering prescribing "
    "referring starting sending scheduling"
).split())
_BETWEEN = frozenset("also then further again have has had both personally strongly additionally independently "
                     "previously recently thoroughly briefly extensively last can may might should would am are "
                     "going to do did not want like need".split())
_CLINICIAN_PARTY = re.compile(r"\b(with|contact|call|to|see|by) (me|us)\b|\b(my|our) (office|clinic|practice|team|"
                              r"nurse|staff|colleague)\b", re.IGNORECASE)
_ROMAN_BEFORE = frozenset({"type", "grade", "stage", "class", "phase", "level"})  # "type I diabetes"


def _first_person_token(tokens: list[str], n: int) -> bool:
    word = tokens[n]
    if word in ("I", "i"):
        return not (n and tokens[n - 1].lower() in _ROMAN_BEFORE)
    return word.lower() in _FIRST_SUBJECTS | _FIRST_OTHERS | _CONTRACTED and word != "US"  # US: ultrasound


def _licensed(tokens: list[str], n: int) -> bool:
    """Is the subject at ``n`` the clinician reporting a clinical act ("I have also ordered…")?"""
    for word in tokens[n + 1:]:
        if word.lower() in _PLAN_VERBS:
            return True
        if word.lower() not in _BETWEEN:
            return False
    return False


def _first_person(sentence: str) -> bool:
    tokens = _TOKEN.findall(sentence)
    hits = [n for n in range(len(tokens)) if _first_person_token(tokens, n)]
    if any(tokens[n].lower() in _CONTRACTED for n in hits):
        return True
    subjects = [n for n in hits if tokens[n].lower() in _FIRST_SUBJECTS]
    if not all(_licensed(tokens, n) for n in subjects):
        return True
    others = len(hits) - len(subjects)
    return bool(others and not subjects and len(_CLINICIAN_PARTY.findall(sentence)) < others)


def _second_person(sentence: str) -> bool:
    return any(t.lower() in _SECOND for t in _TOKEN.findall(sentence))


# --- dialogue -----------------------------------------------------------------------------------
_FILLER = re.compile(
    r"\b(hi|hello|hey|okay|ok|um+|uh+|uhm|hmm+|mm-?hmm|mhm|uh-huh|yeah|yep|yup|thank you|thanks|"
    r"good (morning|afternoon|evening)|nice to (meet|see)|how are you|bye|goodbye|let's|let us|alright|all right|"
    r"dragon|finalize the note|end of (the )?dictation)\b|^(so|well|now|oh|anyway),",
    re.IGNORECASE,
)
_AUX = "is|are|was|were|do|does|did|have|has|had|can|could|would|will|should|shall|may"
_QUESTION_START = re.compile(
    rf"^(?:(?:how|what|when|where|why|which|who)\s+(?:{_AUX}|about|much|many|long|often)\b"
    rf"|(?:{_AUX})\s+(?:you|he|she|they|we|i|it|there|the patient|your|his|her|their)\b)",
    re.IGNORECASE,
)


def _question(sentence: str) -> bool:
    """Ends with "?", or opens as one ("Do you…", "How long…", "Any fevers" without a verb)."""
    if sentence.rstrip(" \"')”").endswith("?") or _QUESTION_START.match(sentence):
        return True
    words = _words(sentence)
    return words[:1] == ["any"] and not _has_verb(words)


LOOP_SPAN = 8  # the third saying starts at most this many words after the first: "over 95 over 95 over 150"


def repeated_phrases(text: str, times: int = 3) -> list[str]:
    """Three-word phrases said ``times`` or more in quick succession: a model caught in a loop, not a sentence.

    Only close repeats count: a long run-on turn that says "and the patient" three times in sixty words is
    faithful to a rambling speaker (the guard's perturbation set has 26 such statements), not a loop.
    """
    words = [w.lower() for w in _TOKEN.findall(text)]
    starts: dict[str, list[int]] = {}
    for n in range(len(words) - 2):
        starts.setdefault(" ".join(words[n:n + 3]), []).append(n)
    return sorted(phrase for phrase, at in starts.items()
                  if any(at[i + times - 1] - at[i] <= LOOP_SPAN for i in range(len(at) - times + 1)))


# --- fragments ----------------------------------------------------------------------------------
# Notes are telegraphic ("BP 152/96.", "Denies chest pain.", "Rales bilateral bases.", "Increase Lasix to
# 80 mg daily.", "Mother: melanoma."): a line without a verb, an imperative plan item, a labelled finding and
# a list heading are the register, not fragments. What is a fragment:
# - a sentence that starts in lower case (after a "Label:" a lower-case finding is fine), or with "and/but/so";
# - a bare subordinate or prepositional phrase ("Because it hurts.", "With the lisinopril.");
# - a verbless lead glued to a clause about the patient ("10 milligrams every morning, but sometimes the
#   patient forget it on weekends."): "No thyromegaly, but there is some lymphadenopathy." is a finding and a
#   clause, and passes;
# - a clause about the patient with no verb ("The patient over 95 over 95 over 150.", "She not sure."): the
#   patient as subject, then a word that cannot be a verb; or more than LONG_VERBLESS words with the patient
#   in them and no verb at all. Findings name no patient and pass ("Mild tenderness to palpation over the
#   lateral aspect of the right knee.", "Non-healing ulcer on his right foot.").
# Verbs are found from a word list, endings (-ed, -n't; not -ing: "morning", "swelling") and position (the word
# after the subject or after an adverb is one: "He attributes…", "The patient currently utilizes…").
_VERB_BASES = (
    "report deny state note present complain take feel endorse describe continue use need want live work smoke "
    "drink walk see say go get remain appear admit experience tolerate follow plan require show reveal "
    "demonstrate monitor check start stop increase decrease discontinue order obtain refer return schedule "
    "repeat recommend advise consider avoid apply resume hold titrate taper encourage counsel educate keep call "
    "elevate rest perform begin add switch reduce limit maintain forget eat sleep try notice know think hurt "
    "include exercise run play come make give lose gain wake radiate worsen improve help suggest measure weigh "
    "wear sit stand bend lift occur last drive travel visit indicate confirm rule discuss explain review "
    "instruct inform reassure examine prescribe ice lie look seem become develop cause wish like prefer agree "
    "decline understand ask tell let put set cut quit fall bring buy pay leave read write track record test "
    "treat manage control contact happen change seek undergo receive attend rate"
).split()
_IRREGULAR = (
    "is are was were be been being am has have had do does did can could will would shall should may might must "
    "took taken felt saw seen said went gone got gotten began begun came made gave given lost woke fell brought "
    "left told kept held ran ate slept thought knew wore sat stood lay lain became drove wrote bought paid"
).split()
_VERBS = frozenset([*_IRREGULAR, *_VERB_BASES, *(b + "s" for b in _VERB_BASES), *(b + "es" for b in _VERB_BASES),
                    *(b[:-1] + "ies" for b in _VERB_BASES if b.endswith("y"))])
_NOT_PAST = frozenset({"bed", "red", "shed", "seed", "need", "speed", "bleed"})
# Words that cannot be the verb of a clause: after "The patient" they show the verb is missing.
_CLOSED = frozenset(
    "over under of at in on to for with from about by into than as the a an and or but not no very also only "
    "still just this that these those his her their its my your our some any all both each every more most "
    "less least much many few".split()
)
_SUBJECTS = frozenset({"he", "she", "they", "patient"})
_COORDINATING = frozenset({"and", "but", "or", "nor", "yet", "so"})
_SUBORDINATE = frozenset({"because", "although", "though", "unless", "whereas", "which", "of", "with", "about",
                          "from", "like", "than", "cause"})
_CLAUSE_JOIN = re.compile(r",\s*(?:but|and|so|yet|or|although|though|because|while|whereas)\s+", re.IGNORECASE)
_ADVERBS = frozenset("sometimes occasionally often also then now still usually otherwise never always only "
                     "currently recently really".split())
_LABEL = re.compile(r"^\s*(?:[•\-*]\s*|\d+[.)]\s+)?(?:[A-Z][\w /&,()'-]{0,50}:\s*)?")
# sentences() splits after every period; these do not end a sentence
_ABBREVIATION = re.compile(r"\b(Dr|Mr|Mrs|Ms|St|vs|approx|y\.o|e\.g|i\.e)\.\s+", re.IGNORECASE)
LONG_VERBLESS = 6


def _words(text: str) -> list[str]:
    return [w.lower() for w in _TOKEN.findall(text)]


def _is_verb(words: list[str], n: int) -> bool:
    word, before = words[n], words[n - 1] if n else ""
    if word in _VERBS or "n't" in word:
        return True
    if word.endswith("ed") and len(word) > 3 and word not in _NOT_PAST:
        return True
    after_subject = before in _SUBJECTS or before in _ADVERBS or before.endswith("ly")
    return after_subject and word.isalpha() and word not in _CLOSED


def _has_verb(words: list[str]) -> bool:
    return any(_is_verb(words, n) for n in range(len(words)))


def _subject_without_verb(words: list[str]) -> bool:
    """"The patient over 95…", "She not sure.": the patient opens the clause and no verb follows."""
    start = 1 if words[0] == "the" else 0
    if len(words) <= start or words[start] not in _SUBJECTS:
        return False
    rest = [w for w in words[start + 1:] if w not in _ADVERBS and not w.endswith("ly")]
    if rest[:2] in (["and", "i"], ["and", "we"]):  # "The patient and I discussed…"
        rest = rest[2:]
    if rest[:1] == ["to"]:  # "Patient to return in 2 weeks.": a plan item
        return False
    return not rest or rest[0] in _CLOSED or not rest[0].isalpha()


def _glued_to_clause(sentence: str) -> bool:
    """A verbless lead joined by ", but/and…" to a clause whose subject is the patient."""
    parts = _CLAUSE_JOIN.split(sentence, maxsplit=1)
    if len(parts) < 2:
        return False
    rest = [w for w in _words(parts[1]) if w not in _ADVERBS]
    rest = rest[1:] if rest[:1] == ["the"] else rest
    return bool(rest) and rest[0] in _SUBJECTS and not _has_verb(_words(parts[0]))


def _fragment(sentence: str) -> bool:
    body = _LABEL.sub("", sentence, count=1).strip()
    words = _words(body)
    if not words:
        return False
    first = _TOKEN.findall(body)[0]
    labelled = len(body) < len(sentence.strip())
    if first[0].islower() and not labelled and not any(c.isupper() for c in first):  # "pH", "eGFR" are so
        return True
    if words[0] in _COORDINATING or (words[0] in _SUBORDINATE and "," not in body
                                     and not re.match(r"about\s+\d", body, re.I)):  # "ALT: About 128." is a value
        return True
    if _glued_to_clause(body) or _subject_without_verb(words):
        return True
    return len(words) > LONG_VERBLESS and not _has_verb(words) and bool(_SUBJECTS & set(words))


# --- statements and notes -----------------------------------------------------------------------
_CHECKS = {
    "first_person": _first_person,
    "second_person": _second_person,
    "greeting_or_filler": lambda s: bool(_FILLER.search(s)),
    "question": _question,
    "fragment": _fragment,
}


def _sentences(text: str) -> list[str]:
    """Sentences with quoted words blanked and abbreviations ("Dr.", "y.o.") not taken for sentence ends."""
    plain = _ABBREVIATION.sub(r"\1 ", _QUOTED.sub("quote", text))
    return [s.strip() for s in sentences(plain) if s.strip()]


def statement_faults(text: str) -> list[str]:
    """Fault codes (in ``STATEMENT_FAULTS`` order) of one drafted statement; empty when it reads like a note.

    Quoted words are the patient's own and exempt ("States "I feel fine."" is not first person).
    """
    parts = _sentences(text)
    found = {code for code, check in _CHECKS.items() if any(check(s) for s in parts)}
    if repeated_phrases(" ".join(parts)):
        found.add("loop")
    return [code for code in STATEMENT_FAULTS if code in found]

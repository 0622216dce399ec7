"""How a term was said: present, denied, possible, historical, about family, hypothetical or asked unanswered.

    assert_term("there's no pneumonia", "pneumonia")                  → Assertion.denied
    assert_term("my mother had a hip replacement", "hip replacement")  → Assertion.family
    assert_term("no", "fever", previous="any fever?")                  → Assertion.denied
    assert_terms("no fever but some chills", ["fever", "chills"])      → {"fever": denied, "chills": present}

Backends, measured side by side by ``python -m ambientnote.evaluation.assertion_eval``:

- ``"context"``: medspaCy's ConText (Harkema et al. 2009; medspaCy, Eyre et al. 2021) with its default
  English rules, adapted to conversation: relatives, "runs in the family", "rule out"/"make sure it's not",
  "could be", "in case", "side effects", "years ago", "used to", past procedures, and plan verbs that
  ConText's note-oriented rules read as negation ("test for", "evaluate for"). Around it, what a
  conversation needs and a note does not: a yes/no question is ``unanswered`` until answered, and a short
  answer ("no", "nope", "not that i know of", "yes", "my dad did") takes its term from the question before it.
  Each term is a target span made on the fly for the occurrences of that term in the sentence (a span group,
  so "pain" and "chest pain" can both be asked of one sentence).
- ``"context-default"``: ConText with medspaCy's default rules only and the guard's bare "no" for answers,
  to show what the conversation rules add.
- ``"rules"``: the guard's negation rules (``ambientnote.language.negation``: a negation word and the three words
  after it, a bare "no" negating its question). It knows present and denied only.

Measured (``docs/eval/assertion-valid.json``, 2 CPU cores). Labelled: 360 sentences from ACI-Bench and
MTS-Dialog *train* dialogues, labelled by hand (``tests/facts/data/assertion_cases.jsonl``); accuracy is
per class (recall). "check": the half of the encounters not looked at while writing the conversation rules.
Perturbations: the guard's set on ACI-Bench validation, 942 faithful statements and 906 with a flipped
negation, the guard's negation check rerun with each backend deciding what is denied.

    backend          present denied family histor. possib. hypoth. unansw. macro-F1 (check) flipped false s/1k
    context             0.92   1.00   0.96   0.87    0.97    0.92    0.91   0.939  (0.900)  0.798  0.017  0.7
    context-default     0.83   0.95   0.46   0.17    0.51    0.52    0.00   0.478  (0.496)  0.807  0.017  0.5
    rules               0.97   0.88   0      0       0       0       0      0.161  (0.160)  0.752  0.010  0.0

("flipped": share of negation-flipped statements flagged; "false": share of faithful ones flagged; "s/1k":
seconds per 1,000 sentences once loaded; loading spaCy and medspaCy takes about 2.5 s once per process.)
ConText with the conversation rules is the default: it is the only backend that tells family, hypothetical,
possible and historical apart at all (the reported defects: "there's no pneumonia", the mother's hip
replacement), it finds every denial of the labelled set where the rules miss one in eight, and on the
guard's perturbations it flags more flipped negations (0.80 against 0.75) for a few more false flags
(16 against 9 of 942). The guard itself still runs the rules; ``rules`` stays here to be measured against.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Literal

from ambientnote.errors import ModelNotInstalled
from ambientnote.facts.schema import Assertion
from ambientnote.language.negation import _BARE_NO, _words, negated_words

if TYPE_CHECKING:  # loaded lazily at run time: spaCy and medspaCy take seconds to import
    from medspacy.context import ConText, ConTextRule
    from spacy.language import Language

Backend = Literal["context", "rules", "context-default"]
BACKENDS: tuple[Backend, ...] = ("context", "rules", "context-default")
DEFAULT_BACKEND: Backend = "context"

# ---------------------------------------------------------------------------------------------- finding terms


def _term_pattern(term: str) -> re.Pattern[str]:
    """A term as said: words apart by spaces or hyphens, a plural allowed ("kidney stone" finds "kidney stones")."""
    words = [re.escape(w) for w in re.findall(r"[a-z0-9']+", term.lower())]
    return re.compile(r"(?<![a-z0-9])" + r"[\s\-]+".join(words) + r"(?:s|es)?(?![a-z0-9])")


@lru_cache(maxsize=4096)
def _compiled(term: str) -> re.Pattern[str]:
    return _term_pattern(term)


def _occurrences(text: str, term: str) -> list[tuple[int, int]]:
    if not re.search(r"[a-z0-9]", term.lower()):
        return []
    return [m.span() for m in _compiled(term).finditer(text.lower())]


# ----------------------------------------------------------------------------------- the guard's rules ("rules")


def _rules_terms(sentence: str, terms: Sequence[str], previous: str | None) -> dict[str, Assertion]:
    """Exactly the guard's negation test, term by term: a term is denied when one of its words is negated."""
    negated = negated_words(sentence)
    answered_no = bool(previous) and bool(_BARE_NO.match(sentence))
    asked = _words(previous) if answered_no and previous else set()
    out = {}
    for term in terms:
        words = _words(term)
        denied = bool(words & (negated | asked))
        out[term] = Assertion.denied if denied else Assertion.present
    return out


# ------------------------------------------------------------------------------------------- the conversation

_FILLER = r"(?:(?:okay|ok|so|and|alright|all right|now|um|uh|well|yeah|great|oh|good|right|tell me|then)\W+)*"
_WH = re.compile(rf"(?:^|,)\W*{_FILLER}(how|what|when|where|why|which|who|whose)\b(?!\s+about\b)")
_TAG_QUESTION = re.compile(r"[\s,]*\b(okay|ok|alright|all right|got it|you know|does that sound good|sound good)"
                           r"\s*\?\s*$")
_INVERTED = re.compile(r"\b(?:have|has|do|does|did|are|were|is|was)\s+(?:you|he|she|they|anyone|anybody|there|y'all)\b")
_OPENS_ASKING = re.compile(r"^\W*" + _FILLER + r"(?:any|anything|anybody|anyone|how about|what about)\b")
_NO_ANSWER = re.compile(
    r"^\W*(?:(?:uh|um|oh|well|so|and|actually|fortunately|unfortunately|honestly|doctor)\W+)*"
    r"(?:no\b|nope|nah|none|never|nothing|no one|nobody|neither|negative|not\b"
    r"|i (?:have|had|do|did|am|was|'ve|'m|ca)\s*(?:not|n't|never)\b|i (?:haven't|don't|didn't|hadn't)\b)"
)
_YES_ANSWER = re.compile(
    r"^\W*(?:(?:uh|um|oh|well|so|and|actually)\W+)*"
    r"(?:yes|yeah|yep|yup|ya|uh-huh|mm-hmm|mhm|correct|right|sure|definitely|absolutely|okay|ok|alright"
    r"|i do|i have|i did|i am|i was|i've|sometimes|occasionally|a little|a bit|it is|they do|he did|she did)\b"
)
_UNSURE_ANSWER = re.compile(r"\b(?:not sure|i (?:don't|do n't) know|maybe|possibly|i think so|not certain|i guess)\b")
# a leading answer word ("no , the weight loss has helped") answers the question, it does not negate the rest
_ANSWER_WORD = re.compile(r"^\W*(?:no|nope|yes|yeah|yep|okay|ok)\s*,\s*(?=\S)", re.I)


def _asks(sentence: str, start: int) -> bool:
    """Whether the sentence asks about the term at ``start`` (a yes/no question) rather than saying it.

    "any chest pain?" and "have you had any fever" ask; "how's your back pain?", "when did the pain
    start?" and "we know you have some arthritis there, okay?" take the term as given, so they say it.
    """
    text = sentence.strip().lower()
    before = text[:start]
    if text.endswith("?"):
        body = _TAG_QUESTION.sub("", text)
        if body.endswith("?"):
            return not _WH.search(body)
        # "…, okay?" is a statement with a tag; fall through to the word order
    if _OPENS_ASKING.search(before):
        return True
    window = " ".join(before.split()[-10:])
    return any(not re.search(r"\b(how|what|when|where|why|which|who)\W*$", window[: m.start()])
               for m in _INVERTED.finditer(window))


def _answer(sentence: str) -> Literal["no", "yes", "unsure"] | None:
    text = sentence.strip().lower()
    if _UNSURE_ANSWER.search(text) and not text.startswith(("no", "not that")):
        return "unsure"
    if _NO_ANSWER.match(text):
        return "no"
    if _YES_ANSWER.match(text):
        return "yes"
    return None


# ----------------------------------------------------------------------------------------- ConText ("context")

_PROCEDURE = re.compile(r"(ectomy|otomy|ostomy|plasty|pexy|surgery|surgeries|replacement|repair|bypass|section|"
                        r"transplant|stent|removed|removal|biopsy|graft|fusion|scope|discectomy|arthroscopy)s?$")
_MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
           "november", "december"]
_RELATIVES = ["aunt", "aunts", "brother", "brothers", "child", "children", "cousin", "cousins", "dad", "daughter",
              "daughters", "father", "grandfather", "grandmother", "grandma", "grandpa", "granddad", "grandparents",
              "grandparent", "grandson", "granddaughter", "kids", "mom", "mother", "mum", "nephew", "niece", "parents",
              "parent", "relatives", "relative", "sibling", "siblings", "sister", "sisters", "son", "sons", "uncle",
              "uncles", "stepfather", "stepmother", "twin"]
_OTHER_PEOPLE = ["husband", "wife", "partner", "spouse", "boyfriend", "girlfriend", "roommate", "roommates", "coworker",
                 "coworkers", "friend", "friends", "everyone", "everybody", "people", "household", "classmates"]


_OTHERS = re.compile(r"\b(?:" + "|".join(_RELATIVES + _OTHER_PEOPLE) + r")\b", re.I)


def names_others(text: str) -> bool:
    """Whether ``text`` speaks of other people ("i have little kids that go to school"), so that a "they" said next
    may be them, not the patient."""
    return bool(_OTHERS.search(text))


# ConText's note rules that read a conversation's plan as negation ("we'll test for strep")
_DROPPED_DEFAULTS = {"checked for", "evaluate for", "test for", "any other", "as well as any", "return",
                     "decline", "resolved", "prophylaxis", "free"}


def _conversation_rules() -> list[ConTextRule]:
    from medspacy.context import ConTextRule  # heavy: medspacy loads only when assertions are classified

    def rule(literal: str, category: str, direction: str, pattern: Sequence[Mapping[str, object]] | None = None,
             **kw: object) -> ConTextRule:
        return ConTextRule(literal, category, pattern=pattern, direction=direction, **kw)

    low = lambda *words: {"LOWER": {"IN": list(words)}}  # noqa: E731
    opt = lambda *words: {"LOWER": {"IN": list(words)}, "OP": "?"}  # noqa: E731
    nt = low("not", "n't", "nt")
    return [
        # family: relatives, and "it runs in the family"
        rule("relative", "FAMILY", "FORWARD", [low(*_RELATIVES), opt("'s", "'")]),
        rule("maternal", "FAMILY", "FORWARD", [low("maternal", "paternal"), {"IS_ALPHA": True}]),
        rule("runs in the family", "FAMILY", "BACKWARD",
             [low("run", "runs", "running", "ran"), low("in"), opt("the", "my", "your", "our", "his", "her", "their"),
              low("family", "families")]),
        rule("in the family", "FAMILY", "BIDIRECTIONAL",
             [low("in", "on"), low("the", "my", "your", "our", "his", "her", "their"), low("family", "side")],
             max_scope=8),
        rule("anyone", "FAMILY", "FORWARD", [low("anyone", "anybody", "someone", "somebody")], max_scope=8),
        # a spouse or the patient's child's parent is not family history; these win over "wife" as family
        rule("my wife", "PSEUDO", "PSEUDO", [low("my", "your", "his", "her"), low("wife", "husband", "partner",
                                                                                    "spouse", "boyfriend",
                                                                                    "girlfriend")]),
        # negation, as said
        rule("never", "NEGATED_EXISTENCE", "FORWARD", [low("never")]),
        # "a little bit of numbing, but nothing tingling or hurting down my legs"
        rule("nothing", "NEGATED_EXISTENCE", "FORWARD", [low("nothing")], max_scope=4),
        rule("came back negative", "NEGATED_EXISTENCE", "BACKWARD", [low("came", "come", "comes"), low("back"),
                                                                       low("negative")]),
        rule("i do n't see any", "NEGATED_EXISTENCE", "FORWARD", [nt, low("see", "appreciate", "notice", "feel"),
                                                                  opt("any")]),
        rule("none", "NEGATED_EXISTENCE", "BACKWARD", [low("none")], max_scope=3),
        # "not as much shortness of breath" is less of it, still there
        rule("not as much", "PSEUDO", "PSEUDO", [nt, opt("have", "get", "feel"), opt("quite"), low("as"),
                                                 low("much", "many", "bad", "often")]),
        rule("no longer", "PSEUDO", "PSEUDO", [low("no", "not"), low("longer", "only", "worse", "better")]),
        # "i just ca n't catch my breath" is shortness of breath, said
        rule("ca n't catch", "PSEUDO", "PSEUDO", [nt, low("catch")]),
        # possible: plans that look for something, hedges
        rule("rule out", "POSSIBLE_EXISTENCE", "FORWARD", [low("rule", "ruling", "rules"), opt("that", "this", "it"),
                                                           low("out")]),
        rule("make sure it is not", "POSSIBLE_EXISTENCE", "FORWARD",
             [low("make", "making"), low("sure"), opt("that"), opt("you", "it", "we", "there", "this", "that", "it's",
                                                                     "there's"),
              opt("do", "does", "is", "are", "'s", "have", "has"), nt, opt("have", "any", "a")]),
        rule("test for", "POSSIBLE_EXISTENCE", "FORWARD",
             [low("test", "testing", "check", "checking", "evaluate", "evaluating", "screen", "screening", "look",
                  "looking", "assess"), low("for")]),
        rule("to see if", "POSSIBLE_EXISTENCE", "FORWARD", [low("see", "check", "find"), low("if", "whether")]),
        rule("could be", "POSSIBLE_EXISTENCE", "FORWARD", [low("could", "may", "might", "can"),
                                                           low("be", "have", "represent", "indicate")]),
        rule("suspect", "POSSIBLE_EXISTENCE", "FORWARD", [low("suspect", "suspected", "suspicion", "suspicious",
                                                              "questionable", "presumed", "presumably")]),
        rule("concerned", "POSSIBLE_EXISTENCE", "FORWARD",
             [low("concerned", "concern", "worried", "worry", "afraid", "scared", "fear"),
              low("about", "for", "that", "of", "it", "it's", "i")]),
        rule("i think it might", "POSSIBLE_EXISTENCE", "FORWARD", [low("think", "thinking"), opt("that"),
                                                                   low("it", "it's", "this", "you", "i"),
                                                                   low("might", "may", "could")]),
        rule("maybe", "POSSIBLE_EXISTENCE", "FORWARD", [low("maybe", "perhaps", "possibly")], max_scope=6),
        # "i wish i had some weight loss": wished for, not had
        # ("no i wish unfortunately i've gained some weight" has it)
        rule("i wish", "HYPOTHETICAL", "FORWARD", [low("wish", "wished"), opt("that"), low("i", "it", "he", "she"),
                                                   low("had", "could", "was", "were", "would", "did")], max_scope=6),
        rule("probably for", "PSEUDO", "PSEUDO", [low("probably", "likely"), low("for", "about", "around")]),
        # hypothetical: conditions, risks, precautions
        rule("in case", "HYPOTHETICAL", "FORWARD", [low("in"), low("case")]),
        rule("side effects", "HYPOTHETICAL", "FORWARD", [opt("common", "possible"), low("side"),
                                                         low("effect", "effects")]),
        rule("can cause", "HYPOTHETICAL", "FORWARD", [low("can", "could", "may", "might", "will", "would"),
                                                      low("cause", "causes", "lead", "give", "irritate"),
                                                      opt("to", "you")]),
        rule("risk", "HYPOTHETICAL", "FORWARD", [low("risk", "risks"), opt("of", "for", "include", "are", "is")]),
        rule("watch for", "HYPOTHETICAL", "FORWARD", [low("watch", "look"), opt("out"), low("for")]),
        rule("if it bothers", "HYPOTHETICAL", "FORWARD", [low("whenever", "unless", "should")], max_scope=8),
        # "when it gets really itchy, i'll use that": what a flare brings, not a symptom today
        rule("when it gets", "HYPOTHETICAL", "FORWARD", [low("when", "if"), low("it", "they", "that"),
                                                         low("gets", "get", "becomes", "flares")], max_scope=4),
        rule("do n't know if", "PSEUDO", "PSEUDO", [nt, low("know", "sure"), low("if", "whether")]),
        rule("see if", "PSEUDO", "PSEUDO", [low("wondering", "wonder"), low("if", "whether")]),
        # historical: long ago, before, procedures had
        rule("years ago", "HISTORICAL", "BACKWARD",
             [opt("many", "several", "a", "few", "couple", "some", "two", "three", "four", "five", "ten"),
              opt("few", "couple", "of"), low("years", "year", "decades", "while", "time", "sometime"),
              low("ago", "back")]),
        rule("long time ago", "HISTORICAL", "BACKWARD", [low("long"), low("time"), low("ago")]),
        rule("in the past", "HISTORICAL", "BACKWARD", [low("in"), low("the"), low("past")], max_scope=12),
        rule("over the years", "HISTORICAL", "BACKWARD", [low("over"), low("the"), low("years")]),
        rule("when i was", "HISTORICAL", "BIDIRECTIONAL", [low("when"), low("i", "she", "he", "you", "they"),
                                                           low("was", "were"), opt("a", "young", "little")],
             max_scope=8),
        rule("back in", "HISTORICAL", "BACKWARD", [low("back"), low("in"), {"LIKE_NUM": True}], max_scope=10),
        rule("back in o five", "HISTORICAL", "BACKWARD",
             [low("back"), low("in"), low("o", "oh", "nineteen", "twenty", "college", "high", *_MONTHS)],
             max_scope=10),
        rule("used to", "HISTORICAL", "FORWARD", [low("used"), low("to")], max_scope=6),
        rule("prior", "HISTORICAL", "FORWARD", [low("prior", "previous", "previously", "old", "remote")],
             max_scope=4),
        rule("status post", "HISTORICAL", "FORWARD", [low("status"), low("post")]),
        # the visit's own reason ends a history list: "history of diabetes, here today for back pain"
        rule("here for", "HISTORICAL", "TERMINATE", [low("here", "coming", "came", "presents", "presenting", "in"),
                                                     low("for", "in", "today", "with")]),
        rule("while", "HISTORICAL", "TERMINATE", [low("while", "whereas", "except"), {"LOWER": {"REGEX": "ing$"}}]),
        # spoken clause boundaries in unpunctuated speech (a filler, a restart: "i i have had") end a negation
        rule("you know", "CLAUSE_END", "PSEUDO", [low("you"), low("know")]),
        rule("i i", "CLAUSE_END", "PSEUDO", [low("i", "i've", "i'm"), low("i", "i've", "i'm")]),
        # "no fever some chills", "no fever … i do feel a little nauseous": what is had comes after the denial
        rule("some", "CLAUSE_END", "PSEUDO", [low("some")]),
        rule("i do feel", "CLAUSE_END", "PSEUDO", [low("i"), low("do", "feel", "get", "am"),
                                                  opt("feel", "get", "have")]),
        rule("s/p", "HISTORICAL", "FORWARD", [low("s/p")]),
        rule("had surgery", "HISTORICAL", "FORWARD", [low("had")], allowed_types={"PROCEDURE"}, max_scope=6),
        rule("removed", "HISTORICAL", "BACKWARD", [low("removed", "repaired", "replaced", "excised", "resected")],
             max_scope=4),
    ]


@lru_cache(maxsize=2)
def _context(adapted: bool) -> tuple[Language, ConText]:
    """A blank English pipeline with a sentencizer (no downloaded model) and a ConText component."""
    try:
        import spacy  # heavy: spaCy loads only when assertions are classified
        from medspacy.context import ConText, ConTextRule  # heavy: medspacy loads only when assertions are classified
    except ImportError as exc:
        raise ModelNotInstalled("medspaCy, which tells what was denied or said of family, is not installed: "
                                "run packaging/dev-setup again.") from exc

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    # scope is the sentence, as ConText's default: a fixed window (6-15 tokens) measured worse on the tune half
    context = ConText(nlp, rules=None, input_span_type="group", span_group_name="ambientnote_targets")
    defaults = ConTextRule.from_json(context.DEFAULT_RULES_FILEPATH)
    if adapted:
        rules = [r for r in defaults if r.literal not in _DROPPED_DEFAULTS] + _conversation_rules()
        for r in rules:
            if r.category == "NEGATED_EXISTENCE":
                r.terminated_by = set(r.terminated_by) | {"CLAUSE_END"}
        context.add(rules)
    else:
        context.add(defaults)
    return nlp, context


_MAX_SCOPE = 15
_CATEGORY = {"FAMILY": Assertion.family, "NEGATED_EXISTENCE": Assertion.denied,
             "HYPOTHETICAL": Assertion.hypothetical, "POSSIBLE_EXISTENCE": Assertion.possible,
             "HISTORICAL": Assertion.historical}
# one status when ConText finds several: another person's fact is never the patient's; a denial beats a hedge
# ("no history of seizures" is denied, "no family history of colon cancer" is family)
_PRIORITY = [Assertion.family, Assertion.denied, Assertion.hypothetical, Assertion.possible, Assertion.historical]


def _status(categories: Iterable[str]) -> Assertion:
    found = {_CATEGORY[c] for c in categories if c in _CATEGORY}
    return next((a for a in _PRIORITY if a in found), Assertion.present)


def _context_categories(nlp: Language, context: ConText, text: str,
                        terms: Sequence[str]) -> dict[str, list[tuple[set[str], int, str]]]:
    """For each term, each occurrence: (ConText categories, start offset in its sentence, the sentence)."""
    doc = nlp(text)
    spans, owners = [], []
    for term in terms:
        label = "PROCEDURE" if _PROCEDURE.search(term.lower()) else "PROBLEM"
        for start, end in _occurrences(text, term):
            span = doc.char_span(start, end, label=label, alignment_mode="expand")
            if span is not None:
                spans.append(span)
                owners.append(term)
    doc.spans["ambientnote_targets"] = spans
    context(doc)
    found: dict[str, list[tuple[set[str], int, str]]] = {t: [] for t in terms}
    # one owner per span put in the group, and ConText adds no spans to it
    for span, term in zip(doc.spans["ambientnote_targets"], owners, strict=True):
        sent = span.sent
        categories = {m.category for m in span._.modifiers}
        found[term].append((categories, span.start_char - sent.start_char, sent.text))
    return found


def _context_terms(sentence: str, terms: Sequence[str], previous: str | None,
                   adapted: bool) -> dict[str, Assertion]:
    nlp, context = _context(adapted)
    text = _ANSWER_WORD.sub("", sentence) if adapted else sentence
    said = _context_categories(nlp, context, text, terms)
    out: dict[str, Assertion] = {}
    asked_terms = [t for t in terms if not said[t]]
    for term in terms:
        if not said[term]:
            continue
        statuses = []
        for categories, start, sent in said[term]:
            if adapted and _asks(sent, start):
                statuses.append(Assertion.unanswered)
            else:
                statuses.append(_status(categories))
        # a term said twice: what qualifies it anywhere wins over a plain mention
        out[term] = next((s for s in statuses if s is not Assertion.present), Assertion.present)
    if asked_terms:
        if previous:
            out.update(_answered(nlp, context, sentence, asked_terms, previous, adapted))
        else:
            out.update({t: Assertion.present for t in asked_terms})
    return out


def _answered(nlp: Language, context: ConText, answer: str, terms: Sequence[str], question: str,
              adapted: bool) -> dict[str, Assertion]:
    """Terms asked in ``question`` and answered by ``answer``, which does not repeat them."""
    if not adapted:  # ConText alone has no notion of a reply: the guard's bare "no"
        bare_no = bool(_BARE_NO.match(answer))
        return {t: Assertion.denied if bare_no and _occurrences(question, t) else Assertion.present for t in terms}
    asked = _context_categories(nlp, context, _ANSWER_WORD.sub("", question), terms)
    reply = _answer(answer)
    out = {}
    for term in terms:
        if not asked[term]:
            out[term] = Assertion.present
            continue
        status = _status(asked[term][0][0])
        if status is Assertion.family:
            out[term] = Assertion.family
        elif reply == "no":
            out[term] = Assertion.denied
        elif reply == "unsure":
            out[term] = Assertion.possible
        else:  # yes, or an answer that talks about it: what the question said of it ("any" is not a denial)
            out[term] = Assertion.present if status is Assertion.denied else status
    return out


# ------------------------------------------------------------------------------------------------- public API


def assert_terms(sentence: str, terms: Iterable[str], *, previous: str | None = None,
                 backend: Backend | None = None) -> dict[str, Assertion]:
    """The assertion status of each of ``terms`` in ``sentence`` (one pass over the sentence for all of them).

    ``previous`` is the turn before, when ``sentence`` answers it ("any fever?" → "no"): a term the
    sentence does not repeat takes its status from the question and the answer. A term found neither in
    the sentence nor in ``previous`` is ``present`` (nothing qualifies it). A term said more than once takes
    the first status other than present. A yes/no question that is not answered yet gives ``unanswered``.
    """
    terms = list(dict.fromkeys(t for t in terms if t and t.strip()))
    if not terms:
        return {}
    chosen = backend or DEFAULT_BACKEND
    if chosen == "rules":
        return _rules_terms(sentence, terms, previous)
    if chosen in ("context", "context-default"):
        return _context_terms(sentence, terms, previous, adapted=chosen == "context")
    raise ValueError(f"unknown assertion backend {chosen!r} (one of {', '.join(BACKENDS)})")


def assert_term(sentence: str, term: str, *, previous: str | None = None,
                backend: Backend | None = None) -> Assertion:
    """The assertion status of ``term`` in ``sentence`` ("no chest pain", "chest pain" → denied)."""
    return assert_terms(sentence, [term], previous=previous, backend=backend).get(term, Assertion.present)

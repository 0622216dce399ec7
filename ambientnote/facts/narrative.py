"""The patient's own account, as an HPI reports it: "i feel lightheaded every once in a while" →
"He feels lightheaded every once in a while."

A history is more than a list of symptoms: how it started, what the patient
tried, what makes it worse. Those facts are in the patient's sentences. Only a
sentence the patient says about themselves ("I …", "My …") with a clinical
anchor (a symptom, drug, problem, body part, number or time) is taken; it is
put in the third person, cleared of hedges and fillers, and kept only if the
style audit finds nothing in it (``language/statement_style.py``). Negated sentences and
sentences about other people are left to the symptom and family-history
extractors, which read assertions properly.
"""

from __future__ import annotations

import re
from itertools import pairwise

from ambientnote.facts.history import asks_family
from ambientnote.facts.lexicon import body_parts, find_named, find_symptoms, lexicon
from ambientnote.facts.plan import Person
from ambientnote.facts.schema import Reported
from ambientnote.facts.text import PAST_OF, plain, sentence, statements, third_person_verb, units
from ambientnote.language.statement_style import statement_faults
from ambientnote.transcript import Role, Segment

MAX_SENTENCES = 16
MAX_WORDS = 26  # longer is a run-on of unpunctuated speech


_ADVERBS = ("just", "also", "really", "actually", "usually", "always", "still", "sometimes", "even", "probably",
            "only", "mostly", "definitely", "recently", "finally", "first", "then", "initially", "now", "already",
            "normally", "generally", "occasionally", "often", "rarely", "typically", "never")
_CONTRACTIONS = [
    (r"\b(\w+)'s been\b", r"\1 has been"),
    (r"\bi'm\b", "i am"), (r"\bi've\b", "i have"), (r"\bi'd\b", "i would"), (r"\bi'll\b", "i will"),
    (r"\bit's\b", "it is"), (r"\bthat's\b", "that is"), (r"\bthere's\b", "there is"),
    (r"\bdidn't\b", "did not"), (r"\bdon't\b", "do not"), (r"\bcan't\b", "cannot"), (r"\bwasn't\b", "was not"),
    (r"\bhaven't\b", "have not"), (r"\bisn't\b", "is not"), (r"\bwon't\b", "will not"),
    (r"\bwan na\b", "want to"), (r"\bgon na\b", "going to"), (r"\bgot ta\b", "have to"),
]
# "sometimes i …", "over the past couple of months, i've been …": when it happens, said before who
# "over the past few weeks", "about 2 days ago": a stretch of time the patient puts before what happened
_SPAN = (r"(?:over|for|in|during) the (?:past|last) (?:\d+ |few |couple (?:of )?)?(?:days?|weeks?|months?|years?)|"
         r"(?:about |around )?(?:\d+|a few|a couple of) (?:days?|weeks?|months?|years?) ago")
_FRONTED = (r"(?:sometimes|usually|lately|recently|now|today|yesterday|occasionally|initially|at first|at night|"
            r"in the (?:morning|evening|afternoon)s?|every (?:morning|night|day|evening)|"
            r"last (?:night|week|month|year|weekend)|this (?:morning|week|past \w+)|since then|after that|"
            rf"{_SPAN}|"
            # "in certain positions i get some tingling", "when my blood pressure gets high i have headaches"
            r"(?:in|since|by|during|on|at) (?!i\b)[a-z0-9' ]{2,30}?|(?:when|whenever) (?:i|my|it)\b[a-z0-9' ]{3,40}?)")
_OPENING = re.compile(rf"^(?:(?P<fronted>{_FRONTED}),?\s+)?(?:i|my)\b", re.I)
# "sure, i've been …", "yep, i take it every morning": an answer's first word, not part of the account
_MARKER = re.compile(r"^(?:(?:sure|yep|yup|right|okay|ok|alright|all right|honestly|to be honest|in fact|gosh|haha|oh|"
                     r"well|yeah|yes|so|and|but|um|uh)"
                     r"\W+)+(?=(?:i|my)\b)", re.I)
_OTHERS = re.compile(r"\b(you|your|we|our|us|he|she|they|them|their|his|her|doctor|doc|wife|husband|mother|mom|"
                     r"father|dad|sister|brother|son|daughter|grandmother|grandfather|aunt|uncle|cousin|friend|"
                     r"partner|boyfriend|girlfriend|family)\b", re.I)
# "i was helping my daughter with some heavy equipment": a relative as what the patient did something for or with,
# not the subject of what is told ("my mom had a stroke", "my daughter who has asthma")
_RELATIVE_OBJECT = re.compile(r"(?<!^)\bmy (?:wife|husband|mother|mom|father|dad|sister|brother|son|daughter|"
                              r"grandmother|grandfather|aunt|uncle|cousin|friend|partner|boyfriend|girlfriend|family)"
                              r"\b(?!\s+(?:who|that|which|had|has|have|was|is|were|said|says|told|thinks?|thought|"
                              r"noticed|checked|found|got|gets|does|did|'s)\b|')", re.I)
# "we were helping my daughter …", "we ate out a lot": the patient among others, who did it too; what "we" decided
# or talked about with the clinician is the visit, not the history
_WE = re.compile(r"\bwe(?P<verb>'re|'ve| are| were| have| had)?(?=\s)", re.I)
_WE_SAID = re.compile(rf"^(?:(?:{_FRONTED}),?\s+)?we\b(?!.*\b(?:talk\w*|discuss\w*|decid\w*|agree\w*|spoke|said|told|"
                      r"you|doctor|doc|us|ourselves)\b)", re.I)
_WE_AS_I = {"'re": "i am", " are": "i am", "'ve": "i have", " were": "i was", " have": "i have", " had": "i had"}


def _we_as_i(said: str) -> str:
    """ "we were helping my daughter" → "i was helping my daughter": a clause whose subject is the patient with
    others, told of the patient."""
    if not _WE_SAID.match(said):
        return said
    said = _WE.sub(lambda m: _WE_AS_I.get((m["verb"] or "").lower(), "i"), said)
    return re.sub(r"\bour\b", "my", said, flags=re.I)


# "i don't remember the bottom number": about the conversation, not the illness
_NOT_HISTORY = re.compile(r"\b(remember|recall|know|think|see|understand|sure|care|mind|say)\b", re.I)
# "i know i've got two days left", "i remember": what the patient knows, not what happened
_ASIDE = re.compile(r"^i (?:know|knew|remember|recall|believe|figure|understand|wonder|suppose|guess)\b|"
                    r"^(?:well\W+)?i(?:'ve| have) been better\b|"  # "i've been better": unwell, not better
                    # "i still have my good days and my bad days": of what, only the question said
                    r"^.*\bgood days? and (?:my |the )?bad days?\b", re.I)
# "i've been 6.7 for two years": the patient stands in for a lab value the note cannot name
_NUMBER_SUBJECT = re.compile(r"^i(?:'ve| have| am|'m)?\s+(?:been|was|am|is)\s+(?:about |around )?\d", re.I)
# "she has not been she has been eating": a sentence the patient started again; its first half is not a fact
_RESTARTED = re.compile(r"\b(?:been|is|was|has|have|not|had|does|did) (?:he|she|the patient|they)\b|"
                        r"^(?:he|she|the patient|they) \w+, (?:he|she|the patient|they)\b", re.I)
_DOSE = re.compile(r"\b\d+(?:\.\d+)?\s*(?:mg|milligrams?|mcg|micrograms?|units?|ml|milliliters?)\b|"
                   r"\b(?:take|takes|took|taking)\s+(?:one|two|them|it|those|these)\b", re.I)
_NEGATION = re.compile(r"\b(not|no|never|nothing|none|cannot|without)\b|n't\b", re.I)
_STUB_END = frozenset("feels feel is was has have and but or the a an of to like kind so with that which because "
                      "when if where since whether".split())
_STUTTER = re.compile(r"\b((?:\w+\s+){0,2}\w+),\s+\1\b", re.I)
# "i was a really good gymnast back then really good": the praise said again at the end
_ECHO = re.compile(r"(\b(?P<word>good|bad|great|fine|hard|tough|well)\b.{1,40}?)\s+(?:really\s+|very\s+|so\s+)?"
                   r"(?P=word)(?=\W*$)", re.I)
_HEDGE = re.compile(r"\b(i think|i guess|i don't know|i'm not sure|i am not sure|maybe|i suppose|i believe|"
                    r"i wonder|i would say|i mean|like|going to|gon na|gonna|will|would|could|might)\b", re.I)
# "i think my sugars come from fruit": the account without its opening hedge; a hedge inside still rejects it
_LEADING_HEDGE = re.compile(r"^(?:i think|i guess|i believe|i would say|i mean|i'd say)\s*,?\s+(?=(?:i|my)\b)", re.I)
_ANCHOR = re.compile(r"\b(\d+|days?|weeks?|months?|years?|morning|night|evening|since|ago|pain|hurts?|swell\w*|"
                     r"sore|ache\w*|pressure|sugar\w*|blood|surgery|medications?|medicines?|meds|pills?|exercis\w*|walk\w*|"
                     # what the patient does that bears on the illness: exercise, stress, habits, remedies tried
                     r"hik\w*|run|runs|running|jog\w*|bik\w*|cycling|swim\w*|tennis|soccer|golf\w*|gym|yoga|"
                     r"stretch\w*|lifting weights|stress\w*|anxi\w*|smok\w*|cigarettes?|alcohol|beers?|wine|"
                     r"food|foods|salt\w*|fluids|water|iced?|icing|heat|pop|popped|sweat\w*|nause\w*|"
                     r"vomit\w*|appetite|weight|urin\w*|cramp\w*|runner|meditat\w*|gardening|housekeeping|yard work|"
                     r"vaccin\w*|stomach|surger(?:y|ies)|dietary|"
                     r"diet|eat\w*|sleep\w*|work\w*|fell|fall|injur\w*|twist\w*|lift\w*|numb\w*|tingl\w*|stiff\w*|"
                     r"burn\w*|"
                     r"sting\w*|blisters?|wounds?|rash\w*|itch\w*|bleed\w*|"
                     # what the patient sees or smells of a wound ("i started to notice a foul smell", D2N086)
                     r"smell\w*|odou?r|drainage|discharge|pus|streaks?|"
                     # "i seem to be bumping into door frames": what the patient notices going wrong (D2N074)
                     r"bump\w*|tripp\w*|balance|dizz\w*|vision|"
                     # "in the wintertime i get a lot of colds" (D2N082's only account of its infections)
                     r"infections?|colds|"
                     # what the patient does over and over that strains a part ("doing a lot of pottery", D2N083)
                     r"(?:a lot of|lots of) (?:pottery|ceramics|typing|knitting|sewing|carrying|throwing))\b",
                     re.I)


# unpunctuated speech: "i've had it for 6 weeks i felt some burning and looked down" is two sentences; a new one
# starts at "i" (or "and i", "so i", "and my") unless a conjunction or preposition binds it ("when i put on …")
_NEW_CLAUSE = re.compile(r"(?<!\bwhen)(?<!\bbecause)(?<!\bthat)(?<!\bif)(?<!\buntil)(?<!\bbefore)(?<!\bafter)"
                         r"(?<!\bsince)(?<!\bas)(?<!\bwhere)(?<!\bwhile)(?<!\bwhich)(?<!\bthan)(?<!\bwhat)(?<!\bhow)"
                         r"(?<!\band)(?<!\bso)(?<!\bbut)(?<!\bthink)(?<!\bknow)(?<!\bsay)(?<!\bguess)(?<!\bmean)(?<!,)"
                         r"\s+(?=(?:(?:and|so|but)\s+(?:then\s+)?)?(?:i(?:'ve|'m|'d)?|and my)\b)", re.I)
RUN_ON_WORDS = 20
# "i've been staying on top of the meds, and i haven't had any incidents": two statements, each read on its own;
# a "but" is not cut, for its first half alone would say more than the patient did
_COORDINATED = re.compile(r",\s+(?:and|so)\s+(?:then\s+)?(?=(?:i|i'(?:ve|m|d)|my)\b)", re.I)
# "i lifted some boxes a little too quickly, and they were a little too heavy": what the things were, said after
# what the patient did with them; the account stands without it (a tail that says whether something helped does not
# go: "i tried ibuprofen, and it was no help" is one fact)
_THINGS_TAIL = re.compile(r",\s+and\s+(?:they|it)\s+(?:were|was|are|is)\b(?!.*\b(?:not|no|never|help\w*|work\w*|"
                          r"reliev\w*)\b|.*n't\b)[^,]*$", re.I)


# "… a lot of pottery and over the past week | i then started to develop this elbow pain": the time that opens the
# next clause, left at the end of the one before by the cut (D2N083 lost when its pain began)
_TIME_LEFT_BEHIND = re.compile(rf"\s+(?:and|so|but)\s+(?P<when>{_SPAN}|"
                               r"last (?:night|week|month|year|weekend)|yesterday|this (?:morning|week)|recently)$",
                               re.I)


# a "but" that takes back part of what was just said, about the same thing
_BUT_NOT = re.compile(r"^\W*but\b.*(?:\b(?:never|not|no)\b|n't\b)", re.I)
_WORDS = re.compile(r"\b(?!(?:been|have|this|that|with|from|they|them|were|what|when|just|about|really|before|"
                    r"after|never|ever|these|those|there|their|much|more|some|like|know|think|going|week|weeks|month|months|year|"
                    r"years|days|past|last|time|times|today|lately)\b)[a-z]{4,}\b")


def run_on_clauses(said: str) -> list[str]:
    """A long unpunctuated stretch of the patient's speech, cut where a new first-person clause begins."""
    if len(said.split()) <= RUN_ON_WORDS:
        return [said]
    parts: list[str] = []
    for part in _NEW_CLAUSE.split(said):
        part = re.sub(r"^(?:and|so|but)\s+(?:then\s+)?", "", part.strip(" ,"), flags=re.I)
        if parts and (when := _TIME_LEFT_BEHIND.search(parts[-1])) and len(parts[-1][:when.start()].split()) >= 4:
            parts[-1], part = parts[-1][:when.start()], f"{when['when']} {part}"
        if parts and len(part.split()) < 4:
            parts[-1] += " " + part
        elif part:
            parts.append(part)
    return parts


def _spoken_asides(text: str) -> str:
    """What a sentence said aloud carries and a note does not: "has got", a trailing "though" or "and quite
    annoying", "then started to develop this elbow pain"."""
    text = re.sub(r"\bhas got\b", "has", text, flags=re.I)
    text = re.sub(r",?\s+(?:yes|no|yeah|yep|nope)\W*$", "", text, flags=re.I)  # "… something pop yes": an answer
    when = r"yesterday|today|last night|this morning|last week|the other day|on \w+day"  # "yesterday, last night":
    text = re.sub(rf"\b(?:{when})\s*,\s+(?=(?:{when})\b)", "", text, flags=re.I)  # said again, more exactly
    # "went hunting not long ago couple of weeks ago": the vague time, then the exact one
    vague = r"\b(?:not long ago|a while ago|recently),?\s+"
    text = re.sub(rf"{vague}(?:a |about |maybe )?(?=(?:couple|few)\b[\w ]{{0,20}}\bago\b)", "a ", text, flags=re.I)
    text = re.sub(rf"{vague}(?=(?:about |maybe )?(?:\d+|a week|a month)\b[\w ]{{0,20}}\bago\b)", "", text, flags=re.I)
    text = re.sub(r",?\s+(?:though|and (?:it(?:'s| is) )?(?:quite |really |very |so |just )?annoying)\W*$", "", text,
                  flags=re.I)
    text = re.sub(r"\bthen\s+(?=(?:started|began|developed|noticed|felt)\b)", "", text, flags=re.I)
    # "i hurt my top part of my right leg here": pointing, and the part named as the patient would
    text = re.sub(r"\s+(?:right\s+)?(?:here|there)(?=\W*$)", "", text, flags=re.I)
    text = re.sub(r"\b(hurt|injured|bruised|cut|twisted)\s+(?:my|his|her|their)\s+(?=(?:top|bottom|front|back|side|"
                  r"inside|outside) part\b)", r"\1 the ", text, flags=re.I)
    text = re.sub(r"\b(?:this|that)\s+(?=(?:sharp|dull|burning|stabbing|throbbing|shooting|constant|mild|severe) )", "",
                  text, flags=re.I)  # "having this sharp pain" → "having sharp pain"
    return re.sub(r"\b(?:this|that)\s+(?=[a-z]+ (?:pain|ache|rash|swelling|cough|lump|bump|blister)\b)", "the ", text,
                  flags=re.I)


def third_person(text: str, person: Person) -> str:
    """A patient's first-person sentence in the note's third person."""
    for pattern, repl in _CONTRACTIONS:
        text = re.sub(pattern, repl, text, flags=re.I)
    subject = person.subject
    said: list[str] = []

    def subject_verb(match: re.Match[str]) -> str:  # "i usually walk" → "he usually walks"
        adverbs, verb, after = match["adverbs"] or "", match["verb"], match["next"] or ""
        if verb.lower() == "did" and (past := PAST_OF.get(after.lower())):
            return f"{subject} {adverbs}{past}"  # "i did go hiking" → "he went hiking"
        after = f" {after}" if after else ""
        if said and subject == "the patient":  # "the patient had chills and when they started …", not twice
            return f"they {'are ' if verb.lower().endswith('ing') else ''}{adverbs}" + {
                "am": "are", "was": "were"}.get(verb.lower(), verb) + after
        said.append(verb)
        if verb.lower().endswith("ing"):  # "i still having some knee issues": the "am" left unsaid
            return f"{subject} is {adverbs}{verb}{after}"
        if verb.lower() in ("am",):
            return f"{subject} {adverbs}is{after}"
        return f"{subject} {adverbs}{third_person_verb(verb)}{after}"

    adverbs = "|".join(_ADVERBS)
    text = re.sub(rf"\bi\s+(?P<adverbs>(?:(?:{adverbs}|\w+ly)\s+)*)(?P<verb>[a-z]+)\b(?:\s+(?P<next>(?!i\b)[a-z]+)\b)?",
                  subject_verb, text, flags=re.I)
    reflexive = {"his": "himself", "her": "herself"}.get(person.possessive, "themselves")
    objective = {"his": "him", "her": "her"}.get(person.possessive, "them")
    text = re.sub(r"\bmyself\b", reflexive, text, flags=re.I)
    if person.possessive == "their":  # "my other ankle" → "the other ankle": a body part needs no "their"
        text = re.sub(rf"\bmy(?= (?:(?:other|left|right|lower|upper|whole) )?(?:{body_parts()}|feet|teeth|skin|"
                      rf"joints?)s?\b)", "the", text, flags=re.I)
    text = re.sub(r"\bmy\b", person.possessive, text, flags=re.I)
    return re.sub(r"\bme\b", objective, text, flags=re.I)


# "it" as the subject of a clause ("he has had ibuprofen it helped some": a second sentence run into the first)
_SUBJECT = re.compile(r"\b(?:he|she|they|the patient|it(?= (?:is|was|has|feels|felt|started|gets|got|hurts|hurt|"
                      r"comes|goes|went|helped|helps|worked|works|did|does|seemed|seems)\b))\b", re.I)
_JOINS = re.compile(r"\b(?:and|but|because|when|so|after|before|while|until|since|as|if|or|that|which|who)\b|[,;]",
                    re.I)


def _run_on(text: str) -> bool:
    """"The patient went cold turkey one day they woke up they said …": a new subject with nothing joining it to
    the clause before is a second sentence run into the first, which the note cannot punctuate for the patient.
    Three subjects, not all the patient, are speech run on too ("… was chills and they had sweating and it is …")."""
    subjects = [m for m in _SUBJECT.finditer(text)]
    starts = [m.start() for m in subjects]
    if len(subjects) >= 3 and {m[0].lower() in ("he", "she", "they", "the patient") for m in subjects} == {True, False}:
        return True
    return any(not _JOINS.search(text[a:b]) for a, b in pairwise(starts))


def anchored(text: str) -> bool:
    return bool(find_symptoms(text) or find_named(text, "medications") or find_named(text, "problems")
                or _ANCHOR.search(text) or re.search(rf"\b(?:{body_parts()})s?\b", text, re.I)
                or re.search(r"\b(" + "|".join(
                    w for words in lexicon("exam")["systems"].values() for w in words if " " not in w) + r")\b",
                    text, re.I))

# a sentence that ends on a condition without the clause it governs ("… that when i'm stationary.")
# "i my chips with my wine", "i'm, been stretching": a word lost between the subject and its verb; "i blood the
# blood pressure cuff": a verb misheard as a noun
_GARBLED = re.compile(r"\bi (?:my|the|a|an|it|this|that|to|with|and|in|on|at|i)\b|\b(?:i am|i'm),? been\b|"
                      r"\bi (?:blood|pressure|sugar|pain|heart|knee|back|leg|arm)\b", re.I)
# "i take it every morning": what "it" is, the sentence does not say, whatever else it names
_TAKES_IT = re.compile(r"\b(?:take|takes|took|taking|use|used|using) (?:it|that|this|them|those|these)\b", re.I)
# "i did about 3 years ago", "i have not had any since then": the verb or the thing left to the question asked
_ELLIPTICAL = re.compile(r"\bi (?:did|do)\s+(?:about|around|\d+|last|so|too|once|yesterday|before|after|when|since|"
                         r"for|in|at|on)\b|"
                         r"\bany\s+(?:since|in|for|at|before|after|yet|anymore|again|lately|recently)\b|"
                         r"\bany\W*$|"
                         # "(every time) i do any kind of aerobic workout": the "when" of the question's answer, alone
                         r"^i (?:do|did|have|get|got)\s+any\b|"
                         # "i've noticed like since the pandemic | i don't …": what was noticed went to the next clause
                         r"\b(?:noticed|realized|seen|found)\s+(?:since|over|in|for|during)\s[\w' ]{1,25}$", re.I)
# "he is still riding, and, after a long ride …": a pause; "… to be at work by 7:00, lecture.": a word trailing
# after the sentence ended
_PAUSED = re.compile(r",\s*(?:and|but|so)\s*,|"
                     r",\s+(?!(?:too|also|again|now|today|yesterday|daily|though)\b|\w+ly\b)\w+\.$", re.I)
# "my first dose on january 15th and my second on february 5th": a "my …" sentence needs a verb to be one
_VERB = re.compile(r"\b(?:is|are|was|were|has|have|had|been|does|did|do|can|gets?|got|feels?|felt|hurts?|seems?|"
                   r"goes|go|went|comes?|came|keeps?|kept|stays?|makes?|made|takes?|took|\w{3,}ed|\w{3,}s)(?:n't)?\b|"
                   r"'s\b", re.I)
# "i'm so tired and fatigued": a symptom and no more, which the symptom reader states with its onset and duration
_BARE_SYMPTOM = re.compile(r"^i(?:'m| am| feel| have been|'ve been)\s+(?:so |very |really |pretty |a little |a bit )?"
                           r"[a-z]+(?: and [a-z]+)?\W*$", re.I)
# "i was having my gallbladder out": an operation, the surgical history's to tell
_REMOVED = re.compile(r"\b(?:having|had|have|got|get|getting)\s+(?:my|the)\s+(?:\w+\s+)?(?:out|removed|taken out)\b",
                      re.I)
# "i would say that when i'm stationary. | i don't really feel …": a condition cut from the sentence it governs, not
# one that ends its own ("i heard a pop when i moved")
_BARE_CONDITION = re.compile(r"(?:^|\b(?:that|say|said|notice|noticed|any|and|but|so|because|like|um|uh)\s+)"
                             r"(?:when|whenever|if|while)\b(?:\s+[\w']+){1,4}\W*$", re.I)


# "the same pain that i had", "it was hot over the weekend": a "that" and an "it" that stand for nothing said before
_NOT_REFERRING = re.compile(r"\b(?:pain|aches?|problems?|symptoms?|feeling|things?|ones?|sugars?|pressures?|readings?|"
                            r"numbers?|medicines?|medications?|pills?) that "
                            r"(?=(?:i|my|goes|went|was|were|is|gets|got)\b)|"
                            r"\bit (?:was|is|gets|got|has been) (?:\w+ )?(?:hot|cold|warm|humid|raining|snowing|icy|"
                            r"late|early)\b|"
                            # "i had to lie down for about an hour before it relieved the pain"
                            r"\bit (?:\w+ly )?(?:relieved|eased|took away) the pain\b", re.I)


def bare_drugs(text: str) -> str:
    """ "taking a Farxiga and amlodipine", "on the torsemide": a drug is named in a note without an article."""
    for drug in reversed(find_named(text, "medications")):
        article = re.search(r"\b(?:taking|takes|take|took|on|using|uses|started|tried)\s+((?:a|an|the)\s+)$",
                            text[:drug.start()], re.I)
        if article:
            text = text[:article.start(1)] + text[drug.start():]
    return text


def _plural(verb: str) -> str:
    """The verb of "they" for the verb of "the patient": "has" → "have", "gets" → "get", "had" → "had"."""
    lowered = verb.lower()
    if lowered in ("has", "is", "was", "does"):
        return {"has": "have", "is": "are", "was": "were", "does": "do"}[lowered]
    if lowered.endswith("ies"):
        return verb[:-3] + "y"
    if re.search(r"(?:ss|sh|ch|x|z|o)es$", lowered):
        return verb[:-2]
    return verb[:-1] if lowered.endswith("s") and not lowered.endswith("ss") else verb


def _opened(said: str) -> str:
    """The sentence without the answer's opening word ("sure, i've been …" → "i've been …") or "for some reason",
    and a fronted "sometimes" dropped where the patient went on to say how often ("sometimes i regularly go …")."""
    said = re.sub(r"^for some reason,?\s+", "", _MARKER.sub("", said), flags=re.I)  # a wonder, not a fact
    # "i also want to mention that my feet do swell up a lot": the telling, then what is told
    said = re.sub(r"^i (?:also )?(?:want|wanted|wan na) to (?:mention|say|add|tell you)(?: that)?,?\s+(?=(?:i|my)\b)",
                  "", said, flags=re.I)
    # "started having pain on my left back", "been pretty good taking my medications": the "i" left unsaid
    said = re.sub(r"^(?=(?:started|went|noticed|been|felt|tried)\b.*\bmy\b)", "i ", said, flags=re.I)
    return re.sub(r"^sometimes,?\s+(?=i (?:regularly|usually|always|often|normally|generally)\b)", "", said,
                  flags=re.I)


def reported(segments: list[Segment], person: Person) -> list[Reported]:
    """The patient's account of their illness, sentence by sentence, in the third person."""
    out: list[Reported] = []
    seen: set[str] = set()
    topic: tuple[str, str] | None = None  # the symptom last talked about, and the turn that named it
    family_asked = False
    for seg in segments:
        named = find_symptoms(seg.text)
        if seg.role == Role.clinician:
            topic = (named[-1].term, seg.id) if named else topic
            if not named and topic and "pain" not in topic[0] and re.search(r"\bpain\b", seg.text, re.I):
                topic = None  # "does the pain change?" after the constipation: "it" is the pain, of no named part
            elif not named and not topic and (
                    part := re.search(rf"\byour ((?:lower |upper )?(?:{body_parts()}))\b", seg.text, re.I)):
                topic = (part[1].lower(), seg.id)  # "did you strain your back?" — "it's been stiff ever since"
            family_asked = asks_family(seg.text)
            continue
        if family_asked:
            continue  # "what conditions run in your family?" — "i have high blood pressure …": the family's
        condition = False
        before: tuple[str, int] | None = None  # the words said just before, and how many sentences were told then
        for said in (part for whole in statements(seg.text) for clause in run_on_clauses(whole)
                     for part in _COORDINATED.split(clause)):
            said_before, before = before, (said, len(out))
            if said_before and len(out) > said_before[1] and _BUT_NOT.match(said) and not _NEGATION.search(
                    said_before[0]) and set(
                    _WORDS.findall(said.lower())) & set(_WORDS.findall(said_before[0].lower())):
                del out[said_before[1]:]  # "i've had a lot of injuries to my ankle | but i've never hurt this ankle
                # before": the first half alone says what the second takes back
                continue
            # "i would say that when i'm stationary. i don't really feel a lot of pain": the condition was cut off
            conditional, condition = condition, bool(_BARE_CONDITION.search(said))
            if conditional:
                continue
            said = _ECHO.sub(r"\1", _STUTTER.sub(r"\1", plain(said)))
            if _LEADING_HEDGE.match(said) and find_symptoms(said):
                continue  # "i think i had a fever last night": a symptom the patient is unsure of is no fact to tell
            said = _opened(_LEADING_HEDGE.sub("", _we_as_i(_THINGS_TAIL.sub(".", said))))
            described = _described(said, topic)
            said = described or said
            if (said.endswith("?") or not (_OPENING.match(said) or described) or _HEDGE.search(said)
                    or _ASIDE.match(said)
                    or re.search(r"\bif\b", said, re.I)  # "i check 2 or 3 times a day if i feel weird": which part?
                    or _DOSE.search(said) and not find_named(said, "medications")  # "25 mg tablets": of what?
                    or _NEGATION.search(said) and (find_symptoms(said) or find_named(said, "problems")
                                                   or len(said.split()) > 14 or re.search(r",| and | so | but ", said)
                                                   or _NOT_HISTORY.search(said))
                    or _OTHERS.search(_RELATIVE_OBJECT.sub("", said))
                    or not 4 <= len(said.split()) <= MAX_WORDS or not anchored(said)
                    or _NUMBER_SUBJECT.match(said) or _GARBLED.search(said) or _TAKES_IT.search(said)
                    or _ELLIPTICAL.search(said) or _REMOVED.search(said)
                    or _BARE_SYMPTOM.match(said) and find_symptoms(said)
                    or re.match(r"my\b", said, re.I) and not _VERB.search(said)
                    # "i've been going every week": going where (the therapy asked about) the sentence does not say
                    or re.search(r"\bbeen going (?:every|for|since|about|once|twice|weekly|regularly)\b", said, re.I)):
                continue
            said = re.sub(r"\b(i\s+\w+ly),\s+", r"\1 ", said, flags=re.I)  # "i regularly, go for a run"
            said = re.sub(r"\b(try|tried) and (?=\w)", r"\1 to ", said, flags=re.I)  # "i try and stay away from …"
            if (fronted := _OPENING.match(said)) and fronted["fronted"] and " " in fronted["fronted"]:
                at = fronted.end("fronted")  # "in certain positions, he gets some tingling"
                said = f"{said[:at]}, {said[at:].lstrip(' ,')}"
            text = third_person(said, person)
            # "the patient has trouble when the patient is trying to reach": the subject not named twice
            text = re.sub(r"^((?:the patient|he|she)\b.*?\b(?:when|while|whenever))\s+(?:the patient|they|he|she) "
                          r"(?:is|are|was|were)\s+(?=\w+ing\b)", r"\1 ", text, flags=re.I)
            # "when their blood pressure gets high, the patient has …": the patient named before "their"
            text = re.sub(r"^(when[^,]*?)\btheir\b([^,]*,\s+)the patient (\w+)\b",
                          lambda m: f"{m[1]}the patient's{m[2]}they {_plural(m[3])}", text, flags=re.I)
            text = re.sub(r"\b(has|have|had|is|was|been|that is|it is),\s+", r"\1 ", text)
            # "but, that is because": a pause, not a clause (", and," is one of _PAUSED's)
            text = re.sub(r"(?<!,) (and|but|so|because),\s+", r" \1 ", text)
            # "he is tired and have to take a break": the second verb of the subject in its person too
            text = re.sub(r"^((?:he|she|the patient)\b(?:(?!\bthey\b).)*?\band) have to\b", r"\1 has to", text,
                          flags=re.I)
            text = sentence(units(_spoken_asides(bare_drugs(text))))
            if re.search(r"\b(?:and|but)\s+(?:with|over|for|in|at)\s+the\s+\w+(?:\s+\w+)?\.$|"
                         r"\bpretty (?:good|well|bad)\b", text, re.I):
                continue  # "he has been good with the diet, but with the pain.": the sentence lost its verb
            if re.search(r"\b(that|this|it|those|these)\b|\b(?:go|goes|went|going|been|get|got) there\b",
                         _NOT_REFERRING.sub("", said), re.I) and not (
                    find_symptoms(said) or find_named(said, "medications") or find_named(said, "problems")):
                continue  # "he has been pretty good about that", "i go there about once a week": about what, or
                # where, the note cannot say
            last = re.sub(r"[^a-z ]", "", text.lower()).split()[-1:]
            if (text.lower() in seen or statement_faults(text) or re.search(r"\b(i|my|me)\b", text, re.I)
                    or _RESTARTED.search(text) or _run_on(text)
                    or not last or last[0] in _STUB_END and not text.lower().endswith("ever since.")
                    or _PAUSED.search(text)):
                continue
            seen.add(text.lower())
            cited = [seg.id, topic[1]] if described and topic and topic[1] != seg.id else [seg.id]
            out.append(Reported(text=text, evidence=cited, speaker="patient"))
        topic = (named[-1].term, seg.id) if named else topic
    return out[:MAX_SENTENCES]


# "it was here in the center of my chest", "the pain was really sharp", "they've been getting worse over time", "now
# it's about 6 out of 10": the symptom being talked about, described
_IT_DESCRIBED = re.compile(r"^(?:(?P<when>now|lately|recently|at first|initially)\s+)?(?P<subject>it|they|the pain)\s+"
                           r"(?=(?:was|is|felt|feels|hurts|hurt|started|starts|began|comes|came|goes|went|gets|got|"
                           r"lasts|lasted|radiates|radiated|stays|stayed|are|were|do tend|tend|come|go|get|"
                           r"(?:have|has) been (?:getting|worse|better|constant|hurting|coming|bothering|"
                           r"(?:a (?:little|bit) )?(?:stiff|sore|swollen|tender|numb|painful))|"
                           r"last)\b)", re.I)
_DESCRIPTION = re.compile(r"\b(sharp|dull|burning|throbbing|aching|achy|stabbing|shooting|crampy|cramping|squeezing|"
                          r"pressure|constant|intermittent|worse|better|center|middle|behind|radiat\w*|spread\w*|"
                          r"down (?:my|the)|into (?:my|the)|morning|night|evening|after|before|when|during|"
                          r"out of \d+|\d+ out of|\d+/10|days?|weeks?|months?|hours?|minutes?)\b", re.I)
# "it's been a little stiff ever since", said of the part just asked about ("did you strain your back?"): of a part,
# only how it is, not where a pain goes
_PART_STATE = re.compile(r"^(?:is|was|has been|gets|got|feels|felt)\s+(?:a (?:little|bit) |very |pretty |really )?"
                         r"(?:stiff|sore|swollen|tender|numb)\b", re.I)
# "they" is the symptom, said of its episodes: the verb the singular takes ("they come" -> "the headache comes")
_SINGULAR = {"have": "has", "are": "is", "were": "was", "do": "does", "tend": "tends", "come": "comes",
             "go": "goes", "get": "gets", "last": "lasts"}


def _described(said: str, topic: tuple[str, str] | None) -> str | None:
    """The patient's description of the symptom just talked about, with the symptom named for "it" or "they"
    ("the chest pain was in the center of my chest"); None when the sentence is not one."""
    said = re.sub(r"^((?:now\s+)?(?:it|the pain))'s\s+(?!been|got)", r"\1 is ", said, flags=re.I)  # "it's worse"
    said = re.sub(r"^they've\b", "they have", said, flags=re.I)
    said = re.sub(r"^((?:now\s+)?it)'s been\b", r"\1 has been", said, flags=re.I)
    if topic:  # "the headaches do tend to be worse in the morning": the symptom named, as "they" or "it"
        said = re.sub(rf"^the {re.escape(topic[0])}(s?)\b", lambda m: "they" if m[1] else "it", said, flags=re.I)
    part = topic is not None and bool(re.fullmatch(rf"(?:lower |upper )?(?:{body_parts()})", topic[0]))
    # "back pain" talked about, "it's been a little stiff ever since": the stiffness is the back's, not the pain's
    site = re.fullmatch(rf"((?:lower |upper )?(?:{body_parts()})) pain", topic[0]) if topic else None
    lead = _IT_DESCRIBED.match(said)
    if topic and lead and site and _PART_STATE.match(said[lead.end():]):
        topic, part = (site[1], topic[1]), True
    if (topic is None or not lead
            or not (_PART_STATE.match(said[lead.end():]) if part else _DESCRIPTION.search(said[lead.end():]))
            or re.search(r"\b(?:he|she|they|its|you)\b|\b(?:i|it)\s+(?:i|it|it's)\b", said[lead.end():], re.I)):
        return None  # about someone else, or restarted ("it comes and goes i it it's relieved when …")
    rest = re.sub(r"^((?:was|is)\s+)(?:right\s+)?here\s+(?=in\b|on\b|at\b)", r"\1", said[lead.end():], flags=re.I)
    if re.match(r"(?:is|was|are|were)\s+(?!(?:a|an|in|on|at|worse|better|sharp|dull|constant|intermittent|achy|aching|"
                r"burning|throbbing|stabbing|mostly|more|right|behind|usually|always|located|really|very|pretty|all|"
                r"about)\b|\d)", rest, re.I):
        return None  # "it's tough to find a comfortable spot": "it" stands for no symptom
    if lead["subject"].lower() == "they":
        rest = re.sub(r"^(\w+)(?: and (\w+)\b)?", lambda m: " and ".join(
            _SINGULAR.get(w.lower(), w) for w in m.groups() if w), rest)  # "they come and go"
    rest = re.sub(r"\b(\d+/10) severity\b", r"\1 in severity", re.sub(r"^(?:do|does) tend\b", "tends", rest))
    rest = re.sub(r"\band it feels (?=an? )", "and feels like ", rest)  # the filler-less "like" of a likeness
    return f"{lead['when'].lower()}, the {topic[0]} {rest}" if lead["when"] else f"the {topic[0]} {rest}"

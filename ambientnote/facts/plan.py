"""The assessment and plan: problems with the clinician's impression, and the plan items for each.

Clinicians walk through the plan problem by problem ("for your first problem,
your acute lumbar strain, …", "for your diabetes, I'd like to increase your
metformin to 1,000 milligrams twice daily"). Each problem cue opens a block; the
orders, prescriptions, referrals, advice and follow-up said in that block are
that problem's plan items, written in the note's register ("Increase metformin
to 1000 mg twice daily."). What is said outside any block is general plan.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise

from ambientnote.facts.assertion import assert_term
from ambientnote.facts.lexicon import class_beside_member, find, find_named, find_symptoms, generic_of, lexicon
from ambientnote.facts.medications import counted, course_of, dose_of, frequency_of
from ambientnote.facts.numbers import digits
from ambientnote.facts.schema import Assertion, Medication, PlanItem, Problem
from ambientnote.facts.text import (
    ON_RESULT,
    joined,
    plain,
    sentence,
    spoken_clean,
    statements,
    third_person_verb,
    units,
)
from ambientnote.language.terms import terms_alternation
from ambientnote.transcript import Role, Segment

# not "he follows you for your blood pressure": another doctor's problems
_PROBLEM_CUE = re.compile(
    r"(?<!follows you )(?<!sees you )(?<!treats you )"
    r"\b(?:(?:for|regarding|as for|in terms of|with regards? to|as far as|moving on to|now for|and for)\s+"
    r"(?:(?:your|the|his|her|this)\s+|(?=problem number)|you\s+(?=(?:first|second|third|next|last|other)\s+"
    r"(?:problem|concern|issue|diagnosis)))"  # "for you first problem": ASR's "your"
    # dictated: "so, under the plan, under abnormal weight gain, …"
    r"|(?:(?<=, )|^)under\s+(?:(?:the|her|his|your)\s+)?)"
    # "for the next couple days"
    r"(?!(?:next|last|past|first)\s+(?:\w+\s+){0,2}(?:days?|weeks?|months?|years?|time)\b)"
    r"(?:(?:first|second|third|fourth|fifth|next|last|final|other)\s+(?:ish\s+)?)?"  # "your last ish issue"
    r"(?:(?:(?:problem|concern|issue|diagnosis)(?:\s+number\s+\w+)?)\s*,?\s*(?:here\s+)?(?:(?:so|is|of)\s+)?"
    r"(?:(?:the\s+)?(?:first|second|third|next|last)\s+problem\s+of\s+)?(?:your|the|his|her)?\s*)?"
    r"(?P<p>[a-z0-9 '/-]{3,90}?)"  # past 60 characters only two problems joined by "and" (``_take_up``)
    r"(?=\s*(?:,|\.|$|\bi\b|\bwe\b|\bthat\b|\bit\b|\bwhich\b|\bmy\b|\byou\b|\blet's\b|\bis\b"
    r"|\byour (?:symptoms|exam|x-?rays?|mri|results?|diagnosis)\b))",  # "… of your left ankle pain your symptoms are"
    re.I)
# "so your left knee pain, i think …", "so your left knee pain." (the sentence the next one explains)
_BARE_CUE = re.compile(r"^(?:so|and|now)?\s*,?\s*(?:your|the)\s+(?P<p>[a-z0-9 '/-]{3,40}?)"
                       r"(?:\s*,?\s+(?=i think|it looks|it sounds)|(?P<alone>\s*[.,]?\s*$))", re.I)
_DIAGNOSIS = re.compile(
    r"\b(?P<strong>(?:i (?:do )?think (?:that )?)?what (?:you have|this is|we're dealing with) is|"
    r"i (?:do )?think (?:that )?(?:you (?:probably |likely )?(?:(?:have )?(?:may|might) have|have|had)|"
    r"you(?:'re| are) having|this is|it's|"
    r"it is)"
    r"(?: (?:most |more )?(?:likely|probably))?|i believe you have|"
    r"(?:i )?suspect (?:that )?(?:you|she|he|the patient) (?:had|has|have)|(?:i )?suspect (?:that )?(?:this|it) is|"
    r"my impression is(?: that)? you(?: probably| likely| most likely)? have|"
    r"it (?:sounds|looks)(?: like)? you have|your diagnosis (?:is|would be|will be)|"
    r"consistent with(?: an? condition (?:that )?(?:we |doctors )?call(?:ed)?)?|"  # "… a condition we call …"
    r"diagnosis (?:(?:here|today|for you) )?(?:is|of|would be|will be)|"  # "my diagnosis here would be …"
    r"(?:this|that|it) (?:may|might|could) be|(?:this|that|it) is (?:probably|likely)|(?:you have |it's |this is )?"
    r"what we call|(?:is|are) (?:(?:most |more )?likely |probably )?(?:due to|caused by|secondary to|from))?"
    r"(?(strong)|(?<!\bif )(?<!whether )(?:you (?:do )?have|you've got))\s+(?:an?\s+|some\s+)?"  # "to see if you have"
    r"(?P<p>[a-z0-9 '/-]{3,60}?(?:,\s*[a-z0-9 '/-]{3,40}?)?)"
    r"(?=\s*(?:,\s*(?:so|and|but|which|okay|that)\b|\.|$|,?\s*\b(?:on|that|which|and|but|so|related|plus|due|"
    r"from (?:maybe|probably|the|your|when)|or (?:i'm )?sorry|"
    r"looking|based|i want|we'll|i'll|let's|what i'd like|what i want|in your case|another name|this is)\b))",
    # run-on dictation: the name ends as the next clause starts
    re.I)
# the problem just named, spoken of again as the diagnosis is given
_ABOUT_IT = re.compile(r"^(?:(?:so|and|now|well)\s+)*(?:your (?:symptoms|pain)|the (?:symptoms|pain)|this|that|it|"
                       r"i (?:do )?think (?:that )?you(?: just)? have)\b", re.I)
_NOT_A_PROBLEM = re.compile(r"\b(palpation|tenderness to|range of motion|of the|to the|on the)$"
                            r"|\b(risk|risks|chance)\b", re.I)
_DX_WORDS = re.compile(
    r"\b(strain|sprain|fracture|tear|torn|rupture|mcl|acl|pcl|meniscus|dysfunction|regurgitation|acne|hirsutism|"
    r"infection|itis|disease|disorder|syndrome|failure|fibrillation|injury|pain|"
    r"reflux|gout|arthritis|diabetes|hypertension|asthma|copd|depression|anxiety|apnea|migraine|nodule|mass|"
    r"cyst|stone|stones|ulcer|anemia|deficiency|obesity|insufficiency|stenosis|hernia|neuropathy|tendinitis|"
    r"tendonitis|bursitis|dermatitis|eczema|psoriasis|cancer|tumor|lesion|effusion|dislocation|contusion|"
    r"concussion|hyperlipidemia|cholesterol|pressure|sugar|sugars|a1c|thyroid|hypothyroidism|"
    r"hyperthyroidism|pneumonia|bronchitis|sinusitis|cellulitis|abscess|rash|headaches?|vertigo|insomnia|"
    r"dizziness|nausea|vomiting|fatigue|cough|edema|transplant|kidney|renal|liver|heart|lung)\b"
    r"|\b[a-z]+(?:itis|osis|emia|opathy|oma)\b", re.I)  # pneumonitis, osteomyelitis, lymphoma …
# The clinician's impression, in the words said (a note may say "well controlled" only if the clinician did).
_IMPRESSION = re.compile(r"\b(not (?:very )?well controlled|not controlled|uncontrolled|out of control|"
                         r"well controlled|under control|stable|improving|improved|worsening|worse|resolved|"
                         r"not at goal|at goal|doing (?:really |very |pretty |quite )?well)\b", re.I)
_NEGATIVE_IMPRESSION = re.compile(r"not |uncontrolled|out of control|worse|worsening")
# "from a depression standpoint, it sounds like you're doing really well": a problem taken up by its name
_STANDPOINT = re.compile(r"\bfrom (?:an? |the |your )?(?P<p>[a-z ]{3,30}?) (?:standpoint|perspective|point of view)\b",
                         re.I)
# "it sounds like your depression's stable": a problem taken up by how it is doing
_STATUS = re.compile(r"\b(?:it (?:sounds|looks|seems) like|i'm glad|i am glad)\s+(?:that\s+)?your\s+"
                     r"(?P<p>[a-z ]{3,30}?)(?:'s| is| has been| seems| sounds)\s+(?:pretty |really |very )?"
                     r"(?P<how>stable|well controlled|under control|controlled|improving|better)\b", re.I)
# the dictated assessment's summary of who the patient is, with the condition assessed (not a history: "a past medical
# history significant for …" is the history's)
_SUMMARISED = re.compile(r"\bis an? (?:[\w-]+ ){0,3}?[\w-]*(?:year|month|week)s?[- ]old\b[^.]{0,60}?(?<!history )"
                         r"\bwith (?:an? )?(?P<p>(?:[a-z'-]+ ){1,3}(?:syndrome|disease|disorder))\b", re.I)
_LIKELY = re.compile(r"\b(probably|likely|i think|sounds like|looks like|suspect|may be|might be|could be)\b", re.I)
# "my concern is that you might have lyme disease based on …": the diagnosis the clinician fears behind the problem
# being assessed (a tick bite), written with it ("tick bite, concerning for Lyme disease"), not a second problem
_CONCERN = re.compile(r"\b(?:my concern[.,]?\s+is|i'm concerned|i am concerned|i'm worried|i am worried)(?:\s+that)?"
                      r"\s+(?:you|she|he) (?:may|might|could) have (?:some |an? )?(?P<what>.{3,40})", re.I)
_RULE_OUT = re.compile(r"\brule out (?:any |a |an )?(?P<what>[a-z ]{3,40}?)(?=[,.]|$| or\b| and\b)", re.I)
# "an echocardiogram just to evaluate that heart murmur": what the order is for, as the clinician said it
_PURPOSE = re.compile(r"\b(?P<verb>to (?:evaluate|assess|check (?:on )?|look (?:at|for)|further evaluate)|"
                      r"for (?:further )?evaluation of)\s+"
                      r"(?P<what>(?:the |your |that |this |any |for )?[a-z0-9 ]{3,50}?)"
                      r"(?=[,.;]|$| and\b| so\b| because\b| but\b| as well\b| okay\b)", re.I)
_DRUG_ACTIONS = [
    ("increase", re.compile(r"\b(increase|up|bump (?:up|you up)|raise|go up on|double)\b", re.I)),
    ("decrease", re.compile(r"\b(decrease|lower|reduce|cut back|taper|go down on|drop)\b", re.I)),
    ("stop", re.compile(r"\b(stop|discontinue|hold|come off|get you off|take you off)\b", re.I)),
    # not "we like to keep people with heart problems on magnesium"
    ("continue", re.compile(r"\b(continue(?: to take| taking| on| with)?|stay on|"
                            r"keep (?:you |taking |him |her )?(?:on )?(?!people\b|patients\b)|"
                            r"remain on|have (?:you|him|her) use (?=your|his|her)|keep using)\b", re.I)),
    ("refill", re.compile(r"\b(refill)\b", re.I)),
    ("may", re.compile(r"\b(you can (?:also )?(?:take|use))\b", re.I)),  # "you can take tylenol if you want"
    ("switch", re.compile(r"\b(switch (?:you )?(?:over )?to|change (?:you )?to)\b", re.I)),
    ("start", re.compile(r"\b(start|prescribe|put you on|add|give you|get you(?: some| on)?|try|begin|initiate|"
                         r"send in|order|recommend|(?:want|like|need) you to (?:take|use|apply)|"
                         r"(?:we'll|we will|let's|we're going to|we're gon na) (?:do|go with|use)|"
                         # "start you on an anti-inflammatory. it's going to be mobic 15 milligrams"
                         r"(?:it's|it is|that's|that is) (?:going to|gon na) be)\b", re.I)),
]
_DEFERRED = re.compile(r"\b(could|might|may|maybe|would(?!(?: also| just)? (?:like|recommend|be to))|hold off|"
                       r"holding off|option|options"
                       r"|consider|down the road|at some point|"
                       r"later on|not (?:going to|gon na|need)|don't (?:need|think we need)|no need|potentially|"
                       r"(?<!\bsee )(?<!\bdetermine )if (?:we|you) need to)\b",  # not "… a1c to see if we need to …"
                       re.I)
_DONE = re.compile(r"\b(did|done|got|had|was|were|already|prior to|before (?:coming|you came)|came in with|sent you|"
                   r"last|decided|(?:19|20)\d\d)\b", re.I)  # "they decided to do a biopsy on december 5th, 2019"
# "to see if you do in fact have lyme disease": the test's purpose, not a condition on it
_WHETHER = r"(?<!\bsee )(?<!\bcheck )(?<!\bknow )(?<!\bdetermine )(?<!\bfind out )"
_CONDITION = re.compile(_WHETHER + r"\bif (?P<cond>(?!that happens|this happens)"
                        r"(?:it|you|he|she|things|this|that|the \w+|your \w+|"
                        r"symptoms?)\b[^,.;]{2,50}?)"
                        r"(?=,|\s+(?:we|i|then|if|please)\b|$)", re.I)
# "and if that's positive, i want to prescribe …": a drug ordered on the result of the test just ordered
_RESULT_IF = re.compile(rf"^(?:(?:and|so|then)\s+)?{ON_RESULT}\W*", re.I)
_IF_THAT = re.compile(r"^(?:(?:and|so|okay|but|then|um|uh)\W+)*if (?:that|this) happens\b,?\s*", re.I)
_IF_SO = re.compile(r"^(?:(?:and|so|okay|but|then|um|uh)\W+)*"
                    r"if (?:(?:that|this) happens|so|(?:it|they) do(?:es)?|not)\b",
                    re.I)  # the condition said in the sentence before
_ORDER = re.compile(r"\b(order\w*|get|recommend(?:ed)?|(?:want|need|like) (?:you|him|her) to have|check(?:ing)?|"
                    r"do (?:a|an|some|the)|schedule|send(?:ing)?|repeat|obtain|draw|run|"
                    r"recheck|swab|(?:are|is|you're|he's|she's) (?:also )?(?:due|overdue) for|"
                    r"set you up|set up|arrange)\b", re.I)
_REFER = re.compile(r"\b(refer\w*|send you (?:to|over)|see (?:a|an|the)|consult|set you up with|"
                    r"get you (?:into|in with|to)|go to|"
                    r"(?:order|prescribe|start you on|get you)(?= (?:some |a |an )?(?:physical|occupational|speech) "
                    r"therap))\b", re.I)  # "order some physical therapy": a therapy ordered is a referral
# "my doctor … sent me to see a urologist": the referral that brought the patient here, not one made today
_REFERRED_BEFORE = re.compile(r"\b(?:sent me|referred me|sent (?:him|her) (?:to|over)|referred (?:him|her)|"
                              r"my (?:doctor|pcp|primary care|family doctor)|(?:they|he|she) (?:sent|referred))\b",
                              re.I)
_FOLLOW_WITH = re.compile(r"\b(?:follow[- ]?up|check in|keep seeing|continue (?:to see|seeing|with))\s+(?:with\s+)?"
                          r"(?:(?:your|the|an?)\s+)?(?P<who>[a-z]+(?: [a-z]+)?)", re.I)  # "follow up with cardiology"
_PROCEDURE = re.compile(r"\b(?:best course of action is (?:going to|gon na) be(?: for)?|"
                        r"recommend(?:ing)?(?: for you is)?|(?:is|are) a (?:good )?candidate for|"
                        r"only option (?:we have |left )?is(?: to (?:do|have))?|"
                        r"schedule (?:you )?(?:for)?|(?:you )?(?:will )?need|go ahead with|proceed with|"
                        r"(?:i|we) would (?:perform|do)|(?:we'll |we will )?(?:tentatively )?plan for|"
                        r"(?P<doing>(?:i'm|i am|we're|we are) (?:going to|gon na) (?:do|perform)|"
                        r"(?:i'll|we'll|i will|we will) (?:do|perform)))\s+(?:what(?:'s| is| we) call(?:ed)?\s+)?"
                        r"(?:a |an |the |some )?(?P<what>surgery|surgical repair|[a-z]+al approach|"
                        r"(?:[a-z]+ )?(?:injection|"
                        r"arthroscopy|replacement surgery)|debridement|biopsy|aspiration|incision and drainage|"
                        r"(?:wide (?:local )?)?excision|cryotherapy|chemotherapy|radiation therapy|"
                        r"lymph node dissection|"
                        r"(?:(?:left|right) )?(?:[a-z]\d-[a-z]\d )?epidural(?: steroid injection)?|"
                        r"[a-z]+(?:ectomy|otomy|plasty))\b", re.I)
# "we're gon na continue with the current regimen of your chemotherapy", "continue with your current dose of radiation":
# a treatment under way, kept on
_CONTINUED = re.compile(r"\bcontinue (?:with |on )?(?:the |your )?(?:current )?"
                        r"(?:(?:regimen|dose|course|sessions) of )?(?:the |your )?"
                        r"(?P<what>chemotherapy|chemo|radiation(?: therapy)?|immunotherapy|dialysis|hormone therapy|"
                        r"physical therapy)\b", re.I)
# "chemotherapy with cisplatin and taxol": the drugs of a regimen recommended
_REGIMEN = re.compile(r"^\s+with\s+(?P<drugs>[a-z-]+(?:\s*,\s*[a-z-]+)*(?:\s+and\s+[a-z-]+)?)", re.I)
_DOSE_BEFORE = re.compile(r"(\d+(?:\.\d+)?\s*(?:mg|milligrams?|mcg|micrograms?))\s+(?:of\s+(?:the\s+|your\s+)?)?$",
                          re.I)  # "put you on fifty milligrams of ultram", "a twenty one milligram nicotine patch"
_FOLLOW = re.compile(
    r"\b(?:see you|follow[- ]?up|come back|return|check back|f/u|recheck|see (?:him|her) back|check (?:on )?you)\b"
    r"[^.?!]{0,30}?"
    r"\b(?:in|after)\s+(?:about\s+|another\s+)?"
    r"(?P<n>(?:\d+|one|two)(?:\s*(?:to|-)\s*\d+)?|a|an|a couple(?: of)?|a few|several)\s+"
    r"(?P<unit>days?|weeks?|months?|years?)", re.I)
# "how about in a month you come back": the interval said before the visit it times
_FOLLOW_BEFORE = re.compile(
    r"\b(?:in|after)\s+(?:about\s+|another\s+)?"
    r"(?P<n>(?:\d+|one|two)(?:\s*(?:to|-)\s*\d+)?|a|an|a couple(?: of)?|a few)\s+"
    r"(?P<unit>days?|weeks?|months?|years?)\b[^.?!]{0,30}?\b(?:see you|come back|follow[- ]?up|check ?up|return)\b",
    re.I)
# "schedule a follow-up visit with me after you do your physical therapy": the visit timed by the treatment
_FOLLOW_AFTER = re.compile(r"\b(?:follow[- ]?up|come back|see you|see me)\b[^.?!]{0,30}?\bafter (?:you\s+)*"
                           r"(?:do|finish|complete|are done with) (?:your |the )?(?P<what>physical therapy|therapy|"
                           r"antibiotics?|injections?)\b", re.I)
# "i'll call you with the results": the follow-up is a call
_CALL_WITH_RESULTS = re.compile(r"\b(?:i'll|i will|we'll|we will|someone will|the nurse will) "
                                r"(?:give you a call|call you) (?:back )?with (?:the|your|those|these) results\b", re.I)
_AS_NEEDED = re.compile(r"\b(?:follow up|come back|see me)\b(?: with me)?[^.?!]{0,25}?\bas needed\b", re.I)
_NEXT_VISIT = re.compile(r"\b(?:see you|follow[- ]?up|come back)\b[^.?!]{0,20}\b(next (?:week|month|year))\b", re.I)
_ADVICE = re.compile(
    r"^(?:(?:so|and|also|then|but|now|okay|alright|all right|again),?\s+)*"
    r"(?:(?:(?:what )?i (?:also )?(?:do )?(?:want|wan na|would like|'d like|need) you to|"
    r"i'd like you to|please|let's(?= (?:continue to |keep |rest\b|ice\b|elevate\b|stay off\b))|"
    # "the best treatment at this time | for your sprain is to keep your leg elevated": cut at the problem's name
    r"for (?:your|the) [a-z ]{3,30}? is to(?= (?:keep|rest|ice|elevate|avoid|stay|wear)\b)|"
    r"i(?: want to| wan na|'m going to| am going to|'m gon na| am gon na) (?:go ahead and )?recommend(?: that)?"
    r"(?: we)* (?:have )?you(?! for| to)|"
    r"make sure(?: that)?(?: you)?|(?:you should|you need to|try to|i recommend(?: that)?(?: you)?|"
    r"i encourage you to|i advise you to|i'd recommend(?: you)?|i would recommend(?= not \w+ing\b| avoiding\b)|"
    r"be sure to|don't forget to|remember to|"
    r"you can|(?:(?:we're|we are|i'm|i am) (?:also )?(?:gon na|going to) )?have you(?= \w+ (?:ice|heat)\b)))\s+|"
    r"(?=keep\b|continue to (?:watch|monitor|check|exercise|eat|avoid|limit|stay|drink|walk|ice|rest|elevate)\b|"
    r"stay (?:hydrated|active)\b|drink (?:plenty|lots|a lot)\b))(?P<what>.+)$", re.I)  # "keep an eye on these scars",
# "continue to watch your diet and stay hydrated": the imperative verb is the advice's
# "… to get your strength back into your knee i would recommend not skiing or doing any gymnastics for now": an
# activity to avoid, advised mid-sentence (the punctuator leaves it inside a longer part)
_AVOID_AFTER = re.compile(r"\bi (?:would|'d) recommend (?=not \w+ing\b|avoiding\b)|"
                          r"\bi (?:also )?(?:want|need) you to (?:try to )?(?=avoid\b)", re.I)
_COURTESY = re.compile(r"(?:you |he |she |they )?(?:need|have|has) "
                       r"(?:anything|any (?:other |more |further )?(?:questions?|concerns?))"
                       r"(?: else)?\W*", re.I)
_DICTATING = re.compile(r"(?:feel free|summari[sz]e|note|document|add|insert|include|put in|scratch|delete|remove|"
                        r"hold on|give me|excuse)\b", re.I)
_RETURN = re.compile(r"\b(?:call (?:me|us|the office)|let me know|come back|return|go to the (?:er|emergency room|"
                     r"emergency department)|contact (?:me|us|the office)|give (?:me|us) a call)\b"
                     r"[^.?!]{0,45}?\bif\b\s+"
                     r"(?P<cond>[^.?!]+?)(?=,?\s*(?:and|so|but|then)\s+(?:we|i)\b|,\s*(?:and|so|but|then)\b|"
                     r"\s+for (?:the|your)\b|\s+so\b|\s+i (?:know|think)\b|[.?!]|$)", re.I)
# "if your symptoms worsen, just give me a call": the condition said first, a change in how the patient is (not "if
# you're interested, just call us", "if it's too expensive, just let me know")
_RETURN_IF_FIRST = re.compile(r"(?:^|[,;]\s*|\b(?:and|so|but|okay|otherwise)\s+)if "
                              r"(?P<cond>(?=[^,.?!]*\b(?:worse|worsen\w*|better|improv\w*|symptoms?|pain|fevers?|"
                              r"bleed\w*|swell\w*|breath|numb\w*|tingl\w*|dizz\w*|vomit\w*|nause\w*|rash|"
                              r"red(?:ness)?|infect\w*|develop\w*|notice\w*|gain\w*)\b)[^,.?!]{3,60}?),?\s+"
                              r"(?:then\s+)?(?:(?:just|please|definitely)\s+)?(?:call (?:me|us|the office)|"
                              r"give (?:me|us|the office) a call|let (?:me|us) know|come back|return to|"
                              r"go to the (?:er|emergency room|emergency department)|contact (?:me|us|the office))\b",
                              re.I)
# "for your primary primary problem you have …", "for your second problem for i know …": the cue's own words, or a
# word the clinician restarted on, are no problem's name
_CUE_STOP = re.compile(r"^(?:(?:(?:primary|main|major|first|second|third|fourth|next|last|other|final)\s+)*"
                       r"(?:problem|issue|visit|plan|assessment|part|thing|question|results?|exam)|"
                       r"for|to|of|and|so|with|um|uh|okay)$", re.I)


@dataclass
class Person:
    """How the note refers to the patient ("Advised to monitor his daily weight", "He reports …")."""

    subject: str = "the patient"
    possessive: str = "their"

    @property
    def Subject(self) -> str:  # noqa: N802  (the templates' name for a sentence's first word)
        return self.subject[:1].upper() + self.subject[1:]


def addressed(text: str, person: Person) -> str:
    """Clinician speech to the patient, in the note's third person."""
    text = re.sub(r"\byourself\b", "themselves" if person.possessive == "their" else
                  ("himself" if person.possessive == "his" else "herself"), text, flags=re.I)
    text = re.sub(r"\byour\b", person.possessive, text, flags=re.I)
    text = re.sub(r"\byou're\b", f"{person.subject} is", text, flags=re.I)
    text = re.sub(r"\byou've\b", f"{person.subject} has", text, flags=re.I)
    text = re.sub(r"\byou (are|were|have|do|[a-z]+)\b",
                  lambda m: f"{person.subject} " + {"are": "is", "were": "was"}.get(
                      m[1].lower(),
                      third_person_verb(m[1])
                      if m[1].lower() not in ("can", "could", "will", "would", "should", "might", "may", "must",
                                              "did", "had", "need", "to", "and", "or") else m[1]),
                  text, flags=re.I)
    text = re.sub(r"\byou\b", person.subject, text, flags=re.I)
    return re.sub(r"\b(me|us)\b", "the office", text, flags=re.I)


def problem_name(phrase: str, announced: bool = False) -> str | None:
    """A problem named in a cue, reduced to its words ("your , your high blood pressure" → "high blood pressure").

    A phrase the clinician ``announced`` as a problem ("for your next problem, the lobectomy") is one even when
    the lexicon does not know it; otherwise it must name a diagnosis, a symptom or a known problem.
    """
    phrase = re.sub(r"\s*,\s*", " ", plain(phrase)).strip(" ,.")
    phrase = re.sub(r"^(?:(?:primary|secondary|working|final)\s+)?(?:diagnosis|impression)\s+(?:is|of)\s+", "", phrase,
                    flags=re.I)
    phrase = re.sub(r"^(?:(?:more|kind|sort|bit|little)\s+of\s+(?:an?\s+)?"
                    r"|(?:(?:most|more)\s+)?(?:probably|likely|possibly)\s+(?:an?\s+)?)", "",
                    phrase, flags=re.I)  # "more of a sprain", "probably an acute sprain"
    # "all muscular pain right now so": never a side ("right now", "right here" anywhere before the side is read)
    phrase = re.sub(r"\s+right (?:now|here|there)\b.*$|\s+(?:now|or strain|or sprain)$", "", phrase, flags=re.I)
    phrase = re.sub(r"^(?:a\s+)?(?:(?:past\s+)?history\s+of\s+)?(?:(?:a|an)\s+)*(?:little|small)?\s*", "", phrase,
                    flags=re.I)  # "a history of a an iga deficiency", "a little contusion right here"
    phrase = re.sub(r"^(?:had|has|have)\s+(?:some\s+|an?\s+)?", "", phrase, flags=re.I)  # "had some anemia"
    phrase = re.sub(r"^(?:(?:this|that|an?|the)\s+)?episodes? of\s+", "", phrase, flags=re.I)  # "this episode of chest
    # pain" is the chest pain
    phrase = re.sub(r"^(?:an?\s+)?recurrence of\s+(?:(?:your|his|her|the)\s+)?", "recurrent ", phrase, flags=re.I)
    if side_last := re.match(r"^(.+?)\s+(right|left)$", phrase, re.I):  # "… meniscus sprain right" → "right …"; not
        # "all muscular pain right. now for your back pain", where the punctuator cut "right now": a side needs a site
        sited = _SITED.search(phrase) or set(side_last[1].lower().split()) & set(lexicon("anatomy")["parts"])
        phrase = f"{side_last[2]} {side_last[1]}" if sited else side_last[1]
    phrase = re.sub(r"^(?:(?:your|the|his|her|this|that|a|an|some|all|current|chronic|with|of|for)\s+)+"
                    r"(?:(?:diagnosis|impression)\s+(?:is|of)\s+)?", "", phrase,
                    flags=re.I)  # "that your diagnosis is uncontrolled hypertension"
    phrase = re.sub(r"\s+(?:from|due to|related to|after|with|in|on|that|which|because|since|as|so|what|how|"
                    r"i|i'm|we|you|it's|that's|first of all|to begin with|to start with|continue|keep|stay)(?!\w).*$",
                    "", phrase, flags=re.I)  # unpunctuated: "of nicotine dependence first of all i just want to …",
    # "your coronary artery disease continue with your statin"
    phrase = re.sub(r"\s+(?:is|are) concerned$", "", phrase, flags=re.I)  # "as far as your diabetes is concerned"
    phrase = re.sub(r"(?:\s+(?:today|then|here|there|as well|too|now|so|okay|um|uh|and|but|or|again|as|diagnosis))+$",
                    "", phrase, flags=re.I)
    if re.fullmatch(r"(?:the )?(?:pain|discomfort|symptoms?|swelling|inflammation)"
                    r"(?: (?:and|or) (?:the )?(?:pain|discomfort|swelling|inflammation))?", phrase, re.I):
        return None  # "use some ice for the pain", "take that daily for the pain and swelling": of no part, no problem
    phrase = re.sub(r"\s+(?:your|his|her|their|the)\s+(?:first|second|third|fourth|next|last|other)\b.*$", "", phrase,
                    flags=re.I)  # "hypertension your third diagnosis of hypertension", "diabetes the second problem"
    phrase = " ".join(w for w in phrase.split() if w.lower() not in ("your", "his", "her", "their"))
    if len(phrase.split()) > 6 and len(both := re.split(r"\s+and\s+", phrase)) == 2 and all(
            problem_name(one) for one in both):  # "newly reduced left ventricular dysfunction and moderate mitral
        return phrase.lower()  # regurgitation": two diagnoses the clinician assesses as one problem
    if len(phrase.split()) <= 8 and (head := re.match(r"(\S+(?: \S+){0,2}) of the ", phrase)) and problem_name(
            head[1]):
        return phrase.lower()  # "ankle sprain of the lateral ligament complex": a diagnosis and where it is
    if not phrase or _CUE_STOP.match(phrase) or len(phrase.split()) > 6 or re.search(
            r"\b(?:exam|examination|vitals?)\b", phrase, re.I) or re.match(
            r"(?:likely |probably )?(?:related|due|secondary|because|from)\b|(?:i|we|you|it|let's)\b", phrase, re.I
    ) or re.search(r"\bto (?:be|get|make|help|keep|improve)\b", phrase, re.I):
        # "for your first problem, i think you have …": the cue's words begin a sentence; "for your heart failure to
        # be more successful": what something is for, not a problem named
        return None
    if find_named(phrase, "problems") or _DX_WORDS.search(phrase) or find_symptoms(phrase):
        return phrase.lower()
    if announced and len(phrase.split()) <= 3 and re.fullmatch(r"[a-z][a-z '/-]+", phrase, re.I) and not re.search(
            r"\b(?:it|that|this|one|thing|stuff|things|today|visit|plan|part|question)\b", phrase, re.I):
        # an operation taken up as a problem is the state after it ("the lobectomy" → "status post lobectomy")
        return f"status post {phrase.lower()}" if re.search(r"(?:ectomy|otomy|ostomy|plasty|pexy)$", phrase, re.I) \
            else phrase.lower()
    return None


def _impression(text: str) -> str | None:
    """The impression said, negation kept: "i don't believe it's well controlled" is "not well controlled"; a
    worse state denied ("i don't think it's worse") is no impression the note should word."""
    text = re.split(r"\b(?:caused by|due to|because of|secondary to|brought on by)\b", text, maxsplit=1, flags=re.I)[0]
    # "it sounds like this was caused by … uncontrolled hypertension": the cause's state, not this problem's
    match = next((m for m in _IMPRESSION.finditer(text) if not (
        (named := find_named(text[m.end():m.end() + 40], "problems")) and named[0].start() <= 1)), None)
    if not match:
        return None
    said = re.sub(r"^doing \w+ well$", "doing well", match[1].lower())
    if not re.search(r"(?:\bnot|n't|\bnever|\bno longer)\b(?:(?!\bbut\b)[^.;]){0,25}$", text[:match.start()], re.I):
        return said
    return None if _NEGATIVE_IMPRESSION.match(said) else f"not {said}"


# "for your congestive heart failure it sounds like this was caused by dietary indiscretion and some uncontrolled
# hypertension so …": what brought the problem on, said of it (not "which is caused by …", an explanation)
_CAUSED = re.compile(r"\b(?:this|it|that)(?:'s| was| is)\s+(?P<hedge>(?:likely|most likely|probably)\s+)?"
                     r"(?:caused by|due to|brought on by)\s+(?P<cause>[a-z ]{4,80}?)"
                     r"(?=\s+(?:so|that|which|and (?:i|we)|i|we|but)\b|[,.;?!]|$)", re.I)


# "this episode of chest pain, that could be related to severe hypertension or it could be related to some heart
# disease": the causes the clinician weighs (train D2N011)
_WEIGHED = re.compile(r"\b(?:that|this|it|which) (?:could|may|might) be (?:related to|due to|caused by|from) "
                      r"(?P<a>[a-z ]{3,40}?),? or (?:(?:that|this|it) (?:could|may|might) be (?:related to|due to|"
                      r"caused by|from) )?(?P<b>[a-z ]{3,40}?)(?=[,.;?!]|$|\s+(?:so|and|but)\b)", re.I)


def _cause(said: str) -> str | None:
    """What the clinician put the problem down to, in a note's words: "likely caused by dietary indiscretion and
    uncontrolled hypertension" ("sounds like" and "likely" keep it hedged), "possibly related to severe hypertension
    or heart disease"."""
    if weighed := _WEIGHED.search(said):
        causes = [re.sub(r"^(?:some|the|your|a|an)\s+", "", weighed[k].lower().strip()) for k in ("a", "b")]
        if all(find_named(c, "problems") or _DX_WORDS.search(c) for c in causes):
            return f"possibly related to {causes[0]} or {causes[1]}"
    if not (match := _CAUSED.search(said)):
        return None
    cause = re.sub(r"\b(?:your|the|some|a little bit of|a bit of)\s+", "", match["cause"].lower()).strip()
    if len(cause.split()) > 8 or re.search(r"\b(?:you|i|we|it|this|that|they|he|she)\b", cause):
        return None
    hedged = match["hedge"] or re.search(r"\b(?:sounds|looks|seems) like\b[^.?!]*$", said[:match.start()], re.I)
    return f"{'likely ' if hedged else ''}caused by {cause}"


def _count(n: str) -> str:
    return {"one": "1", "two": "2", "a couple": "a couple of"}.get(n.lower(), n.lower())  # words the guard can check


# "i'm gon na put you on a little bit of pain medicine. okay, so tramadol, 50 milligrams, every 6 hours": the
# prescription announced before the drug is named, often in a sentence of its own (the punctuator cuts the rest)
_ANNOUNCED = re.compile(r"\b(?:prescribe(?: you)?|put you on|start you on|give you|send in)\b[^.?!]{0,40}?"
                        r"\b(?:medications?|medicines?|nsaids?|anti-?inflammator(?:y|ies)|antibiotics?|"
                        r"pain (?:pills?|killers?))\b", re.I)


def _medication_items(part: str, seg: Segment, problem: str | None, announced: bool = False) -> list[PlanItem]:
    """The drugs ``part`` orders; ``announced``: a prescription was announced in the turn's parts just before."""
    items: list[PlanItem] = []
    result_if = _RESULT_IF.match(part)
    drugs = find_named(part, "medications")
    since = 0  # where the words before this drug begin: the last drug's end, or a class naming this drug
    for n, match in enumerate(drugs):
        drug = match[0].lower()
        named_next = drugs[n + 1] if n + 1 < len(drugs) else None
        if named_next and class_beside_member(drug, {generic_of(named_next[0]), named_next[0].lower()}) \
                and re.fullmatch(r"[\s,]*(?:that|called|which is|namely)?[\s,]*", part[match.end():named_next.start()]):
            continue  # "continue on that high dose statin that atorvastatin": the class names the drug said next
        # each drug takes the verb said closest before it and the dose said after it, up to the next drug
        # "we give you a little bit of anti-inflammatory medication or like a drug called meloxicam": the verb said
        # before the words that name it
        reach = 120 if re.search(r"\b(?:drug|medicine|medication|pill) called\s+$", part[:match.start()], re.I) else 60
        before = part[max(since, match.start() - reach):match.start()]
        since = match.end()
        after = part[match.start():drugs[n + 1].start() if n + 1 < len(drugs) else len(part)]
        verbs = [(m.end(), len(m[0]), name) for name, rx in _DRUG_ACTIONS for m in rx.finditer(before)]
        action = max(verbs)[2] if verbs else None  # the verb nearest the drug; "continue to take" over "take"
        if action == "start" and re.search(r"\byour\s+$", before, re.I):
            action = "continue"  # "start taking your iron pills with orange juice": a drug already taken
        clause = re.split(r"[,;.]\s*|\bso\b", before)[-1]  # "the epiduo was not covered, so we'll try …": not this one
        if (re.search(r"\b(not|don't|do not|won't|no need to)\b", clause, re.I)
                or _DEFERRED.search(part[:match.start()])
                or re.search(_WHETHER + r"\bif\b|\bif (?:we|you|he|she|they) (?:need|should|have to)\b",
                             part[result_if.end() if result_if else 0:match.start()], re.I)):
            # an order declined ("i don't want to increase…"), only considered ("we may give you iv iron", "we can
            # see if we need to prescribe you antibiotics"), not "to see if we can get you hydrated … i'll prescribe"
            continue
        if action is None and announced and not items and dose_of(after):
            action = "start"
        if action is None:
            # "increase the lisinopril to 20 mg and amlodipine 5 mg once a day": a drug with its dose in an order
            # whose verb is not said for it is written as said, without inventing the verb
            joined_on = re.sub(r"\bto\s+|\d+(?:\.\d+)?\s*(?:mg|milligrams?|mcg|micrograms?|units?)\b", "", before,
                               flags=re.I)
            for spoken in reversed(find(joined_on, "orders", ("frequencies",))):  # "aspirin 81 mg daily and brilinta"
                joined_on = joined_on[:spoken.start] + joined_on[spoken.end:]
            # "stay on 2 tylenol 500 mg and 2 ibuprofen 200 mg": both continued; an increase is not shared
            shared = items[-1].action if items and items[-1].action in ("start", "continue", "refill", "stop") else None
            dose = counted(dose_of(after), before)
            if n and items and re.fullmatch(r"[\s,]*(?:and|plus|also|(?:along )?with|as well as)[\s,]*"
                                            r"(?:(?:the|your|his|her|their|some)\s+)?(?:\d+\s+)?", joined_on) \
                    and (dose or shared or joined_on.strip(" ,") == "with"):  # "benzoyl peroxide with
                # clindamycin": a combination needs no dose of its own; "continue you on the lipitor 40 mg a day and
                # the aspirin and the metoprolol": a list shares its verb
                freq = frequency_of(after)
                text = _medication_text(shared, drug, dose, freq) if shared else sentence(
                    " ".join(x for x in (drug, dose, freq) if x))
                items.append(PlanItem(kind="medication", text=text, action=shared, target=drug, dose=dose,
                                      frequency=freq, problem=problem, evidence=[seg.id]))
            continue
        to_dose = re.search(r"\bto\s+(?=\d+(?:\.\d+)?\s*(?:mg|milligrams?|mcg|micrograms?|units?|grams?)\b)", after,
                            re.I)  # "from 10 mg to 20 mg": the new dose
        dose = counted(dose_of(after, to_dose.end() if to_dose else 0), before) or (
            units(said[1]) if (said := _DOSE_BEFORE.search(digits(before))) else None)
        if not dose and (strength := _STRENGTH.search(after)):
            dose = f"{strength['n']}% {strength['form'].lower()}"  # "clobetasol that's a 0.05 percent solution"
        freq = " ".join(x for x in (frequency_of(after), course_of(after)) if x) or None
        said_after = after[len(match[0]):]  # the words after the drug's name, up to the next drug
        text = _medication_text(action, drug + _form(said_after), dose, freq)
        if taken := _TAKEN_WITH.match(said_after):  # "start taking your iron pills with orange juice"
            text = f"{text[:-1]}, taken {taken[1].lower()}."
        if result_if:  # "and if that's positive i want to prescribe amoxicillin": ordered on the test's result
            text = f"If {result_if['result'].lower()}, {text[0].lower()}{text[1:]}"
        if action == "stop" and re.search(r"\bbefore(?:hand| (?:the |your )?(?:surgery|procedure|operation))\b", part,
                                          re.I):
            # "before surgery we'll have to get you off your clopidogrel for a week beforehand": held, not stopped
            long = re.search(r"\bfor (an? \w+|\d+ \w+) (?:before|prior)", part, re.I)
            text = sentence(f"Hold {drug}" + (f" for {long[1]}" if long else "") + " before surgery")
        items.append(PlanItem(kind="medication", text=text, action=action, target=drug, dose=dose, frequency=freq,
                              reason=f"if {result_if['result'].lower()}" if result_if else None, problem=problem,
                              evidence=[seg.id]))
    return items


# a topical's strength, said with its form: "a 0.05 percent solution"
_STRENGTH = re.compile(r"\b(?P<n>\d*\.\d+)\s*(?:percent|%)\s+"
                       r"(?P<form>solution|cream|ointment|gel|lotion|shampoo|foam)\b", re.I)
# "a lidocaine swish and swallow", "mederma scar gel": the form is part of what is ordered
_FORM = re.compile(r"^\s+(?:(?:viscous|topical|scar|nasal|eye)\s+)?(swish and swallow|cream|gel|ointment|patch(?:es)?|"
                   r"eye drops|drops|nasal spray|spray|inhaler|solution|suspension|lotion|mouthwash|rinse|shampoo|"
                   r"suppositor(?:y|ies))\b", re.I)


# how the drug is to be taken, said right after it: "your iron pills with orange juice", "with food"
_TAKEN_WITH = re.compile(r"^\s+(?:pills?|tablets?|capsules?|supplements?)?\s*(with (?:orange juice|food|meals?|a meal|"
                         r"a full glass of water|milk)|on an empty stomach)\b", re.I)


def _form(after: str) -> str:
    """The form said right after a drug (" swish and swallow"), or ''."""
    return f" {form[0].strip().lower()}" if (form := _FORM.match(after)) else ""


def _medication_text(action: str, drug: str, dose: str | None, freq: str | None) -> str:
    """The order as the plan writes it ("Increase lisinopril to 20 mg daily.", "Start Motrin 800 mg …"); also
    rewritten when the dose or frequency is said in a later sentence."""
    how = " ".join(x for x in (dose, freq) if x)
    what = " ".join(x for x in (drug, how) if x)
    text = {"increase": f"Increase {drug} to {how}" if dose else f"Increase {drug}",
            "decrease": f"Decrease {drug} to {how}" if dose else f"Decrease {drug}",
            "stop": f"Stop {drug}", "continue": f"Continue {what}", "refill": f"Refill {what}",
            "start": f"Start {what}", "switch": f"Switch to {what}", "may": f"May take {what}"}[action]
    return sentence(text)


# where the image is taken: "an mri of your left shoulder", "x-rays of both your knees"
_SITE = re.compile(r"\s+(?:of|on|for)\s+(?:the\s+|your\s+|his\s+|her\s+|that\s+|this\s+)?(?:your\s+)?"
                   r"(?P<site>(?:(?:left|right|both|lower|upper)\s+)?(?:(?:lumbar|cervical|thoracic)\s+)?"
                   r"(?:spine|neck|back|shoulders?|knees?|hips?|ankles?|feet|foot|wrists?|hands?|elbows?|fingers?|"
                   r"chest|lungs|abdomen|pelvis|liver|kidneys?|breasts?|lower extremities|head|brain|sinuses|thyroid|"
                   r"heart|carotids?|renal arteries|gallbladder|leg|legs|arm|forearm))\b", re.I)


_GENERIC_TESTS = ("blood work", "labs", "imaging")  # the lexicon's words for tests not yet named


def _without_generic_tests(items: list[PlanItem]) -> list[PlanItem]:
    """Each problem's plan with "Order blood work." (or "imaging") only where no test is named: beside "Order Lyme
    titer and Western blot." or a second "Order labs." it repeats an order (round 23, D2N082 and D2N087)."""
    def generic(item: PlanItem) -> bool:
        return item.kind == "test" and (item.target or "").lower() in _GENERIC_TESTS

    def named(item: PlanItem) -> set[str | None]:  # the problems with a test of the generic one's kind named
        kind = "imaging" if (item.target or "").lower() == "imaging" else "test"
        return {i.problem for i in items if i.kind == kind and not generic(i)}

    first: dict[tuple[str | None, bool], PlanItem] = {}
    for item in items:
        if generic(item):
            first.setdefault((item.problem, item.target == "imaging"), item)
    return [i for i in items if not generic(i) or (first[(i.problem, i.target == "imaging")] is i
                                                   and i.problem not in named(i))]


def _order_items(part: str, seg: Segment, problem: str | None, person: Person) -> list[PlanItem]:
    hits = find(part, "orders", ("tests",))
    imaging = set(lexicon("orders")["imaging"]["kinds"])
    tests: list[str] = []
    sited: list[str] = []  # as the order is written: "MRI of the left shoulder"
    listed: int | None = None
    first = len(part)  # where the first test ordered is named
    for hit in hits:  # "order … an MRI", not "the MRI showed"; "a basic metabolic panel, a urinalysis and a …"
        said_before = part[max(0, hit.start - 40):hit.start]
        if re.search(r"\b(?:they|the specialists?|the surgeon)\s+(?:\w+\s+){0,2}(?:do|did|get|got|order|ordered|"
                     r"recommended)\s+"
                     r"(?:an?\s+|some\s+)?$", said_before, re.I):
            continue  # "they sometimes will do an ultrasound as an extension of their physical exam": the specialist's
        clause = re.split(r"[,;.]|\b(?:and|so|but)\b", part[:hit.start])[-1]
        if re.search(r"\b(?:not|never|no need to)\b|n't\b", clause, re.I) and not re.search(r"\bif\b", clause, re.I):
            listed = None  # "and i won't be checking your vitamin d level for some time": no order (D2N021); not "if
            continue  # it doesn't get better then we can get an x-ray", a condition
        if _ORDER.search(said_before) or tests and re.search(r"\bas well(?: as)?\s+(?:an?\s+|the\s+|some\s+)?$",
                                                               said_before, re.I) or (
                listed is not None and re.fullmatch(r"[\s,]*(?:and\s+|or\s+|like\s+|including\s+|such as\s+|"
                                                    r"(?:so )?(?:that )?includes?\s+(?:checking\s+)?(?:your\s+)?)?"
                                                    r"(?:an?\s+|the\s+|some\s+)?",
                                                    part[listed:hit.start], re.I)):
            tests.append(hit.term)
            first = min(first, hit.start)
            site = _SITE.match(part[hit.end:]) if hit.term in imaging else None
            sited.append(f"{hit.term} of the {site['site'].lower()}" if site else hit.term)
            listed = hit.end
        else:
            listed = None
    # "the x-ray showed", not "based on what the urinalysis shows we can decide": a result still to come
    read = re.sub(r"\b(?:based on|depending on|see) what\b[^.;]*?\bshows?\b", "", part, flags=re.I)
    if not tests or re.search(r"\b(shows?|showed|came back|results? (?:of|from))\b", read, re.I):
        return []
    said = part[:max(h.end for h in hits)]  # "… the visual field test and you may not be able to see …": after it
    # "prior to coming in we did an x-ray", "the x-ray was done": said before the test or of it; not "order an echo to
    # follow up on that heart murmur that you had", where what was had is the murmur
    # "you already have a strainer … and i'm also gon na order a bmp": what was done is said in the test's clause
    clause = re.split(r"[,;]|\b(?:and|so|but)\b(?! we did\b)", part[:first])[-1]
    done = _DONE.search(clause) or re.search(r"^\W*(?:that |which )?(?:(?:you|we) )?(?:had|got|did|was|were)\b",
                                             part[min(h.end for h in hits):], re.I)
    if _DEFERRED.search(said) or done or _IF_SO.search(part):
        return []  # "we could do an EGD", "let's hold off", "prior to coming in we did an x-ray", "if that happens,
        # we'll get you scheduled for an EGD": not an order today
    condition = _CONDITION.search(part)
    if condition and re.search(r"\b(?:call|contact|let me know|come back|return)\b[^.?!]{0,20}$",
                               part[:condition.start()], re.I):
        condition = None  # "call me if you have any shortness of breath": the condition is the call's, not the order's
    if condition:
        cond = plain(condition["cond"]).rstrip(" ,.")
        return [PlanItem(kind="test",
                         text=sentence(f"{joined(list(dict.fromkeys(tests)))} if {addressed(cond, person)}"),
                         action="order",
                         target=joined(list(dict.fromkeys(tests))), reason=f"if {cond}", problem=problem,
                         evidence=[seg.id])]
    if re.search(r"\b(?:blood work|blood tests?|labs?|lab work)\s+"
                 r"(?:(?:so )?(?:that )?includes?|like|including|such as)\b", part, re.I):
        # "some blood tests like a ca-125 and hcg": the tests named, not the word for them
        named = [t for t in tests if t not in _GENERIC_TESTS]
        sited, tests = ([t for t in sited if t not in _GENERIC_TESTS], named) if named else (sited, tests)
    tests = list(dict.fromkeys(tests))
    # "another mri", not "to take another look at this": a repeat names the test again
    verb = "Repeat" if re.search(r"\b(repeat|recheck)\b|\banother\W+(?!look\b|peek\b|check\b)", part, re.I) else "Order"
    reason = (f"to rule out {plain(rule_out['what'])}" if (rule_out := _RULE_OUT.search(part))
              else _purpose(part[max(h.end for h in hits):], person))
    kind = "imaging" if all(t in imaging for t in tests) else "test"
    return [PlanItem(kind=kind, text=sentence(f"{verb} {joined(list(dict.fromkeys(sited)))} {reason or ''}"),
                     action="order", target=joined(tests), reason=reason, problem=problem, evidence=[seg.id])]


def _purpose(after: str, person: Person) -> str | None:
    """"to evaluate the heart murmur", said right after the test: kept only when it names something (not "to
    check on that")."""
    match = _PURPOSE.match(plain(after[:90]).lstrip(" ,"))
    if not match:
        return None
    what = re.sub(r"^(?:that|this)\s+", "the ", match["what"].strip(), flags=re.I)
    what = addressed(what, person)
    if (len(what.split()) > 7 or len(re.findall(r"[a-z]{4,}", what.lower())) < 1 or re.search(
            r"\b(i|me|my|we|us|our|it|things?|that|this|everything|how|what|these|those|any)\b", what, re.I)):
        return None
    verb = "for evaluation of" if match["verb"].lower().startswith("for") else match["verb"].lower().strip()
    return f"{verb} {what}"


_DEVICE = re.compile(r"\b(?:put (?:you|him|her) in|give (?:you|him|her)|prescribe(?: you| him| her)?|be given|"
                     r"get (?:you|him|her)|"
                     r"fit (?:you|him|her) (?:with|for)|put(?= (?:an? |some |the )?(?:orthotics?|insoles?|inserts?)\b)|"
                     r"have (?:you|him|her) (?:use|wear)|use|wear|provide)\s+(?:a |an |some |the )?"
                     r"(?P<what>(?:[a-z-]+ ){0,2}(?:brace|splint|sling|crutches|boot|walker|cane|cast|immobilizer|"
                     r"compression stockings|nebulizer|cpap|heating pad|ice packs?|orthotics?|insoles?|inserts?|"
                     r"strainer))\b",
                     re.I)


def _device_items(part: str, seg: Segment, problem: str | None) -> list[PlanItem]:
    """"put you in a knee brace", "have you use some crutches": devices given, written as a plan recommends them
    ("Knee brace recommended.", as "Surgery recommended."; a bare "Brace." read as a list entry, round 23)."""
    out = []
    for match in _DEVICE.finditer(part):
        if _DEFERRED.search(part[:match.start()]) or re.search(r"\bif\b", part[:match.start()], re.I):
            continue
        # "use of a cane"
        what = re.sub(r"^(?:of\s+)?(?:a |an |the )?(?:little|small|new|good)?\s*", "", match["what"].lower())
        if re.fullmatch(r"(?:shoe )?inserts?", what) and re.search(r"\borthotics?\b", part, re.I):
            what = "orthotics"  # "we put an insert in your shoe called an orthotic"
        what = re.sub(r"^strainer$", "urine strainer", what)  # "give you a strainer so you can strain your urine"
        course = course_of(part[match.end():match.end() + 60])  # "crutches temporarily for the next couple days"
        out.append(PlanItem(kind="other", text=sentence(" ".join(x for x in (what, "recommended", course) if x)),
                            action="device",
                            target=what, problem=problem, evidence=[seg.id]))
    return out


def _procedure_items(part: str, seg: Segment, problem: str | None) -> list[PlanItem]:
    """"i think the best course of action is gon na be for surgery": a procedure the clinician recommends; each one
    of run-on dictation ("i would perform a hysterectomy … i then recommend chemotherapy")."""
    out: list[PlanItem] = []
    last = 0
    for match in _PROCEDURE.finditer(part):
        before, last = part[last:match.start()], match.end()  # "i would perform a …": the words since the last one
        if _DEFERRED.search(before) or re.search(  # "no, because …": an answer's "no" is not the
                r"\b(?:if|not|no|don't)\b", part[max(0, match.start() - 30):match.start()], re.I):  # procedure's
            continue
        what = re.sub(r"\b[a-z]\d+-[a-z]\d+\b", lambda level: level[0].upper(), plain(match["what"]).lower())  # C7-T1
        what = re.sub(r"\bapproach$", "surgery", what)  # "we would do what's called a transsphenoidal approach"
        if match["doing"]:  # "i'm going to do a debridement today in the office": done at this visit
            today = " today" if re.match(r"\W*(?:\w+\W+){0,3}?today\b", part[match.end():], re.I) else ""
            out.append(PlanItem(kind="procedure", text=sentence(f"{what} to be performed{today}"), action="perform",
                                target=what, problem=problem, evidence=[seg.id]))
            continue
        if (regimen := _REGIMEN.match(part[match.end():])) and all(
                find_named(d, "medications") for d in re.split(r"\s*,\s*|\s+and\s+", regimen["drugs"])):
            what = f"{what} with {plain(regimen['drugs'])}"
        out.append(PlanItem(kind="procedure", text=sentence(f"{what} recommended"), action="recommend", target=what,
                            problem=problem, evidence=[seg.id]))
    return out


def _continued_items(part: str, seg: Segment, problem: str | None) -> list[PlanItem]:
    """"continue with the current regimen of your chemotherapy … and your current dose of radiation": each treatment
    under way that the plan keeps ("Continue chemotherapy.", "Continue radiation.")."""
    out: list[PlanItem] = []
    for match in _CONTINUED.finditer(part):
        what = {"chemo": "chemotherapy", "radiation therapy": "radiation"}.get(match["what"].lower(),
                                                                            match["what"].lower())
        if not _DEFERRED.search(part[:match.start()]) and what not in [i.target for i in out]:
            out.append(PlanItem(kind="procedure", text=sentence(f"Continue {what}"), action="continue", target=what,
                                problem=problem, evidence=[seg.id]))
    return out


# "i wan na go ahead and talk to your primary care physician", "i will talk to your cardiologist": care coordinated
_TALK_TO = re.compile(r"\b(?:i|we)(?:'ll| will|'m gon na| am gon na|'m going to| am going to| wan na| want to)"
                      r"(?: go ahead and)? (?:talk|speak|reach out|touch base) (?:to|with) (?:your|the) "
                      r"(?P<who>[a-z ]{3,40})", re.I)


def _discussed_items(part: str, seg: Segment, problem: str | None) -> list[PlanItem]:
    if not (talk := _TALK_TO.search(part)) or _DEFERRED.search(part[:talk.start()]) or not (
            to := find(talk["who"], "orders", ("referrals",))) or to[0].start:
        return []
    return [PlanItem(kind="other", action="discuss", text=sentence(f"Will discuss with {to[0].term}"),
                     target=to[0].term, problem=problem, evidence=[seg.id])]


def _referral_items(part: str, seg: Segment, problem: str | None) -> list[PlanItem]:
    """"i'm going to refer you to cardiology" → "Refer to cardiology."; "i want you to follow up with your
    endocrinologist" → "Follow up with endocrinology." (the patient's own specialist, seen again)."""
    if _REFERRED_BEFORE.search(part):
        return []
    again = _FOLLOW_WITH.search(part)
    # "so may wan na continue to follow up with your pcp": the patient's own doctor recommended, not deferred
    before = re.sub(r"(?:\byou\s+|^(?:so\s+)?)(?:may|might) (?:wan na|want to)\s+(?:continue to\s+)?$", "",
                    part[:again.start()], flags=re.I) if again else ""
    if again and (_DEFERRED.search(before) or re.search(  # "you don't need to follow up with the
            r"\b(?:not|no|never|don't|do n't)\b", before, re.I) or re.search(  # surgeon anymore"
            r"\banymore\b", part[again.end():again.end() + 20], re.I)):
        return []
    if again and (to := find(again["who"], "orders", ("referrals",))):
        return [PlanItem(kind="referral", text=sentence(f"Follow up with {to[0].term}"), action="follow up",
                         target=to[0].term, problem=problem, evidence=[seg.id])]
    named = [h.term for h in find(part, "orders", ("referrals",))]
    if not (refer := _REFER.search(part)) or not named:
        return []
    # "if your symptoms continue, … possibly referral to physical therapy", "we'll refer you … if we need to"
    when = re.search(r"\bif (?:your |the )?(?P<what>symptoms (?:continue|persist|get worse|worsen))|"
                     r"\bif (?:we need to|needed|necessary)\b|\bpossibly\b", part, re.I)
    condition = f" if {when['what'].lower()}" if when and when["what"] else " if needed" if when else ""
    # "i'm gon na recommend after surgery that we get you to physical therapy", "get you into physical therapy a few
    # weeks after surgery" (not "refer you to the eye doctor … prior to surgery. and we can monitor after surgery")
    if not condition and (re.search(r"\bafter (?:the |your )?surgery\b", part[:refer.start()], re.I) or re.search(
            r"^[^.?!]{0,60}?\b(?:\w+ weeks? )?(?<!until )after (?:the |your )?surgery\b", part[refer.end():], re.I)):
        condition = " after surgery"
    return [PlanItem(kind="referral", text=sentence(f"Refer to {joined(list(dict.fromkeys(named)))}{condition}"),
                     action="refer", target=named[0], problem=problem, evidence=[seg.id],
                     reason=condition.strip() or None)]


_WILL_FOLLOW_UP = "The patient will follow up"  # a sentence with its subject, as notes write it ("Follow up in …"
# read as an order to the reader)


# "if it doesn't get better, give us a call and we'll see you some time next week": a visit only on that condition
_VISIT_IF = re.compile(r"(?:^|[,;]\s*|\b(?:and|so|but|okay)\s+)if (?P<cond>(?:it|you|he|she|things|this|that|the \w+|"
                       r"your \w+|symptoms?)\b[^,.?!]{2,50}?)(?=,|\s+(?:then|give (?:me|us) a call|call|come back)\b)",
                       re.I)


def _conditional(item: PlanItem, part: str, at: int, person: Person) -> PlanItem:
    """The follow-up said at ``at``, on the condition said before it in the same part, if any."""
    if cond := next((c for c in _VISIT_IF.finditer(part) if c.end() <= at), None):
        said = addressed(plain(cond["cond"]), person)
        item.text = sentence(f"If {said}, {item.text[0].lower()}{item.text[1:]}")
        item.reason = f"if {said}"
    return item


# "you want to come back and revisit, maybe six months?" — "yeah, i will do that": a visit proposed and agreed
_PROPOSED = re.compile(r"\b(?:come back|see you(?: again| back)?|follow up)\b[^.?!]{0,30}?\b(?:in|maybe|about|like)\s+"
                       r"(?:(?:about|maybe|like)\s+)?(?P<n>\d+|a|an|a couple(?: of)?|a few)\s+"
                       r"(?P<unit>days?|weeks?|months?|years?)\W*\?$", re.I)
_AGREED = re.compile(r"^\W*(?:yes|yeah|yep|sure|okay|ok|sounds good|that's fine|that works|i will|i can)\b", re.I)


def _follow_up_agreed(part: str, seg: Segment, reply: list[Segment]) -> list[PlanItem]:
    """The follow-up visit the clinician proposes as a question, when the patient's reply agrees to it."""
    if not (match := _PROPOSED.search(part)) or not reply or reply[0].role == Role.clinician \
            or not _AGREED.match(reply[0].text):
        return []
    return [_visit(f"in {_interval(match)}", _interval(match), [seg.id, reply[0].id])]


# "and when do i come back in to see you?" — "in a year, but you should have another mammogram …" (train D2N031)
_WHEN_BACK = re.compile(r"\bwhen (?:do|should|will|would) (?:i|we) (?:come back|come in|see you|follow up|return)|"
                        r"\bwhen (?:do|would) you (?:want|like) to see me\b", re.I)
_IN_INTERVAL = re.compile(r"^\W*(?:(?:um|uh|so|well|let's say|probably|maybe)\W+)*(?:in\s+)?(?:about\s+|another\s+)?"
                          r"(?P<n>\d+|one|two|a|an|a couple(?: of)?|a few)\s+(?P<unit>days?|weeks?|months?|years?)\b",
                          re.I)


def _follow_up_answered(seg: Segment, asked: Segment | None) -> list[PlanItem]:
    """The interval the clinician gives when the patient asks when to come back."""
    if asked is None or asked.role == Role.clinician or not _WHEN_BACK.search(asked.text) or not (
            match := _IN_INTERVAL.match(digits(spoken_clean(seg.text)))):
        return []
    return [_visit(f"in {_interval(match)}", _interval(match), [asked.id, seg.id])]


def _visit(when: str, interval: str, evidence: list[str], target: str | None = None) -> PlanItem:
    """The follow-up visit as the plan writes it: "The patient will follow up in 4 weeks."."""
    return PlanItem(kind="follow_up", text=sentence(f"{_WILL_FOLLOW_UP} {when}"), interval=interval, target=target,
                    evidence=evidence)


def _interval(match: re.Match[str]) -> str:
    """The interval said ("a couple of weeks", "6 months", "a week"), its unit agreeing with its count."""
    n, unit = _count(match["n"]), match["unit"].lower()
    unit = unit.rstrip("s") if n in ("1", "a", "an") else unit if unit.endswith("s") else unit + "s"
    return f"{n} {unit}"


def _follow_up(part: str, seg: Segment, person: Person) -> list[PlanItem]:
    if (match := _FOLLOW.search(part) or _FOLLOW_BEFORE.search(part) or _NEXT_VISIT.search(part)) \
            and _VISIT_IF.search(part[:match.start()]):
        return [_conditional(item, part, match.start(), person) for item in _follow_up(part[match.start():], seg,
                                                                                          person)]
    if match := _FOLLOW.search(part) or _FOLLOW_BEFORE.search(part):
        interval = _interval(match)
        # "it's a day surgery … and then you will follow up with me … in about a week": a week after the surgery
        said = spoken_clean(seg.text).lower()
        before = said[:max(said.find(" ".join(match[0].lower().split()[:3])), 0)]
        after = " after surgery" if re.search(r"\bthen\b[^.?!]{0,30}$", part[:match.start()], re.I) and re.search(
            r"\b(?:surgery|procedure|operation)\b[^?!]{0,160}$", before) else ""
        return [_visit(f"in {interval}{after}", interval + after, [seg.id], target=after.strip() or None)]
    if _AS_NEEDED.search(part):
        return [_visit("as needed", "as needed", [seg.id])]
    if match := _NEXT_VISIT.search(part):
        return [_visit(match[1].lower(), match[1].lower(), [seg.id])]
    if match := _FOLLOW_AFTER.search(part):
        when = f"after {match['what'].lower()}"
        return [_visit(when, when, [seg.id], target=when)]
    if _CALL_WITH_RESULTS.search(part):  # a call besides any visit: its own item
        return [PlanItem(kind="follow_up", text="Will call with the results.", target="results call",
                         evidence=[seg.id])]
    return []


# "so anytime you get blood just make sure you say that you have a history of an iga deficiency": what to tell the
# next clinician, on the occasion said (valid D2N082)
_DISCLOSE = re.compile(r"\b(?P<when>(?:anytime|any time|whenever|if|when) you [^.?!,]{3,60}?),?\s+(?:just\s+)?"
                       r"(?:make sure|be sure)(?: that)? you (?:tell|say|let (?:them|people|anyone) know|mention)"
                       r"(?: (?:them|people|anyone|everyone))?(?: that)? you(?P<verb>'re| are| have| had)\s+"
                       r"(?P<what>[^.?!]{3,60}?)\W*$", re.I)


def _disclosure(part: str, seg: Segment, problem: str | None, person: Person) -> list[PlanItem]:
    if not (match := _DISCLOSE.search(plain(part))):
        return []
    what = re.sub(r"\b(?:a|an|the)\s+(?=(?:a|an|the)\b)", "", match["what"], flags=re.I)  # "a an an iga …"
    told = addressed(f"you{match['verb']} {what}", person)
    return [PlanItem(kind="education", text=sentence(f"Advised to tell providers that {told} "
                                                     f"{addressed(match['when'], person)}"),
                     target=plain(match[0]), problem=problem, evidence=[seg.id])]


def _advice(part: str, seg: Segment, problem: str | None, person: Person) -> list[PlanItem]:
    if told := _disclosure(part, seg, problem, person):
        return told
    if re.search(rf"\b(?:{terms_alternation('exam_manoeuvres')})\b", seg.text, re.I) or re.search(
            r"\bso (?:that )?you can (?:\w+\W+){0,2}?(?:play|go|get back|enjoy)\b", part, re.I):
        return []  # "now keep your eyes closed" while examining; "so you can play your soccer": no advice
    if (match := _RETURN.search(part) or _RETURN_IF_FIRST.search(part)) and not _COURTESY.fullmatch(
            match["cond"].strip()) and not (
            re.search(r"\b(?:push|press) (?:on|down)\b", seg.text, re.I)
            and re.match(r"(?:you have |you feel |it |that |this )?(?:any )?(?:pain|hurts?)\b", match["cond"].strip(),
                         re.I)):  # "i'm going to push on your belly, let me know if you have any pain": the exam's
        cond = plain(match["cond"])  # "call if you need anything else" is courtesy, not a return precaution
        return [PlanItem(kind="return_precautions",
                         text=sentence(f"Return precautions: contact the office if {addressed(cond, person)}"),
                         target=cond, problem=problem, evidence=[seg.id])]
    if match and _COURTESY.fullmatch(match["cond"].strip()):
        return []  # "i want you to call me or message me in the portal if you have any concerns": courtesy
    # "so we will check your ankles at the next visit please keep a diary": advice begun mid-sentence
    please = re.search(r"(?<!\byes )\bplease\b", part, re.I) or _AVOID_AFTER.search(part)
    part = re.split(r"\s+and\s+(?=(?:we|i)(?:'ll|'re|'m| will| can| are| am)?\s+(?:go ahead and\s+)?(?:refer|order|"
                    r"get|send|see|follow)\b)", part, maxsplit=1)[0]  # "… avoid any strenuous activity and we can go
    # ahead and refer you to physical therapy": the advice is the clause before the referral
    if find_named(part, "medications"):  # "apply ice to the elbow … and i want you to take ibuprofen": the advice
        part = re.split(r"\s+and\s+(?=i (?:want|need|would like) you to\b)", part, maxsplit=1)[0]  # before the drug
    match = _ADVICE.match(part) or (_ADVICE.match(part[please.start():]) if please else None)
    if not match or find_named(part, "medications") or re.search(r"\b(order|refer|follow)\b", part, re.I):
        return []
    said = re.sub(r"^(?:(?:go ahead and|just|also|try to(?= avoid\b)|do(?= try\b))\s+)+", "", plain(match["what"]),
                  flags=re.I)
    if _DICTATING.match(said) or re.match(r"(?:what|how|why|when|where|who)\b|(?:go ahead and\W+)?(?:sit|lie|lay|stand|"
                                          r"hop|scoot|close|get dressed|take a (?:moment|seat|deep breath))\b", said,
                                          re.I):  # "go ahead and, um, sit down please", "you can close your gown now"
        # "please summarize the patient's history", "please feel free to ask": not advice to the patient; "i would
        # like you to what have those been running": the sentence broke off into a question
        return []
    # "what i want you to watch for is those infections": the object of "watch for" said after "is"
    said = re.sub(r"^((?:watch|look) (?:out )?for) (?:is|are) (?:those|these|the|any)?\s*", r"\1 ", said, flags=re.I)
    # "i want you to hold off for the next couple of weeks on doing any pottery work": an activity to avoid, not a
    # treatment deferred ("we could hold off on surgery", which ``_DEFERRED`` keeps out)
    said = re.sub(r"^hold off\s+(?:for [\w ]{3,30}?\s+)?on\s+|^not (?=\w+ing\b)", "avoid ", said, flags=re.I)
    said = re.split(r"(?<!\bfacilitate)(?<!\bhelp)(?<!\ballow)(?<!\blet)"
                    r"\s+(?=(?:you|he|she|they|it|which|so|then|because|for (?:your|the)|i (?!am\b)\w+)\b)"
                    r"|(?<!\boff)(?<!\bon)(?<!\bin)(?<!\bto)(?<!\bfor)(?<!\bwith)(?<!\bice)(?<!\bpassing)\s+(?=(?:that|this)\b)"
                    r"|,\s*(?:and|so|but)\b|\s+(?=(?:what|any) (?:kind of |other |more )?questions\b)", said,
                    maxsplit=1, flags=re.I)[0]
    # "strain your urine to see if | it passes", "keep your leg elevated when | you sit": the stub goes
    said = re.sub(r"(?:\s+(?:(?:to see|to check|to make sure|to find out)\s+)?(?:if|when|whether|while|until|as|how|"
                  r"what|and|or|but)\W*)+$", "", said, flags=re.I)
    what = re.sub(r"\b(?:that|those)(?= \w+\W*$)", "the", addressed(said, person))  # "stay off that leg"
    if re.match(r"(?:take|use|apply|give) (?:it|them|that|this|\d+(?: to \d+)? (?:tablets?|pills?|capsules?))\b|"
                r"(?:go )?see (?:a|an|the|your)\b", said, re.I):
        return []  # "take it every 6 hours": a dosing instruction whose drug is in another sentence; "see a
        # nutritionist": a referral
    if rested := re.fullmatch(r"((?:continue to )?(?:rest|ice|elevate))(?: (?:it|that|them))?\W*", what, re.I):
        what = said = rested[1]  # "i want you to rest it", "continue to ice it": the site is the problem's
    elif len(re.findall(r"[a-z]{3,}", what.lower())) < 3 or what.endswith("?") or re.search(
            r"\b(i|me|my|we|us|our|okay|right)\b", what, re.I):
        return []
    if _DEFERRED.search(what):
        return []
    kind = "lifestyle" if re.search(r"\b(diet|salt|exercise|weight|walk|smok|alcohol|drink|sleep|eat|food|"
                                    r"activity|pilates|yoga|stretch)\w*", what, re.I) else "education"
    return [PlanItem(kind=kind, text=sentence(f"Advised to {units(what)}"), target=units(said).rstrip("."),
                     problem=problem, evidence=[seg.id])]


# "i don't think we need to do any more workup of that": a decision the plan records, though nothing is ordered
# (a filler the transcript set off by commas leaves one: "do any further, work up of that")
_NO_NEED = re.compile(r"\bi (?:do not|don't|do n't) think (?:that )?(?:we|you) (?:need|have) to "
                      r"(?P<what>(?:[^.?!,]+?(?:more|further|additional),\s)?[^.?!,]+)", re.I)
_NO_MORE = re.compile(r"^(?:do |get |have )?(?:any )?(?:more|further|additional),? "
                      r"(?P<what>work ?-?up|testing|tests|imaging)\b", re.I)
_NO_VISIT = re.compile(r"^(?:follow up|see|go back to|keep seeing) (?:with )?(?:the|your|a|an) (?P<who>[a-z]+)\b", re.I)


# "i'm not gon na make any changes there", "right now i would not change your dose": the treatment kept as it is
_NO_CHANGE = re.compile(r"\b(?:i'm|i am|we're|we are) not (?:going to|gon na) make any (?:changes|adjustments)\b|"
                        r"\bi (?:would not|wouldn't|would n't|won't|wo n't|will not) change (?:your|the) "
                        r"(?:dose|doses|medications?|regimen)\b", re.I)


def _decisions(part: str, seg: Segment, problem: str | None) -> list[PlanItem]:
    """Work-up, follow-up or changes the clinician decided against, in the register ("No need for further
    workup.", "Continue the current regimen.": the reference plans' "Continue current regimen", and no negation the
    guard would have to scope)."""
    match = _NO_NEED.search(plain(part))
    what = match["what"].strip() if match else ""
    if ((kept := _NO_CHANGE.search(part)) and not re.search(r"\bif\b", part[:kept.start()], re.I)
            or re.match(r"make any (?:changes|adjustments)\b", what, re.I)):
        return [PlanItem(kind="other", action="continue", text="Continue the current regimen.",
                         target="current regimen", problem=problem, evidence=[seg.id])]
    if not match:
        return []
    if more := _NO_MORE.match(what):
        text = f"No need for further {re.sub(r'work ?-?up', 'workup', more['what'].lower())}."
    elif (visit := _NO_VISIT.match(what)) and visit["who"].lower() not in ("you", "me", "us", "it", "that"):
        text = f"No need for further follow-up with the {visit['who'].lower()}."
    else:
        return []
    return [PlanItem(kind="other", action="none", text=text, target=what, problem=problem, evidence=[seg.id])]


# what the clinician decides, never asks: "i'm gon na keep you on", "we'll continue", "let's start"
_DECIDED = re.compile(r"\b(?:i'm gon na|i am going to|i'm going to|we're gon na|we are going to|i want to|i'd like to|"
                      r"we'll|we will|i'll|i will|let's|keep you on)\b", re.I)


_ASKED_THEN_DECIDED = re.compile(r"\bquestions?\b[^?]*?\band\s+(?:i|we)(?:'ll| will|'m| am| want to| wan na|'d like to)"
                                 r"\s+(?:gon na |going to )?(?:go ahead and |just )*(?:order|get|prescribe|start|refer|"
                                 r"send)\b", re.I)
_AFTER_ANNOUNCED = 4  # "i'm gon na prescribe you some medications. i don't … gummies. but the medications. i'm
# gon na give. you are gon na be meloxicam 15 milligrams": how many parts later the announced drug may be named


def find_plan(segments: list[Segment], person: Person, assessed: set[str]) -> tuple[list[Problem], list[PlanItem]]:
    """Problems (in the order the clinician takes them up) and plan items.

    Orders, prescriptions and advice count wherever the clinician says them (a short visit has no plan phase
    of its own); problems are taken up only in the segments of ``assessed`` (the plan and results phases),
    where "for your diabetes, …" opens a problem rather than a question about it.
    """
    problems: dict[str, Problem] = {}
    items: list[PlanItem] = []
    current: str | None = None
    taken_up: list[tuple[str, str]] = []  # what was said while a problem was being planned, and that problem
    for n, seg in enumerate(segments):
        if seg.role != Role.clinician:
            if len(problems) > 1 and (len(seg.text.split()) > 8 or seg.text.rstrip().endswith("?")):
                current = None  # the clinician answers the patient's question: not the last of several problems
            continue
        since_announced = _AFTER_ANNOUNCED  # parts since a prescription was announced in this turn
        items += _follow_up_answered(seg, segments[n - 1] if n else None)
        condition = None  # the condition the part before set: "call the office if you have any more episodes"
        for part in _numbered_joined([piece for said in statements(seg.text) for piece in _at_cues(said)]):
            if condition and (that := _IF_THAT.match(part)):
                part = f"if {condition}, {part[that.end():]}"  # "if that happens, we'll get you scheduled for an egd"
            said_if = _RETURN.search(part) or _RETURN_IF_FIRST.search(part) or _CONDITION.search(part)
            condition = re.split(r"\s+or\s+|,", plain(said_if["cond"]))[0].strip() if said_if else None
            since_announced += 1
            if _ANNOUNCED.search(part) and not find_named(part, "medications"):
                since_announced = 0
            if part.endswith("?") and (seg.id in assessed and _PROBLEM_CUE.search(part) and _DECIDED.search(part)
                                       or _ASKED_THEN_DECIDED.search(part)):
                part = f"{part[:-1]}."  # "for your hypertension i'm gon na keep you on that 2.5 norvasc your blood
                # pressures look good?", "any questions about that and i wan na go ahead and order a urinalysis?": the
                # punctuator's question mark on a decision (D2N049 lost the problem, D2N047 the urinalysis)
            if part.endswith("?"):
                if seg.id in assessed and (cue := _PROBLEM_CUE.search(part)) and re.search(
                        r"\b(?:problem|issue|diagnosis)\b", cue[0], re.I):  # "for your last issue, your epilepsy,
                    current = _take_up(part[:cue.end()], seg, problems, current)  # … due to see her again soon?"
                items += _follow_up_agreed(part, seg, segments[n + 1:n + 2])
                continue
            _dose_said_after(items, part, seg)
            if seg.id in assessed:
                current = _take_up(part, seg, problems, current)
            elif (diagnosis := _DIAGNOSIS.search(plain(part))) and diagnosis["strong"] and (
                    name := problem_name(diagnosis["p"])):  # "your diagnosis is …" said during the exam
                problems.setdefault(name, Problem(name=name, evidence=[seg.id],
                                                  impression="likely" if _LIKELY.search(part) else None))
            found = _items(part, seg, current if seg.id in assessed else None, person,
                           announced=since_announced <= _AFTER_ANNOUNCED)
            if any(item.kind == "medication" for item in found):
                since_announced = _AFTER_ANNOUNCED  # the announced drug is named
            items += found
            if seg.id in assessed and current:
                taken_up.append((plain(part).lower(), current))
        if seg.id in assessed:
            _concern(seg, problems)
    items = _deduplicated(items)
    for item in items:
        if item.problem is None and item.kind not in ("follow_up", "return_precautions"):
            item.problem = _first_said_under(item, taken_up)
    return list(problems.values()), _without_generic_tests(items)


def _concern(seg: Segment, problems: dict[str, Problem]) -> None:
    """The diagnosis feared behind the problem named last before it in the turn; the whole turn is read, as the
    punctuator may cut "my concern. is that you might have lyme disease" in two."""
    said = plain(seg.text)
    if not (concern := _CONCERN.search(said)) or not (feared := find_named(concern["what"], "problems")) \
            or feared[0].start():
        return
    before = said[:concern.start()].lower()
    named = [p for p in problems.values() if seg.id in p.evidence and p.name.lower() in before]
    if named and (about := max(named, key=lambda p: before.rfind(p.name.lower()))).name.lower() != feared[0][0].lower():
        about.concern = feared[0][0].lower()


def _first_said_under(item: PlanItem, taken_up: list[tuple[str, str]]) -> str | None:
    """"we are going to do a culture" in the ulcer's plan, then "i do want to get the culture back" after the
    patient's question: the order said again outside any problem is the problem's it was first said under (D2N086)."""
    stems = [w.rstrip("s") for w in re.findall(r"[a-z]{4,}", (item.target or "").lower())]
    if not stems:
        return None
    return next((problem for said, problem in taken_up
                 if all(re.search(rf"\b{re.escape(stem)}", said) for stem in stems)), None)


_NUMBERED = re.compile(r"^(?:(?:okay|and|so|now)\s+)*(?:for\s+)?(?:the\s+)?"
                       r"(?:problem|issue|diagnosis)\s+number\s+\w+\W*$", re.I)


def _numbered_joined(parts: list[str]) -> list[str]:
    """"for problem number 2. so the radiation pneumonitis …": the number and the problem it names, one part."""
    out: list[str] = []
    for part in parts:
        if out and _NUMBERED.match(out[-1]):
            out[-1] = f"{out[-1].rstrip(' .,')} {part}"
        else:
            out.append(part)
    return out


_IMAGED = re.compile(r"\b(?:mri|x-?rays?|ct(?: scan)?|cat scan|ultrasound)\s*$", re.I)


def _at_cues(said: str) -> list[str]:
    """A run-on statement cut where the clinician turns to the next problem ("… ice the knee for your
    hypertension now i'm going to keep you on …"), so what came before stays with the problem before."""
    cut = [m.start() for m in _PROBLEM_CUE.finditer(said) if m.start() > 0
           and not _IMAGED.search(said[:m.start()])]  # "an mri for your left shoulder" names the site, not a problem
    bounds = [0, *cut, len(said)]
    return [said[a:b].strip(" ,") for a, b in pairwise(bounds) if said[a:b].strip(" ,")]


def _explains(problem: Problem, complaint: str) -> None:
    """The complaint the diagnosis accounts for ("left shoulder pain, likely due to rotator cuff tendinopathy"): the
    chief complaint when none was said, and the Assessment's opening where the diagnosis does not name its site."""
    if not problem.complaint:
        problem.complaint = re.sub(r"\s+symptoms?$", "", complaint)  # "right ankle pain symptoms"


def _take_up(part: str, seg: Segment, problems: dict[str, Problem], current: str | None) -> str | None:
    """Problems the clinician takes up in ``part`` ("for your diabetes, …", "I think you have a sprain"), added to
    ``problems`` with their impression; returns the problem the following plan items belong to."""
    cue = _PROBLEM_CUE.search(part) or _BARE_CUE.search(part)
    if cue and len(cue["p"]) > 60 and " and " not in cue["p"]:
        cue = None  # a long run of words after "for your" is a sentence, not a problem's name
    if cue and cue.re is _BARE_CUE and cue["alone"] is not None and not (
            (said := find_symptoms(cue["p"])) and said[0].said.lower() == cue["p"].lower().split(" ", 1)[-1]
            or re.fullmatch(r"(?:left |right )?[a-z]+ pain", cue["p"], re.I)):
        cue = None  # a sentence of its own names the complaint only when it is nothing but a symptom
    # "… of right foot pain your right foot pain is due to …": the problem ends where it is said again
    named = problem_name(re.sub(r"^(.+?)\s+your\s+\1\b.*", r"\1", cue["p"]),
                         announced=bool(re.search(r"\b(?:problem|issue|diagnosis)\b", cue[0], re.I))) if cue else None
    if named and current and named != current and set(named.split()) <= set(current.split()):
        named = current  # "the best treatment for this sprain": the ankle sprain just assessed, not a second one
    heading = re.sub(r"^(?:chronic|acute|stable)\s+|\W+$", "", part.strip(), flags=re.I)
    if not cue and len(part.split()) <= 3 and any(m[0].lower() == heading.lower()
                                                  for m in find_named(heading, "problems")):
        named = problem_name(part)  # a dictated heading: "chronic chf. mixed presentation. …"
    if not named and (standpoint := _STANDPOINT.search(part)):
        named = problem_name(standpoint["p"])
        cue = cue or standpoint
    if not named and (summary := _SUMMARISED.search(plain(part))):
        named = problem_name(summary["p"], announced=True)  # "katherine is a 22-month-old … twin with smith
        # magenis syndrome": the dictated assessment names the syndrome the visit is about
    if not named and (status := _STATUS.search(part)) and (named := problem_name(status["p"])):
        problems.setdefault(named, Problem(name=named, evidence=[seg.id],
                                           impression=status["how"].lower().replace("better", "improving")))
    diagnosis = _DIAGNOSIS.search(plain(part))
    dx_named = problem_name(diagnosis["p"]) if diagnosis else None
    if dx_named and diagnosis and (_NOT_A_PROBLEM.search(dx_named)
                                   or not (diagnosis["strong"] or find_named(dx_named, "problems"))):
        dx_named = None  # "you do have pain to palpation" is an exam finding; "you have" needs a diagnosis word
    if dx_named and diagnosis and re.search(r"\b(?:in the past|before|years ago)\b",
                                            diagnosis["p"] + plain(part)[diagnosis.end():][:30], re.I):
        dx_named = None  # "because you have had some anemia in the past but that is still doing great": a history
    complaint = None
    if named and diagnosis and dx_named and (find_symptoms(named) or re.search(
            r"\b(?:your|the|these|those) symptoms\b", plain(part)[:diagnosis.start()], re.I)):
        # "for the concern of right foot pain, your right foot pain is due to a lisfranc fracture"; "for your first
        # problem of recurrent lung infections your symptoms seem consistent with … hypersensitivity pneumonitis"
        complaint, named = named, None
    elif (dx_named and not named and current and current != dx_named and dx_named not in problems
          and find_symptoms(current) and _ABOUT_IT.match(part)):
        # "for your problem of left shoulder pain. your symptoms are most likely due to a rotator cuff tendinopathy"
        complaint = current
        problems[dx_named] = Problem(name=dx_named, evidence=problems.pop(current).evidence)
    # "your diagnosis is uncontrolled hypertension … i think you're aware": said as the diagnosis, not as likely
    hedged = bool(diagnosis and _LIKELY.search(part) and not re.search(r"\bdiagnos(?:is|e)\b", diagnosis[0], re.I))
    for name, likely in ((named, False), (dx_named, hedged)):
        if name is None:
            continue
        if name not in problems:
            problems[name] = Problem(name=name, evidence=[seg.id])
        elif seg.id not in problems[name].evidence:
            problems[name].evidence.append(seg.id)
        if likely and not problems[name].impression:
            problems[name].impression = "likely"
        current = name
    if dx_named and complaint:
        _explains(problems[dx_named], complaint)
    mention = (cue or diagnosis)
    after = part[mention.end() if mention else 0:][:80]  # the impression said of this problem, right after it
    if (current and (named or dx_named) and len(part.split()) <= 40 and (impression := _impression(after))
            and not problems[current].impression):
        problems[current].impression = impression
    if current and (named or dx_named) and not problems[current].cause and (
            cause := _cause(part[mention.start() if mention else 0:][:200])):
        problems[current].cause = cause
        if cause.startswith("possibly") and problems[current].impression == "likely":
            problems[current].impression = None  # the doubt is in what caused it, not in the problem
    if rule_out := _RULE_OUT.search(part):
        if (ruled := problem_name(rule_out["what"])) and ruled not in problems:
            problems[ruled] = Problem(name=ruled, evidence=[seg.id], assertion=Assertion.possible,
                                      impression="rule out")
    return current


def _items(part: str, seg: Segment, problem: str | None, person: Person, announced: bool = False) -> list[PlanItem]:
    """The plan items said in ``part``: drugs, tests, referrals, devices, then follow-up or advice."""
    return (_medication_items(part, seg, problem, announced) + _order_items(part, seg, problem, person)
            + _referral_items(part, seg, problem) + _discussed_items(part, seg, problem)
            + _procedure_items(part, seg, problem)
            + _continued_items(part, seg, problem)
            + _device_items(part, seg, problem) + _decisions(part, seg, problem) + _risks(part, seg, problem)
            + (_follow_up(part, seg, person) or _recheck(part, seg, problem) + _advice(part, seg, problem, person)))


# "here are the risks associated with getting the injection", "risk of anesthesia including …": the consent talk a
# plan records (8 of 87 train and valid reference plans: "We reviewed the risks, benefits, and alternatives of the
# surgery."); not "you're at a higher risk of developing another one", which is the patient's, not a procedure's
_RISKS = re.compile(r"(?<!higher )(?<!increased )(?<!your )\brisks?\s+(?:associated with|of|involved (?:in|with)|"
                    r"include|including)\s+(?:\w+\s+){0,4}?(?P<what>injections?|surgery|surgical procedures?|"
                    r"procedures?|anesthesia|operation)\b", re.I)


def _risks(part: str, seg: Segment, problem: str | None) -> list[PlanItem]:
    if not (match := _RISKS.search(part)):
        return []
    what = match["what"].lower().rstrip("s")
    what = "surgery" if what in ("anesthesia", "operation", "surgical procedure", "surgery") else what
    return [PlanItem(kind="education", text=f"Risks of the {what} were discussed.", action="discuss",
                     target=f"risks of the {what}", problem=problem, evidence=[seg.id])]


# "so we will check your ankles at the next visit": what the next visit examines, not a test ordered today
_RECHECK = re.compile(r"\b(?:we(?:'ll| will| are going to| 're going to)|i(?:'ll| will| am going to|'m going to)|let's)"
                      r"\s+(?:also\s+)?(?:re-?)?(?:check|look at|examine|reassess)\s+(?:on\s+)?(?:your|the)\s+"
                      r"(?P<what>[a-z]+(?: [a-z]+)?)\s+(?:at|on|during|in)\s+(?:the|your)\s+next\s+"
                      r"(?P<visit>visit|appointment|follow[- ]?up)\b", re.I)


def _recheck(part: str, seg: Segment, problem: str | None) -> list[PlanItem]:
    if not (match := _RECHECK.search(part)) or find(match["what"], "orders", ("tests",)):
        return []  # "we'll check your kidney function at the next visit" is a test: the orders read it
    return [PlanItem(kind="follow_up", text=sentence(f"Recheck {match['what'].lower()} at the next visit"),
                     action="recheck", target=match["what"].lower(), problem=problem, evidence=[seg.id])]


def kept_schedule(plan: list[PlanItem], medications: list[Medication]) -> None:
    """"increase the lisinopril to 20 milligrams" of a patient who takes it every morning: the new dose keeps the
    schedule the patient follows unless another one is said ("Increase lisinopril to 20 mg every morning.")."""
    taken = {m.name.lower(): m for m in medications if m.frequency}
    for item in plan:
        current = taken.get((item.target or "").lower())
        if item.kind != "medication" or item.action not in ("increase", "decrease") or not item.dose \
                or item.frequency or current is None:
            continue
        item.frequency = current.frequency
        item.text = _medication_text(item.action, item.target or "", item.dose, item.frequency)
        item.evidence = list(dict.fromkeys(item.evidence + current.evidence))


def _dose_said_after(items: list[PlanItem], part: str, seg: Segment) -> None:
    """"we'll get you some motrin. we'll give you 600 milligrams every six hours": the dose of the drug just named
    (in this turn, a splint given after it: "we'll get you a splint and some motrin")."""
    last = next((i for i in reversed(items) if i.kind == "medication"), None)
    if last is None or (last is not items[-1] and seg.id not in last.evidence) or find_named(part, "medications"):
        return
    if last.dose and last.action == "start" and _sig_said_after(last, part, seg):
        return
    if last.dose and seg.id in last.evidence and last.action in ("start", "switch", "refill", "increase", "decrease"):
        _how_said_after(last, part)
        return
    if last.dose or last.action not in ("start", "switch", "refill") or not (dose := dose_of(part)):
        return
    if not re.search(r"\b(give|take|prescribe|dose|use)\b", part, re.I):
        return
    course = course_of(part)
    last.dose = dose
    last.frequency = " ".join(x for x in (last.frequency or frequency_of(part), course) if x) or None
    last.text = _medication_text(last.action, last.target or "", dose, last.frequency)
    last.evidence = list(dict.fromkeys(last.evidence + [seg.id]))


def _sig_said_after(last: PlanItem, part: str, seg: Segment) -> bool:
    """"lortab 5 milligram." then "you can take one to two tablets every six hours as needed for pain. i'll give you
    20 of those": the sig and the quantity of the drug just prescribed, said in the clinician's next turn."""
    if not last.frequency and (sig := _SIG.search(digits(part))):
        what = _FOR_WHAT.search(part)
        last.dose = f"{last.dose}, {sig['n']} {sig['form']}"  # as ``counted`` writes a count: "5 mg, 1 to 2 tablets"
        last.frequency = " ".join(x for x in (frequency_of(part), what and f"for {what['what']}") if x) or None
    elif last.frequency and "#" not in last.frequency and (supply := _QUANTITY.search(digits(part))):
        last.frequency = f"{last.frequency} (#{supply['n']})"
    elif (re.search(r"\b(?:continue|take|keep (?:taking|on))\s+(?:that|it|them|this)\b", part, re.I)
          and " for " not in f" {last.frequency or ''} " and (course := course_of(part))):
        # "doxycycline 100 mg twice a day" … "we're gon na continue that for about three weeks": its course
        last.frequency = " ".join(x for x in (last.frequency, course) if x)
    else:
        return False
    last.text = _medication_text(last.action or "start", last.target or "", last.dose, last.frequency)
    last.evidence = list(dict.fromkeys(last.evidence + [seg.id]))
    return True


# the sig of a drug named before: "take one to two tablets every six hours", "i'll give you 20 of those"
_SIG = re.compile(r"\btake (?P<n>\d+(?: to \d+)?) (?P<form>tablets?|pills?|capsules?)\b", re.I)
_QUANTITY = re.compile(r"\b(?:give you|dispense|prescribe you|send in) (?P<n>\d+) of (?:those|them|these)\b", re.I)
_FOR_WHAT = re.compile(r"\bas needed for (?P<what>pain|sleep|nausea|anxiety|itching|fever)\b", re.I)
_WITH_FOOD = re.compile(r"\bwith (?:food|meals|a meal)\b", re.I)


def _how_said_after(last: PlanItem, part: str) -> None:
    """"motrin, 800 milligrams. you can take it about every six hours, with food, and we'll give you about a
    two week supply": how often, with what and how long, said in the sentences after the drug and its dose."""
    if not re.search(r"\b(take|taking|give|use|supply|it)\b", part, re.I):
        return
    said = [x for x in ((None if last.frequency else frequency_of(part)),
                        "with food" if _WITH_FOOD.search(part) and "with food" not in (last.frequency or "") else None,
                        course_of(part) if "for " not in (last.frequency or "") else None) if x]
    if not said:
        return
    last.frequency = " ".join(x for x in (last.frequency, *said) if x)
    last.text = _medication_text(last.action or "start", last.target or "", last.dose, last.frequency)


def _deduplicated(items: list[PlanItem]) -> list[PlanItem]:
    """One item per action and target: dictated repeats ("dragon, order meloxicam …") cite both turns."""
    kept: dict[tuple[str, str], PlanItem] = {}
    for item in items:
        key = (item.kind, generic_of(item.target or item.text))  # "atorvastatin" and "lipitor": one drug
        if item.kind == "follow_up":
            key = ("follow_up", (item.target or "").lower())  # the interval once; what the next visit rechecks
        elif item.kind == "procedure":  # "the cortisone injection" and then "the injection": one procedure
            key = ("procedure", (item.target or item.text).lower().split()[-1])
        if key in kept:
            first = kept[key]
            if not first.problem and item.problem:  # said in passing first, then in the plan of a problem
                first.problem = item.problem
                first.evidence = list(dict.fromkeys(first.evidence + item.evidence))
            if not first.dose and item.dose:  # the dictated order names the dose the conversation left out
                first.evidence = list(dict.fromkeys(first.evidence + item.evidence))
                first.dose, first.frequency = item.dose, item.frequency
            if item.kind == "medication" and first.action == "continue" and item.action == "start":
                # "i want to continue you on the aspirin", then dictated "order aspirin 81 milligrams daily": the
                # order is the drug continued, with its dose
                first.text = _medication_text("continue", first.target or "", first.dose, first.frequency)
            elif len(item.text) > len(first.text) and item.kind != "follow_up":
                first.text = item.text
                first.target = item.target if item.kind == "procedure" else first.target
            continue
        kept[key] = item
    named = {(i.target or "").lower() for i in kept.values()}
    # "a kidney ultrasound … so let's get your ultrasound done": the bare study is the one named before
    return _without_named_classes([i for i in kept.values() if not (
        i.kind in ("imaging", "test") and i.text.startswith("Order ")
        and (i.target or "").lower() in ("ultrasound", "mri", "x-ray", "ct", "ct scan")
        and any(t != (i.target or "").lower() and t.endswith(" " + (i.target or "").lower()) for t in named))])


def _without_named_classes(items: list[PlanItem]) -> list[PlanItem]:
    """"we'll start doxycycline … so we are gon na start you on some antibiotics": the class said again for a
    drug the plan already names is not a second line ("continue those nsaids" beside "continue ibuprofen")."""
    named = {(i.target or "").lower() for i in items if i.kind == "medication"}
    return [i for i in items if not (i.kind == "medication" and class_beside_member(i.target or "", named))]


ELEVATED = re.compile(
    r"\b(?P<what>blood pressure|blood sugars?|sugars|cholesterol|a1c)\b[^.?!]{0,40}?\b(high|elevated|up)\b", re.I)


def elevated_reading(said: str) -> str | None:
    """"my blood pressure readings have been high" → "elevated blood pressure"; "is not high" → None."""
    elevated = ELEVATED.search(said)
    if not elevated or re.search(r"\b(not|never|no)\b|n't\b", elevated[0], re.I):
        return None
    return f"elevated {elevated['what'].lower()}" if assert_term(said, elevated["what"]) == Assertion.present else None


def problems_named(segments: list[Segment]) -> list[Problem]:
    """Problems of the shipped term list said in the visit, citing where each was first said.

    The assessment falls back to these when the clinician took up no problem by name in the plan.
    Problems only asked about ("any chest pain?") or denied ("no chest pain") are not problems, and
    "my blood pressure readings have been high" names elevated blood pressure without its diagnosis word.
    """
    found: dict[str, Problem] = {}
    for n, seg in enumerate(segments):
        if re.search(r"\brisks?\b|\bside effects?\b|\bcomplications?\b", seg.text, re.I):
            continue  # risks explained ("risk of … stroke and death … seizure") are not problems the patient has
        if n and seg.role != Role.clinician and _HISTORY_ASKED.search(segments[n - 1].text):
            continue  # "any medical problems?" — "i have gallstones": past history, not what this visit assessed
        for said in statements(seg.text):
            if (said.endswith("?") or re.search(r"\b(risks?|side effects?|complications?|chance)\b", said, re.I)
                    or seg.role == Role.clinician and len(said.split()) <= 4
                    and not re.search(r"\b(?:is|are|was|have|has|had|with)\b", said, re.I)):
                # a risk explained ("risk of heart attack, stroke…") is not a problem the patient has, nor a list the
                # clinician asks about unpunctuated ("okay coughing headache")
                continue
            if name := elevated_reading(said):
                found.setdefault(name, Problem(name=name, evidence=[seg.id]))
            for match in find_named(said, "problems"):
                term = match[0].lower()
                if seg.role != Role.clinician and not re.search(  # "since you mention anxiety" names none
                        rf"\b(?:i (?:do )?have|i've (?:had|got)|i was diagnosed with|i suffer from)\W+(?:\w+\W+){{0,3}}"
                        rf"{re.escape(term)}", said, re.I):
                    continue
                if (any(term in longer for longer in found) or assert_term(said, term) != Assertion.present
                        or _PREVENTED.match(said[match.end():])):
                    continue  # "that's for colon cancer screening", "get the shingles vaccine": no cancer, no shingles
                if site := _site_before().search(said[:match.start()]) if _SITED.fullmatch(term) else None:
                    term = f"{site[0].strip().lower()} {term}"  # "a proximal humerus fracture", not "fracture"
                found.setdefault(term, Problem(name=term, evidence=[seg.id]))
    return list(found.values())


# a disease named for its screening or its vaccine ("the shingles vaccine", "your flu shot") is not one the patient has
_PREVENTED = re.compile(r"\s+(?:screening|prevention|risk|vaccines?|vaccinations?|shots?|boosters?|immunizations?|"
                        r"titers?|network|society|cent(?:er|re)s?|institutes?|foundation|association|guidelines?)\b",
                        re.I)  # "the national comprehensive cancer network guidelines": an organisation, no cancer
# "any medical problems?", "what's your past medical history?": the answer is history
_HISTORY_ASKED = re.compile(r"\b(?:medical (?:problems|conditions|history|issues)|past history|health problems)\b",
                            re.I)
# a problem said with where it is: the site and side words before it belong to its name
_SITED = re.compile(r"fractures?|sprain|strain|contusion|tear|tendinitis|tendonitis|bursitis|laceration|abscess|"
                    r"dislocation", re.I)


@lru_cache(maxsize=1)
def _site_before() -> re.Pattern[str]:
    """The words that place a problem, said right before its name (``anatomy.toml``: sides, parts, structures)."""
    anatomy = lexicon("anatomy")
    words = [*anatomy["positions"], *anatomy["parts"], *anatomy["single"], *anatomy["qualifiers"],
             *anatomy["structures"], *anatomy["sites"]]
    return re.compile(r"(?:\b(?:" + "|".join(sorted(words, key=len, reverse=True)) + r")\s+)+$", re.I)

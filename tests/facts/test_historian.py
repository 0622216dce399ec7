"""A parent's account of a child who does not speak reaches the HPI; what the parent says of herself or of the
child's twin does not, and where the patient speaks for themselves a companion's "she" is not read."""

from __future__ import annotations

from ambientnote.facts.extract import build_record
from ambientnote.transcript.formats import parse_tagged_text

_VISIT = (
    "[doctor] hi , i'm dr. evelyn . so katherine is a 22 month old female here for her kidneys . can you start at "
    "the beginning ? i know she's a twin .\n"
    "[patient_guest] yes . i also have a son who is nine .\n"
    "[doctor] okay .\n"
    "[patient_guest] katherine , she just had problems with eating , where she would stop breathing when she was "
    "eating . she has seen an allergist , and also a neurologist .\n"
    "[doctor] is she in therapy ?\n"
    "[patient_guest] she is in therapy . she's in feeding therapy , occupational therapy , and also physical "
    "therapy . i took her off dairy milk last month .\n"
    "[doctor] is her twin a boy or a girl ?\n"
    "[patient_guest] she's a girl .\n"
    "[doctor] okay , and how's she doing ?\n"
    "[patient_guest] she's doing really good . she's running around , and she does n't have any problems with her "
    "legs .\n")


def test_a_parents_account_of_a_child_who_does_not_speak_is_told() -> None:
    account = [fact.text for fact in build_record(parse_tagged_text(_VISIT)).account]
    assert account == [
        "She had problems with eating, where she would stop breathing when she was eating.",
        "She has seen an allergist, and also a neurologist.",
        "She is in feeding therapy, occupational therapy, and also physical therapy.",
    ]  # not the mother's own doing, not "she is in therapy" twice, not the twin running around


def test_a_companion_is_not_read_for_a_patient_who_speaks() -> None:
    visit = _VISIT + "[patient] mama .\n"
    account = [fact.text for fact in build_record(parse_tagged_text(visit)).account]
    assert not [a for a in account if "therapy" in a or "neurologist" in a]

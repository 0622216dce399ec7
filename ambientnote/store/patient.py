"""The patient details a clinician may enter on an encounter besides its label: date of birth and MRN.

Both are optional and printed in every export's header (text, Markdown, PDF, FHIR Patient), so a wrong one
must be caught as it is typed, not in the chart. The date of birth is accepted only as ISO ``YYYY-MM-DD``:
``03/04/1961`` means March 4th to one clinic and April 3rd to the next, and a birth date read the wrong way
round is worse than none. Both faces (the CLI options, the GUI's fields) validate here, so they say the same
sentence. The values are PHI: they live only in the encrypted store, never in the audit log or an error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from ambientnote.errors import InputError

MAX_AGE_YEARS = 130
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_MRN = re.compile(r"[A-Za-z0-9/-]{1,32}")

BIRTH_DATE_HELP = "Date of birth as YYYY-MM-DD, e.g. 1961-03-14 (optional)."
MRN_HELP = "Medical record number: 1–32 letters, digits, '-' or '/' (optional)."


@dataclass(frozen=True)
class PatientDetails:
    """A date of birth (ISO text) and an MRN, each ``None`` when not entered."""

    birth_date: str | None = None
    mrn: str | None = None

    def entered(self) -> list[str]:
        """The names of the details entered (what the audit log may say: that they were set, never their values)."""
        return [name for name in ("birth_date", "mrn") if getattr(self, name)]


def birth_date(text: str | None, today: date | None = None) -> str | None:
    """``text`` as an ISO date of birth, or ``None`` when blank; ``InputError`` with one sentence otherwise."""
    text = (text or "").strip()
    if not text:
        return None
    try:
        born = date.fromisoformat(text) if _ISO_DATE.fullmatch(text) else None
    except ValueError:
        born = None
    if born is None:
        raise InputError("Write the date of birth as a real date in the form YYYY-MM-DD, such as 1961-03-14.")
    today = today or date.today()
    if born > today:
        raise InputError("A date of birth cannot lie in the future; check the year.")
    if born < _years_before(today, MAX_AGE_YEARS):
        raise InputError(f"A date of birth more than {MAX_AGE_YEARS} years ago cannot be right; check the year.")
    return text


def mrn(text: str | None) -> str | None:
    """``text`` as an MRN, or ``None`` when blank; ``InputError`` with one sentence otherwise."""
    text = (text or "").strip()
    if not text:
        return None
    if not _MRN.fullmatch(text):
        raise InputError("Write the MRN as 1 to 32 letters, digits, '-' or '/', without spaces.")
    return text


def patient_details(birth_date_text: str | None = None, mrn_text: str | None = None,
                    today: date | None = None) -> PatientDetails:
    """Both details checked, the date of birth first (the first mistake is the sentence the clinician reads)."""
    return PatientDetails(birth_date(birth_date_text, today), mrn(mrn_text))


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year - years, day=28)

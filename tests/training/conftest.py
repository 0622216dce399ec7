"""A tiny ACI-Bench-style data set (invented visits, no real patient) for alignment and training tests."""

from __future__ import annotations

from pathlib import Path

import pytest

DIALOGUE = """[doctor] hi, how are you doing today?
[patient] i'm okay. my right knee has been hurting for about two weeks.
[doctor] did you hurt it?
[patient] i twisted it playing soccer.
[doctor] are you taking anything for the pain?
[patient] yes, i take ibuprofen 400 mg twice a day.
[doctor] any fever?
[patient] no.
[doctor] okay, on exam, there is swelling over the right knee and tenderness along the medial joint line.
[doctor] your x-ray shows no fracture.
[doctor] for your knee sprain, i want you to rest, ice it, and continue the ibuprofen. we'll get physical therapy."""

NOTE = """CHIEF COMPLAINT

Right knee pain.

HISTORY OF PRESENT ILLNESS

The patient reports right knee pain for about two weeks.
He twisted his knee playing soccer.
He takes ibuprofen 400 mg twice a day for the pain.
He takes ibuprofen 800 mg three times a day.

REVIEW OF SYSTEMS

• Constitutional: Denies fever.

PHYSICAL EXAM

• Musculoskeletal: Swelling over the right knee with tenderness along the medial joint line.

RESULTS

X-ray of the right knee shows no fracture.

ASSESSMENT AND PLAN

Right knee sprain.
• Medical Treatment: Rest, ice, and continue ibuprofen. Refer to physical therapy.
"""


@pytest.fixture(scope="session")
def aci_csv(tmp_path_factory: pytest.TempPathFactory, write_aci_csv) -> Path:
    return write_aci_csv(tmp_path_factory.mktemp("aci") / "train.csv", [(f"T{n}", DIALOGUE, NOTE) for n in range(3)])

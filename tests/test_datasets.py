"""The corpus readers: ACI-Bench and MTS-Dialog layouts are told apart, and a wrong file is one sentence."""

from __future__ import annotations

import csv

import pytest

from ambientnote.datasets import is_mts_dialog, read_aci_bench, read_mts_dialog
from ambientnote.errors import InputError


def _write(path, header, rows):
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def test_aci_bench_rows_are_read_up_to_the_limit_with_long_dialogues(tmp_path):
    long_dialogue = "[doctor] hello\n" + "word " * 40_000  # past csv's default 128 KiB field limit
    data = _write(tmp_path / "valid.csv", ["encounter_id", "dialogue", "note"],
                  [["D1", long_dialogue, "note one"], ["D2", "[patient] hi", "note two"]])
    assert [row["encounter_id"] for row in read_aci_bench(data)] == ["D1", "D2"]
    assert [row["note"] for row in read_aci_bench(data, limit=1)] == ["note one"]
    assert not is_mts_dialog(data)


def test_mts_dialog_is_recognised_by_its_header(tmp_path):
    data = _write(tmp_path / "mts.csv", ["ID", "section_header", "section_text", "dialogue"],
                  [["0", "GENHX", "text", "Doctor: hi"], ["1", "FAM/SOCHX", "text", "Doctor: hello"]])
    assert is_mts_dialog(data)
    assert [row["ID"] for row in read_mts_dialog(data, limit=1)] == ["0"]


def test_a_wrong_layout_or_a_missing_file_is_one_sentence(tmp_path):
    data = _write(tmp_path / "mts.csv", ["ID", "section_header", "section_text", "dialogue"], [["0", "A", "b", "c"]])
    with pytest.raises(InputError, match="not in ACI-Bench's layout"):
        read_aci_bench(data)
    with pytest.raises(InputError, match="cannot be read"):
        read_aci_bench(tmp_path / "absent.csv")

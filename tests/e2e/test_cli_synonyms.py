"""`ecomsearch synonyms import/list/learn`, as an operator runs them."""

import getpass
from pathlib import Path

from entrypoints.cli.main import main

FILE = """\
# everyday shop words
sofa, couch, settee

tv, telly => television
rucksack => backpack, daypack
lonely
a, b => c => d
pan, PANS
laptop, notebook
"""


def test_import_reports_rejected_lines_and_keeps_the_rest(cli_database: str, tmp_path: Path, capsys) -> None:
    path = tmp_path / "synonyms.txt"
    path.write_text(FILE, encoding="utf-8")
    assert main(["synonyms", "import", str(path)]) == 1
    captured = capsys.readouterr()
    assert captured.err.splitlines() == [
        "line 6: at least 2 terms needed",
        "line 7: more than one '=>'",
        "line 8: 'pans' repeats 'pan'",
    ]
    assert "5 synonyms read: 5 added, 0 already there; 3 lines rejected" in captured.out
    assert main(["synonyms", "list"]) == 0
    listed = [line.split("\t", 1)[1] for line in capsys.readouterr().out.splitlines()]
    assert listed == [
        "sofa, couch, settee",
        "tv => television",
        "telly => television",
        "rucksack => backpack, daypack",
        "laptop, notebook",
    ]
    # Again: nothing new, so nothing more in the audit log than the first import's one entry.
    assert main(["synonyms", "import", str(path)]) == 1
    assert "5 synonyms read: 0 added, 5 already there" in capsys.readouterr().out
    assert main(["audit"]) == 0
    _, row = capsys.readouterr().out.strip().splitlines()  # the header and one entry
    assert f"cli:{getpass.getuser()}" in row and "synonym.create  5 synonyms" in row


def test_an_unreadable_file_exits_2(cli_database: str, tmp_path: Path, capsys) -> None:
    assert main(["synonyms", "import", str(tmp_path / "missing.txt")]) == 2
    assert "cannot read" in capsys.readouterr().err
    (tmp_path / "binary.txt").write_bytes(b"\xff\xfe\x00sofa")
    assert main(["synonyms", "import", str(tmp_path / "binary.txt")]) == 2

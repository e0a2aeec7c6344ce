"""`ecomsearch eval relevance` and `ecomsearch demo judgments` as a user runs them."""

from pathlib import Path

import pytest

from entrypoints.cli.main import main


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("evalshop")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{folder / 'shop.db'}")
        mp.chdir(folder)
        assert main(["db", "upgrade"]) == 0
        assert main(["demo", "seed", "--products", "600", "--shoppers", "0"]) == 0
    return folder


@pytest.fixture
def in_shop(shop: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{shop / 'shop.db'}")
    monkeypatch.delenv("REDIS_URL", raising=False)
    monkeypatch.chdir(shop)
    return shop


def test_judgments_then_relevance_prints_every_metric_with_an_interval(in_shop: Path, capsys) -> None:
    judged = in_shop / "judged.tsv"
    assert main(["demo", "judgments", str(judged), "--products", "600"]) == 0
    assert "queries" in capsys.readouterr().out
    assert main(["eval", "relevance", str(judged), "--resamples", "300"]) == 0
    out = capsys.readouterr().out
    assert all(
        any(row.startswith(label) for row in out.splitlines()) for label in ("NDCG@10", "MRR", "Recall@100")
    )
    assert "formula (text 0.70, popularity 0.20, rating 0.10)" in out


def _figures(out: str, label: str) -> list[float]:
    row = next(r for r in out.splitlines() if r.startswith(label))
    return [float(v.strip("[],")) for v in row.split()[1:4]]


def test_each_metric_lies_in_its_interval(in_shop: Path, capsys) -> None:
    judged = in_shop / "judged.tsv"
    main(["demo", "judgments", str(judged), "--products", "600"])
    assert main(["eval", "relevance", str(judged), "--resamples", "300"]) == 0
    out = capsys.readouterr().out
    for label in ("NDCG@10", "MRR", "Recall@100"):
        mean, low, high = _figures(out, label)
        assert 0 <= low <= mean <= high <= 1


def test_compare_reports_a_paired_difference_and_p_value(in_shop: Path, capsys) -> None:
    judged = in_shop / "judged.tsv"
    main(["demo", "judgments", str(judged), "--products", "600"])
    capsys.readouterr()
    assert main(["eval", "relevance", str(judged), "--compare", "text", "--resamples", "300"]) == 0
    out = capsys.readouterr().out
    assert "candidate text (text 1.00, popularity 0.00, rating 0.00)" in out
    diff_rows = out.split("paired difference", 1)[1].splitlines()[1:4]
    for row in diff_rows:
        p_value = float(row.rsplit("p = ", 1)[1])
        assert 0 < p_value <= 1
    weighted = [
        "eval",
        "relevance",
        str(judged),
        "--compare",
        "text=0.5,popularity=0.5",
        "--resamples",
        "200",
    ]
    assert main(weighted) == 0
    assert "text 0.50, popularity 0.50, rating 0.10" in capsys.readouterr().out


def test_bad_judgments_exit_2_with_the_line(in_shop: Path, capsys) -> None:
    bad = in_shop / "bad.tsv"
    bad.write_text("query\tsku\tgrade\nshoes\tRS-1\tgood\n", encoding="utf-8")
    assert main(["eval", "relevance", str(bad)]) == 2
    assert f"{bad}:2: grade 'good' is not an integer" in capsys.readouterr().err
    assert main(["eval", "relevance", str(in_shop / "missing.tsv")]) == 2
    empty = in_shop / "zero.tsv"
    empty.write_text("shoes\tRS-1\t0\n", encoding="utf-8")
    assert main(["eval", "relevance", str(empty)]) == 2
    assert "no judged query" in capsys.readouterr().err


def test_a_bad_configuration_is_a_usage_error(in_shop: Path, capsys) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["eval", "relevance", "x.tsv", "--compare", "speed=2"])
    assert exited.value.code == 2
    assert "use formula, text" in capsys.readouterr().err


def test_judgments_from_a_segment_and_an_unknown_segment(in_shop: Path, capsys) -> None:
    judged = in_shop / "student.tsv"
    assert main(["demo", "judgments", str(judged), "--products", "600", "--segment", "student"]) == 0
    assert judged.read_text(encoding="utf-8").startswith("query\tsku\tgrade\n")
    assert main(["eval", "relevance", str(judged), "--resamples", "200"]) == 0
    assert "NDCG@10" in capsys.readouterr().out
    assert main(["demo", "judgments", str(judged), "--segment", "astronaut"]) == 2
    assert "unknown segment" in capsys.readouterr().err


def test_current_ranker_without_a_model_is_the_formula(in_shop: Path, capsys) -> None:
    judged = in_shop / "judged.tsv"
    main(["demo", "judgments", str(judged), "--products", "600"])
    capsys.readouterr()
    args = ["eval", "relevance", str(judged), "--baseline", "current", "--compare", "formula"]
    assert main([*args, "--resamples", "200"]) == 0
    out = capsys.readouterr().out
    assert "baseline current (the promoted model if any" in out
    diff_rows = out.split("paired difference", 1)[1].splitlines()[1:4]
    assert all("+0.0000" in row and "p = 1.0000" in row for row in diff_rows)


def test_a_saved_run_pairs_with_a_later_one(in_shop: Path, capsys) -> None:
    judged = in_shop / "judged.tsv"
    main(["demo", "judgments", str(judged), "--products", "600"])
    saved = in_shop / "before.json"
    assert main(["eval", "relevance", str(judged), "--resamples", "200", "--save", str(saved)]) == 0
    assert saved.stat().st_size > 0
    capsys.readouterr()
    # The same engine against itself: every difference is nothing.
    assert main(["eval", "relevance", str(judged), "--resamples", "200", "--against", str(saved)]) == 0
    out = capsys.readouterr().out
    assert f"saved run {saved}" in out and "this run, ranking formula" in out
    diff_rows = out.split("paired difference", 1)[1].splitlines()[1:4]
    assert all("+0.0000" in row for row in diff_rows)
    # A change of ranking shows against the saved run as it does against --compare.
    args = ["eval", "relevance", str(judged), "--resamples", "200", "--baseline", "popularity=1,text=0"]
    assert main([*args, "--against", str(saved)]) == 0
    diff_rows = capsys.readouterr().out.split("paired difference", 1)[1].splitlines()[1:4]
    assert any("+0.0000" not in row for row in diff_rows)


def test_a_saved_run_that_cannot_be_paired_exits_2(in_shop: Path, capsys) -> None:
    judged = in_shop / "judged.tsv"
    main(["demo", "judgments", str(judged), "--products", "600"])
    broken = in_shop / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    assert main(["eval", "relevance", str(judged), "--against", str(broken)]) == 2
    assert "cannot read the saved run" in capsys.readouterr().err
    nowhere = in_shop / "no-such-folder" / "run.json"
    assert main(["eval", "relevance", str(judged), "--resamples", "100", "--save", str(nowhere)]) == 2
    assert "cannot save the run" in capsys.readouterr().err
    fewer = in_shop / "fewer.tsv"
    lines = judged.read_text(encoding="utf-8").splitlines()
    first_query = lines[1].split("\t")[0]
    fewer.write_text("\n".join(ln for ln in lines if ln.startswith(first_query)) + "\n", encoding="utf-8")
    saved = in_shop / "one.json"
    assert main(["eval", "relevance", str(fewer), "--resamples", "100", "--save", str(saved)]) == 0
    capsys.readouterr()
    assert main(["eval", "relevance", str(judged), "--resamples", "100", "--against", str(saved)]) == 2
    assert "covers other queries" in capsys.readouterr().err


def test_an_arm_is_judged_and_the_no_result_share_printed(in_shop: Path, capsys) -> None:
    judged = in_shop / "judged.tsv"
    main(["demo", "judgments", str(judged), "--products", "600"])
    ranked = in_shop / "ranked.json"
    assert main(["eval", "relevance", str(judged), "--resamples", "200", "--save", str(ranked)]) == 0
    capsys.readouterr()
    args = ["eval", "relevance", str(judged), "--resamples", "200", "--arm", "popularity"]
    assert main([*args, "--against", str(ranked)]) == 0
    out = capsys.readouterr().out
    assert "arm popularity" in out
    # The control arm orders by popularity: its figures are not the ranked arm's.
    diff_rows = out.split("paired difference", 1)[1].splitlines()[1:4]
    assert any("+0.0000" not in row for row in diff_rows)
    share = next(r for r in out.splitlines() if r.startswith("no result"))
    assert 0.0 <= float(share.split()[2].rstrip("%")) <= 100.0

"""Ranking a debate's lines: the CheckThat! measures, the labelled files anyone can bring, and
``manage.py evaluate_checkworthiness`` on them."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from claims.extraction import evaluation
from claims.extraction.evaluation import LabelledFileError, load_labelled, rank_metrics


def test_average_precision_is_the_mean_precision_at_each_relevant_rank():
    assert evaluation.average_precision([1, 0, 1, 0]) == pytest.approx((1 / 1 + 2 / 3) / 2)
    assert evaluation.average_precision([0, 0, 0]) == 0.0
    assert evaluation.average_precision([0, 1]) == pytest.approx(0.5)


def test_rank_metrics_rank_by_score_and_break_ties_in_line_order():
    labels = [0, 1, 0, 1, 0]
    m = rank_metrics(labels, [0.9, 0.8, 0.8, 0.1, 0.5])
    # Ranked: line 0 (0), line 1 (1), line 2 (0), line 4 (0), line 3 (1).
    assert m.average_precision == pytest.approx((1 / 2 + 2 / 5) / 2)
    assert m.r_precision == pytest.approx(0.5)
    assert m.precision_at[5] == pytest.approx(2 / 5)
    assert m.precision_at[10] == pytest.approx(2 / 10)  # divided by k in a short debate
    assert (m.n, m.positives) == (5, 2)


def test_mean_ranking_averages_over_debates_not_lines():
    one = rank_metrics([1, 0], [1.0, 0.0])
    other = rank_metrics([1, 0, 0, 0], [0.0, 1.0, 0.9, 0.8])
    assert evaluation.mean_ranking([one, other]).average_precision == pytest.approx(
        (1.0 + 0.25) / 2
    )


def test_clef_csv_headerless_tsv_and_claimbuster_json_all_load(tmp_path: Path):
    csv_file = tmp_path / "debates.csv"
    csv_file.write_text(
        "line_number,speaker,text,label,file_name\n"
        '2,SANDERS,"We have 27 million uninsured, and it costs $3 trillion.",1,a.tsv\n'
        "1,MODERATOR,Welcome to the debate.,0,a.tsv\n"
    )
    lines = load_labelled(csv_file)
    assert [(x.debate, x.line, x.speaker, x.label) for x in lines] == [
        ("a.tsv", 2, "SANDERS", 1),
        ("a.tsv", 1, "MODERATOR", 0),
    ]
    assert evaluation.group_debates(lines)["a.tsv"][0].line == 1

    tsv_file = tmp_path / "20160303_gop.tsv"
    tsv_file.write_text("1\tTRUMP\tWe lost 70,000 factories.\t1\n2\tKELLY\tThank you.\t0\n")
    lines = load_labelled(tsv_file)
    assert {x.debate for x in lines} == {"20160303_gop.tsv"}
    assert lines[0].speaker == "TRUMP" and lines[0].text == "We lost 70,000 factories."

    json_file = tmp_path / "train.json"
    json_file.write_text(json.dumps([{"sentence_id": 7, "text": "Hi.", "label": 0}]))
    assert load_labelled(json_file)[0] == evaluation.DebateLine("", 7, None, "Hi.", 0)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("line_number,speaker,text,label\n1,A,Hello.,yes\n", "must be 0 or 1"),
        ("line_number,speaker,text,label\n1,A,Hello.\n", "3 fields"),
        ("a,b\n1,2\n", "expected a header"),
        ('[{"text": "Hi."}]', "needs a text string and a label"),
        ("[{", "not valid JSON"),
        ("", "empty"),
    ],
)
def test_a_malformed_file_is_refused_with_where_and_why(tmp_path: Path, content, message):
    path = tmp_path / "bad.csv"
    path.write_text(content)
    with pytest.raises(LabelledFileError, match=message):
        load_labelled(path)


def test_the_command_refuses_a_bad_file_with_a_clear_error(tmp_path: Path):
    with pytest.raises(CommandError, match="No such file"):
        call_command("evaluate_checkworthiness", str(tmp_path / "missing.csv"))
    path = tmp_path / "one_class.csv"
    path.write_text("text,label\nHello.,0\nBye.,0\n")
    with pytest.raises(CommandError, match="both check-worthy"):
        call_command("evaluate_checkworthiness", str(path))


def test_the_command_prints_sentence_and_per_debate_figures(tmp_path: Path):
    path = tmp_path / "debate.csv"
    path.write_text(
        "line_number,speaker,text,label,file_name\n"
        "1,MODERATOR,Good evening and welcome.,0,d1\n"
        "2,SMITH,Unemployment fell from 10 percent to 4.7 percent in eight years.,1,d1\n"
        "3,SMITH,Thank you.,0,d1\n"
        "1,MODERATOR,What would you do?,0,d2\n"
        "2,JONES,We spent $3.2 billion on prisons last year.,1,d2\n"
    )
    out = StringIO()
    call_command("evaluate_checkworthiness", str(path), "--scorer", "linear", stdout=out)
    text = out.getvalue()
    assert "Scorer: linear; 5 sentences" in text
    assert "ROC AUC 1.0000" in text
    assert "mean of 2 debates (MAP)" in text
    assert text.count("1.0000  1.000") == 3  # both debates and their mean: perfect AP, R-prec


def _shipped(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"The shared data is not at {path}.")
    return path


@pytest.mark.parametrize(
    ("scorer", "figures"),
    [
        # The n-gram model never saw CLEF: out of sample.
        ("linear", "0.2398  0.253  0.316  0.242  0.221"),
        # The context models were fitted on these debates: in sample (README gives the nested
        # figures).
        ("context", "0.2570  0.275  0.358  0.289  0.237"),
        ("context-embedding", "0.2850  0.284  0.421  0.326  0.245"),
    ],
)
def test_on_clef_the_command_prints_the_map_the_readme_states(scorer, figures):
    out = StringIO()
    path = _shipped(evaluation.clef_path())
    call_command("evaluate_checkworthiness", str(path), "--scorer", scorer, stdout=out)
    last = out.getvalue().strip().splitlines()[-1]
    assert last.startswith("mean of 19 debates (MAP)")
    assert last.endswith(figures)


def test_on_claimbusters_heldout_fifth_the_command_prints_the_readme_figures():
    out = StringIO()
    path = _shipped(evaluation.claimbuster_path())
    call_command("evaluate_checkworthiness", str(path), "--heldout", stdout=out)
    text = out.getvalue()
    assert "Scorer: context-embedding; 1595 sentences" in text
    assert "precision 0.810  recall 0.877  F1 0.842" in text
    assert "ROC AUC 0.9661" in text

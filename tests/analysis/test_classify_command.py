from __future__ import annotations

import json
import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command

from retning.analysis.batch import InputError, read_requests


def write_jsonl(path, rows):
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", "utf-8")
    return path


def test_classify_writes_one_line_per_input_in_order(tmp_path, strategy_labels):
    rows = [
        {"id": "c", "text": "Skogeierne trenger bedre skogsbilveier og tømmerterminaler."},
        {"id": 7, "text": "Gatelysene i boligfeltet har vært slukket i flere uker."},
        {"id": "a", "text": "Bedriftene trenger hjelp med digitalisering og kunstig intelligens."},
    ]
    source = write_jsonl(tmp_path / "in.jsonl", rows)
    call_command("classify", str(source), "-o", str(tmp_path / "out.jsonl"))
    answers = [json.loads(x) for x in (tmp_path / "out.jsonl").read_text("utf-8").splitlines()]
    assert [a["id"] for a in answers] == ["c", 7, "a"]
    assert "biookonomi" in answers[0]["labels"]
    assert answers[1]["labels"] == []
    assert "digitalisering-ki" in answers[2]["labels"]
    assert set(answers[2]["scores"]) == {label.id for label in strategy_labels}


def test_classify_reports_every_bad_line_with_its_number(tmp_path, capsys):
    source = tmp_path / "bad.jsonl"
    source.write_text('{"id": 1, "text": "ok"}\n{"id": 2}\nnot json\n\n[1, 2]\n', "utf-8")
    with pytest.raises(CommandError, match="3 bad line"):
        call_command("classify", str(source))
    err = capsys.readouterr().err
    assert f"{source}:2: missing text" in err
    assert f"{source}:3: not valid JSON" in err
    assert f"{source}:5: expected a JSON object" in err


def test_classify_with_examples_uses_the_trained_model(tmp_path):
    examples = write_jsonl(
        tmp_path / "examples.jsonl",
        # 20: below that, the confirmed examples are too few to switch the trained model on
        [{"text": "Flere kafeer i sentrum.", "labels": ["rekruttering-omdomme"]}] * 10
        + [{"text": "Dobbeltspor på jernbanen.", "labels": ["infrastruktur-naeringsarealer"]}] * 10,
    )
    source = write_jsonl(tmp_path / "in.jsonl", [{"id": 1, "text": "Kafeer, takk."}])
    out = tmp_path / "out.jsonl"
    call_command("classify", str(source), "--examples", str(examples), "-o", str(out))
    cold = tmp_path / "cold.jsonl"
    call_command("classify", str(source), "-o", str(cold))
    trained_score = json.loads(out.read_text())["scores"]["rekruttering-omdomme"]
    cold_score = json.loads(cold.read_text())["scores"]["rekruttering-omdomme"]
    assert trained_score > cold_score


def test_classify_refuses_examples_with_unknown_categories(tmp_path, capsys):
    examples = write_jsonl(tmp_path / "ex.jsonl", [{"text": "x", "labels": ["finnes-ikke"]}])
    source = write_jsonl(tmp_path / "in.jsonl", [{"id": 1, "text": "x"}])
    with pytest.raises(CommandError):
        call_command("classify", str(source), "--examples", str(examples))
    assert "ex.jsonl:1: unknown category finnes-ikke" in capsys.readouterr().err


def test_read_requests_refuses_non_string_text():
    with pytest.raises(InputError, match="<input>:1: text must be a string"):
        read_requests(['{"id": 1, "text": 5}'])


def test_classify_command_line_reads_stdin_and_writes_stdout():
    lines = '{"id": "x", "text": "Flere lærlingplasser og fagskole i regionen."}\n'
    done = subprocess.run(
        [sys.executable, "-m", "retning.cli", "classify", "-"],
        input=lines,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    answer = json.loads(done.stdout)
    assert answer["id"] == "x"
    assert "kompetanse-fou" in answer["labels"]

"""``hoanhap rules …``: the exact JSON contract and the exit codes (no database)."""

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from hoanhap.justice.tests.cases import case

HOANHAP = str(Path(sys.executable).parent / "hoanhap")


def write(tmp_path, data, name="case.json"):
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return str(path)


def run(*args):
    out = io.StringIO()
    call_command("rules", *args, stdout=out)
    return out.getvalue()


def test_expungement_json_is_exactly_the_contract(tmp_path):
    """Five keys, ISO date, list of blockers, the rule in English whatever the installation language."""
    answer = json.loads(run("expungement", "--input", write(tmp_path, case(years=2)), "--json"))
    assert answer == {
        "route": "automatic",
        "eligible_on": "2022-03-15",
        "status": "eligible_date_known",
        "blocked_by": [],
        "rule": "Criminal Code 2015 Art. 70(2)(b): 2 years after completing imprisonment of up to 5 years",
    }


def test_blocked_court_case_json(tmp_path):
    data = case(months=66, chapters=[16, 13], obligations=None, convictions=[("2021-01-01", None)])
    answer = json.loads(run("expungement", "--input", write(tmp_path, data), "--json"))
    assert {k: answer[k] for k in ("route", "eligible_on", "status", "blocked_by")} == {
        "route": "court",
        "eligible_on": None,
        "status": "blocked",
        "blocked_by": ["obligations", "new_conviction"],
    }
    assert "71(2)(c)" in answer["rule"]


def test_explain_adds_the_facts(tmp_path):
    answer = json.loads(run("expungement", "--input", write(tmp_path, case(years=2)), "--json", "--explain"))
    assert list(answer)[-1] == "explanation"
    assert any("15/03/2022" in line for line in answer["explanation"])


def test_input_from_standard_input(monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO(json.dumps(case(penalty_type="warning"))))
    assert json.loads(run("expungement", "--input", "-", "--json"))["eligible_on"] == "2021-03-15"


def test_invalid_input_prints_a_json_error_and_exits_2(tmp_path):
    data = case(years=2)
    data["main_penalty"]["type"] = "prison"
    out = io.StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("rules", "expungement", "--input", write(tmp_path, data), "--json", stdout=out)
    assert caught.value.returncode == 2
    error = json.loads(out.getvalue())
    assert error["field"] == "main_penalty.type"
    assert error["error"].startswith("main_penalty.type: ")


@pytest.mark.parametrize(("text", "needle"), [("{not json", "not valid JSON"), ("", "not valid JSON")])
def test_unreadable_json_is_invalid_input(tmp_path, text, needle):
    out = io.StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("rules", "expungement", "--input", write(tmp_path, text), "--json", stdout=out)
    assert caught.value.returncode == 2
    assert needle in json.loads(out.getvalue())["error"]


def test_missing_file_is_invalid_input(tmp_path):
    out = io.StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("rules", "recidivism", "--input", str(tmp_path / "nope.json"), "--json", stdout=out)
    assert caught.value.returncode == 2
    assert json.loads(out.getvalue())["field"] is None


def test_recidivism_and_conditional_release_subcommands(tmp_path):
    rec = {
        "prior_convictions": [{"severity": "very_serious", "intent": "intentional"}],
        "new_offence": {"severity": "particularly_serious", "intent": "intentional"},
    }
    assert json.loads(run("recidivism", "--input", write(tmp_path, rec), "--json"))["classification"] == (
        "dangerous_recidivism"
    )
    rel = {"term": {"years": 7}, "served_from": "2020-01-10"}
    answer = json.loads(run("conditional-release", "--input", write(tmp_path, rel, "rel.json"), "--json"))
    assert (answer["eligible_on"], answer["shortening_from"]) == ("2023-07-10", "2025-04-10")
    assert (
        json.loads(run("conditional_release", "--input", write(tmp_path, rel, "rel.json"), "--json"))
        == answer
    )


def test_readable_output_without_json(tmp_path):
    text = run("expungement", "--input", write(tmp_path, case(years=2)))
    assert "eligible_on: 2022-03-15" in text
    assert "  - " in text  # the explanation follows


def console(*args, stdin=None):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    return subprocess.run(
        [HOANHAP, *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
        env=env,
        timeout=60,
        check=False,
    )


def test_console_exit_codes(tmp_path):
    """Through the real console script: 0 when computed (blocked included), 2 for invalid input."""
    blocked = console(
        "rules", "expungement", "--input", write(tmp_path, case(years=2, obligations=None)), "--json"
    )
    assert blocked.returncode == 0, blocked.stderr
    assert json.loads(blocked.stdout)["status"] == "blocked"

    invalid = console("rules", "expungement", "--input", "-", "--json", stdin='{"main_penalty": 3}')
    assert invalid.returncode == 2
    assert json.loads(invalid.stdout) == {
        "error": "main_penalty: Expected a JSON object.",
        "field": "main_penalty",
    }

"""``hoanhap geo resolve``: the JSON contract, the table, the exit code."""

import json

import pytest
from django.core.management import call_command
from django.db import connections

from hoanhap.cli import main
from hoanhap.geo.resolver import resolve

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _keep_the_test_connection(monkeypatch):
    """A command closes every connection when it ends; in-process that would end the test's
    transaction on PostgreSQL, so closing is a no-op here."""
    monkeypatch.setattr(connections, "close_all", lambda: None)


def run_json(capsys, *args: str) -> dict:
    assert main(["hoanhap", "geo", "resolve", *args, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_json_shape_is_the_contract(capsys):
    """--json prints matches/legacy/message with exactly the documented keys and types."""
    data = run_json(capsys, "TT Núi Sập, H. Thoại Sơn, T. An Giang")
    assert set(data) == {"matches", "legacy", "message"}
    assert data["matches"] == [
        {
            "code": 30682,
            "name": "Xã Thoại Sơn",
            "province_code": 91,
            "province_name": "Tỉnh An Giang",
            "partial": False,
        }
    ]
    assert data["legacy"] == {
        "province": "Tỉnh An Giang",
        "district": "Huyện Thoại Sơn",
        "commune": "Thị trấn Núi Sập",
    }
    assert data["message"] is None


def test_json_equals_the_python_api(capsys):
    """The command prints ``Resolution.as_dict()`` and nothing else."""
    text = "Xã Phú Hội, huyện An Phú, An Giang"
    assert run_json(capsys, text) == json.loads(json.dumps(resolve(text).as_dict()))


@pytest.mark.parametrize("text", ["An Giang", "Huyện Thoại Sơn", "không có gì ở đây", "Xã Phú Hòa"])
def test_no_match_still_exits_zero_with_a_message(capsys, text):
    """Nothing matched is an answer: exit 0, empty matches, legacy null, a message."""
    data = run_json(capsys, text)
    assert data["matches"] == []
    assert data["legacy"] is None
    assert isinstance(data["message"], str)
    assert data["message"]


def test_split_commune_gives_partial_matches(capsys):
    """A split legacy commune: several matches, each partial."""
    data = run_json(capsys, "Xã Phước Hưng, An Phú, An Giang")
    assert [m["code"] for m in data["matches"]] == [30337, 30346, 30352]
    assert all(m["partial"] for m in data["matches"])


def test_province_hint_option(capsys):
    """--province-hint CODE breaks a tie between provinces."""
    data = run_json(capsys, "Xã Phú Hòa", "--province-hint", "91")
    assert [m["code"] for m in data["matches"]] == [30685]


def test_unknown_province_hint_is_a_usage_error():
    """A province code that does not exist is refused before resolving."""
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("geo", "resolve", "Xã Phú Hòa", "--province-hint", "3")


def test_readable_table_without_json(capsys):
    """Without --json: one row per match, the legacy path, and the message."""
    assert main(["hoanhap", "geo", "resolve", "Xã Vĩnh Châu, TP Châu Đốc, An Giang"]) == 0
    out = capsys.readouterr().out
    assert "30316" in out
    assert "Phường Châu Đốc" in out
    assert "30325" in out
    assert "Phường Vĩnh Tế" in out
    assert "Xã Vĩnh Châu" in out


def test_readable_table_lists_candidates_when_ambiguous(capsys):
    """An ambiguous text lists the communes it could be."""
    assert main(["hoanhap", "geo", "resolve", "Xã Phú Hòa"]) == 0
    out = capsys.readouterr().out
    assert "30685" in out
    assert "26221" in out

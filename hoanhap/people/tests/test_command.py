"""``hoanhap person search``: exact JSON shape, scoping by --user and --scope."""

import json

import pytest
from django.db import connections

from hoanhap.cli import main
from hoanhap.core.testing import CHAU_DOC

from .conftest import make_person

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _keep_the_test_connection(monkeypatch):
    monkeypatch.setattr(connections, "close_all", lambda: None)


def run(capsys, *args):
    main(["hoanhap", "person", "search", *args])
    return capsys.readouterr().out


def test_json_has_exactly_the_documented_shape(capsys):
    person = make_person(full_name="Nguyễn Văn Hòa", birth_year=1985)
    make_person(full_name="Nguyễn Văn Hòa", birth_year=None, commune_id=None, status="in_prison")
    out = json.loads(run(capsys, "NGUYEN VAN HOA", "--json"))
    assert list(out) == ["results"]
    assert out["results"][0] == {
        "id": person.record_code,
        "full_name": "Nguyễn Văn Hòa",
        "birth_year": 1985,
        "commune": "Xã Thoại Sơn",
        "status": "in_management",
    }
    assert out["results"][1]["commune"] == ""
    assert out["results"][1]["birth_year"] is None
    assert all(set(r) == {"id", "full_name", "birth_year", "commune", "status"} for r in out["results"])


def test_limit_and_scope_narrow_the_results(capsys):
    for i in range(5):
        make_person(full_name=f"Lê Văn {chr(65 + i)}")
    make_person(full_name="Lê Văn Châu", commune_id=CHAU_DOC)
    assert len(json.loads(run(capsys, "le van", "--json", "--limit", "2"))["results"]) == 2
    scoped = json.loads(run(capsys, "le van", "--json", "--scope", f"commune:{CHAU_DOC}"))["results"]
    assert [r["full_name"] for r in scoped] == ["Lê Văn Châu"]


def test_user_narrows_to_their_areas_and_cannot_widen(capsys, chau_doc_officer):
    make_person(full_name="Nguyễn Văn Hòa")
    make_person(full_name="Nguyễn Văn Hoà", commune_id=CHAU_DOC)
    out = json.loads(run(capsys, "nguyen van hoa", "--json", "--user", chau_doc_officer.username))
    assert [r["commune"] for r in out["results"]] == ["Phường Châu Đốc"]
    with pytest.raises(SystemExit):
        run(capsys, "hoa", "--json", "--user", chau_doc_officer.username, "--scope", "province:91")

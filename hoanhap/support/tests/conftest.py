"""Accounts and records shared by the support tests: Xã Thoại Sơn (An Giang) is the officers' commune."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from hoanhap.access.models import Organisation
from hoanhap.access.roles import Role
from hoanhap.core.testing import AN_GIANG, CHAU_DOC, THOAI_SON, make_organisation, make_user
from hoanhap.intake.testing import make_person
from hoanhap.justice.tests import records

PLACE = (AN_GIANG, THOAI_SON)
ELSEWHERE = (AN_GIANG, CHAU_DOC)


@pytest.fixture
def officer():
    return make_user(Role.COMMUNE_OFFICER, commune=THOAI_SON, username="congan_thoaison")


@pytest.fixture
def other_officer():
    return make_user(Role.COMMUNE_OFFICER, commune=CHAU_DOC, username="congan_chaudoc")


@pytest.fixture
def committee():
    return make_user(Role.COMMUNE_COMMITTEE, commune=THOAI_SON, username="ubnd_thoaison")


@pytest.fixture
def leader():
    return make_user(Role.PROVINCE_LEADER, province=AN_GIANG, username="lanhdao")


@pytest.fixture
def union():
    return make_organisation(
        Organisation.Kind.WOMENS_UNION, province=AN_GIANG, commune=THOAI_SON, name="Hội Phụ nữ"
    )


@pytest.fixture
def helper(union):
    return make_user(Role.HELPER, organisation=union, username="hoiphunu")


@pytest.fixture
def person():
    return make_person(PLACE, full_name="Lê Văn Tâm")


@pytest.fixture
def released(person):
    """Released on completion of a 3-year term on 01/07/2021, certificate 7/GCN."""
    judgment = records.make_judgment(
        person,
        offence_committed_on=dt.date(2018, 6, 1),
        judgment_date=dt.date(2018, 12, 15),
        main_penalty_started_on=dt.date(2018, 7, 1),
    )
    records.make_release(
        judgment,
        certificate_number="7/GCN",
        release_date=dt.date(2021, 7, 1),
        certificate_date=dt.date(2021, 7, 1),
    )
    return person


TODAY = dt.date(2025, 12, 1)


@pytest.fixture(autouse=True)
def _support_today(monkeypatch):
    """The support rules count from "today": pinned, so that the five-year window of the fixtures holds."""
    from hoanhap.support import selectors

    monkeypatch.setattr(selectors, "today", lambda: TODAY)


@pytest.fixture(autouse=True)
def _english():
    """Assertions read messages in English (the msgids); pages are checked in Vietnamese where it matters."""
    with translation.override("en"):
        yield

"""Personas and a person factory for the people tests (units from hoanhap.core.testing)."""

from __future__ import annotations

import itertools

import pytest

from hoanhap.access.roles import Role
from hoanhap.core.testing import AN_GIANG, CHAU_DOC, HA_NOI, THOAI_SON, make_user
from hoanhap.people.models import Person

_seq = itertools.count(1)


def make_person(**fields) -> Person:
    """A person saved directly (record code and search keys filled by the model)."""
    values = {
        "full_name": "Nguyễn Văn Hòa",
        "sex": Person.Sex.MALE,
        "birth_year": 1985,
        "province_id": AN_GIANG,
        "commune_id": THOAI_SON,
        "status": Person.Status.IN_MANAGEMENT,
    }
    values.update(fields)
    return Person.objects.create(**values)


def person_data(**fields) -> dict:
    """Input for services.person_create: a man born 1985 living in Xã Thoại Sơn."""
    data = {
        "full_name": "Trần Văn Bình",
        "sex": "male",
        "birth_year": 1985,
        "province": AN_GIANG,
        "commune": THOAI_SON,
        "address": "Ấp Trung Bình Tiến",
        "nationality": "VN",
    }
    data.update(fields)
    return data


def valid_id(*, province: str = "091", sex: str = "male", year: int = 1985) -> str:
    """A structurally valid personal identification number, different on each call."""
    digit = {("male", 19): 0, ("female", 19): 1, ("male", 20): 2, ("female", 20): 3}[(sex, year // 100)]
    return f"{province}{digit}{year % 100:02d}{next(_seq):06d}"


@pytest.fixture
def thoai_son_officer():
    return make_user(Role.COMMUNE_OFFICER, commune=THOAI_SON, username="cs.thoaison")


@pytest.fixture
def chau_doc_officer():
    return make_user(Role.COMMUNE_OFFICER, commune=CHAU_DOC, username="cs.chaudoc")


@pytest.fixture
def province_officer():
    return make_user(Role.PROVINCE_OFFICER, province=AN_GIANG, username="ca.angiang")


@pytest.fixture
def hanoi_officer():
    return make_user(Role.PROVINCE_OFFICER, province=HA_NOI, username="ca.hanoi")


@pytest.fixture
def system_admin():
    return make_user(Role.SYSTEM_ADMIN, username="quantri")


@pytest.fixture
def helper():
    from hoanhap.access.models import Organisation
    from hoanhap.core.testing import make_organisation

    org = make_organisation(Organisation.Kind.WOMENS_UNION, province=AN_GIANG, commune=THOAI_SON)
    return make_user(Role.HELPER, organisation=org, username="hoi.phunu")


@pytest.fixture(autouse=True)
def _english(client):
    """Messages are asserted in English (the msgids); the site speaks Vietnamese unless the language
    cookie (the language switch) asks for English."""
    from django.conf import settings
    from django.utils import translation

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield

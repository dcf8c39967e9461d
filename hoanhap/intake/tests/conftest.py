"""Personas for the intake tests: officers of two communes, a province officer, a detention facility."""

from __future__ import annotations

import pytest
from django.utils import translation

from hoanhap.access.roles import Role
from hoanhap.core.testing import AN_GIANG, BA_DINH, CHAU_DOC, THOAI_SON, make_user
from hoanhap.intake import calendar
from hoanhap.intake.testing import make_facility


@pytest.fixture(autouse=True)
def _english():
    """Assertions read messages in English (the msgids); pages are checked in Vietnamese where it matters."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _fresh_calendar():
    """Calendar overrides are cached per process; a rolled-back test must not leak its days."""
    calendar.clear_cache()
    yield
    calendar.clear_cache()


@pytest.fixture
def officer():
    return make_user(Role.COMMUNE_OFFICER, commune=THOAI_SON, username="cs.thoaison")


@pytest.fixture
def chau_doc_officer():
    return make_user(Role.COMMUNE_OFFICER, commune=CHAU_DOC, username="cs.chaudoc")


@pytest.fixture
def ba_dinh_officer():
    return make_user(Role.COMMUNE_OFFICER, commune=BA_DINH, username="cs.badinh")


@pytest.fixture
def province_officer():
    return make_user(Role.PROVINCE_OFFICER, province=AN_GIANG, username="ct.angiang")


@pytest.fixture
def admin():
    return make_user(Role.SYSTEM_ADMIN, username="quantri")


@pytest.fixture
def facility():
    return make_facility("Trại giam Định Thành")


@pytest.fixture
def facility_user(facility):
    return make_user(Role.FACILITY, organisation=facility, username="trai.dinhthanh")


@pytest.fixture
def other_facility_user():
    return make_user(Role.FACILITY, organisation=make_facility("Trại giam Xuân Lộc"), username="trai.xuanloc")


@pytest.fixture
def client():
    """A test client that asks for English pages (messages are asserted on their msgids)."""
    from django.test import Client

    return Client(HTTP_ACCEPT_LANGUAGE="en")

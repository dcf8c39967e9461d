"""Personas for the case-work tests: police officers of two communes, the commune committee, a helper."""

from __future__ import annotations

import pytest
from django.utils import translation

from hoanhap.access.models import Organisation
from hoanhap.access.roles import Role
from hoanhap.core.testing import AN_GIANG, CHAU_DOC, THOAI_SON, make_organisation, make_user
from hoanhap.intake.testing import make_person

PLACE = (AN_GIANG, THOAI_SON)
OTHER_PLACE = (AN_GIANG, CHAU_DOC)


@pytest.fixture(autouse=True)
def _english():
    """Assertions read messages in English (the msgids)."""
    with translation.override("en"):
        yield


@pytest.fixture
def officer():
    return make_user(Role.COMMUNE_OFFICER, commune=THOAI_SON, username="cs.thoaison")


@pytest.fixture
def chau_doc_officer():
    return make_user(Role.COMMUNE_OFFICER, commune=CHAU_DOC, username="cs.chaudoc")


@pytest.fixture
def committee():
    return make_user(Role.COMMUNE_COMMITTEE, commune=THOAI_SON, username="ubnd.thoaison")


@pytest.fixture
def union():
    return make_organisation(Organisation.Kind.WOMENS_UNION, province=AN_GIANG, commune=THOAI_SON)


@pytest.fixture
def helper(union):
    return make_user(Role.HELPER, username="hoiphunu", organisation=union)


@pytest.fixture
def person():
    return make_person(PLACE, full_name="Trần Văn Hòa")


@pytest.fixture
def client():
    """Pages in English, so that assertions read the msgids (the Vietnamese catalogue comes later)."""
    from django.conf import settings
    from django.test import Client

    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client

"""List pages and endpoints run the same number of queries with ten times more rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hoanhap.casework.testing import make_helper_assignment
from hoanhap.core.testing import sign_in
from hoanhap.support.testing import make_action, make_child, make_evidence, make_form01, make_referral

from .conftest import PLACE

pytestmark = pytest.mark.django_db

URLS = [
    reverse("support:action-list"),
    reverse("support:action-list") + "?commune=30682&kind=vocational_training",
    reverse("support:child-list"),
    reverse("support:referral-list"),
    reverse("support:form01-list"),
    "/api/v1/support/actions/",
    "/api/v1/support/children/",
    "/api/v1/support/referrals/",
    "/api/v1/support/form01-lists/",
]


def add_rows(count: int, person, union) -> None:
    for _ in range(count):
        make_action(PLACE, person=person, provider=union)
        make_evidence(PLACE)
        child = make_child(PLACE, parent=person)
        make_action(PLACE, child=child, kind="gift_in_kind", item="Vở", provider=union)
        make_referral(PLACE)
        make_form01(PLACE)


def counts(client, urls) -> dict[str, int]:
    out = {}
    for url in urls:
        client.get(url)  # warm caches
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200, url
        out[url] = len(captured)
    return out


def test_list_pages_run_a_bounded_number_of_queries(client, officer, person, union):
    sign_in(client, officer)
    add_rows(1, person, union)
    small = counts(client, URLS + [person.get_absolute_url()])
    add_rows(9, person, union)
    large = counts(client, URLS + [person.get_absolute_url()])
    assert large == small


def test_a_helpers_support_list_is_bounded_too(client, helper, union, person):
    make_helper_assignment(PLACE, person=person, organisation=union)
    sign_in(client, helper)
    add_rows(1, person, union)
    urls = [reverse("support:action-list"), "/api/v1/support/actions/", person.get_absolute_url()]
    small = counts(client, urls)
    add_rows(9, person, union)
    assert counts(client, urls) == small

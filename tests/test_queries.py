"""The number of SQL queries of a list page does not grow with the number of rows it lists.

Every GET URL without ids (pages and API) that a system administrator opens with 200 is requested
with a small data set and again after ten times more rows of every model in ``tests.factories``
(organisations, accounts, role grants, audit entries, …) were added. A page that fetches a related
row per listed row (N+1) answers with more queries the second time and fails here.
"""

from __future__ import annotations

import re
from collections import Counter

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from hoanhap.access.roles import Role
from hoanhap.core.testing import make_user, sign_in
from tests.factories import IN_SCOPE, OUT_OF_SCOPE, OWNER, REFERENCE, REGISTRY
from tests.urlwalk import all_endpoints

pytestmark = pytest.mark.django_db

SMALL = 1  # rows per model and place in the small data set
GROWTH = 10


def add_rows(per_place: int, owner) -> None:
    for factory in REGISTRY.values():
        if factory.scoping == REFERENCE:
            continue  # administrative units are loaded once; they do not grow
        for _ in range(per_place):
            if factory.scoping == OWNER:
                factory.make(owner=owner)
            else:
                factory.make(place=IN_SCOPE)
                factory.make(place=OUT_OF_SCOPE)


def run(client: Client, url: str) -> tuple[int, Counter]:
    """The status of GET ``url`` and its queries, counted by shape (literals folded away)."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    return response.status_code, Counter(_LITERALS.sub("?", q["sql"]) for q in captured.captured_queries)


_LITERALS = re.compile(r"'[^']*'|\"s\d+_x\d+\"|\b\d+\b|%s")


def test_list_pages_run_a_bounded_number_of_queries():
    """Ten times more rows never means more queries on any list page or list endpoint."""
    admin = make_user(Role.SYSTEM_ADMIN.value, username="query_admin")
    client = Client(raise_request_exception=False)
    sign_in(client, admin)
    add_rows(SMALL, admin)

    urls = [e.url() for e in all_endpoints() if not e.takes_ids and e.is_ours and not e.is_public]
    small: dict[str, Counter] = {}
    for url in urls:
        client.get(url)  # warm caches (content types, translations, the session)
        status, queries = run(client, url)
        if status == 200:
            small[url] = queries
    assert small, "no list page answered 200 to a system administrator: nothing was measured"

    add_rows(SMALL * (GROWTH - 1), admin)
    grew = []
    for url, before in small.items():
        client.get(url)  # warm again: a cache that expired meanwhile (the calendar's) is not growth
        status, after = run(client, url)
        if status != 200:
            grew.append(f"{url}: 200 with the small data set, {status} with ten times more rows")
        elif after.total() > before.total():
            extra = [f"    {after[q] - before[q]}× more: {q[:300]}" for q in after if after[q] > before[q]]
            grew.append(f"{url}: {before.total()} queries, then {after.total()}:\n" + "\n".join(extra))
    assert not grew, "the number of queries grows with the data:\n" + "\n".join(grew)

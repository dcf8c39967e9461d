"""The search's SQL: a few statements per search whatever the kind, the page rows read whole in one
statement, and any scoped queryset (joined, distinct, empty) searched alike."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hoanhap.access.policy import SYSTEM
from hoanhap.core.testing import AN_GIANG, CHAU_DOC, HA_NOI
from hoanhap.people import search, selectors
from hoanhap.people.models import Person

from .conftest import make_person, valid_id

pytestmark = pytest.mark.django_db


@pytest.fixture
def registry():
    number = valid_id()
    return {
        "hoa": make_person(full_name="Nguyễn Văn Hòa", personal_id=number),
        "hoa_cd": make_person(full_name="Nguyễn Văn Hoà", commune_id=CHAU_DOC),
        "hoa_plain": make_person(full_name="Nguyễn Văn Hoa", other_names="Út"),
        "hoang": make_person(full_name="Nguyễn Văn Hoàng"),
        "lan": make_person(full_name="Trần Thị Lan", sex="female", stateless=True),
        "prison": make_person(full_name="Trần Văn Hòa", commune_id=None, status=Person.Status.IN_PRISON),
        "hanoi": make_person(full_name="Lê Văn Hòa", province_id=HA_NOI, commune_id=None),
    }


def statements(actor, q, **kwargs) -> tuple[int, list[str]]:
    """Statements of one search (the actor's grants and the token statistics read beforehand)."""
    selectors.person_search(actor=actor, q=q, **kwargs)
    with CaptureQueriesContext(connection) as run:
        page = selectors.person_search(actor=actor, q=q, **kwargs)
    return len(run.captured_queries), [p.full_name for p in page.people]


HOA = {"Nguyễn Văn Hòa", "Nguyễn Văn Hoà", "Nguyễn Văn Hoa"}


@pytest.mark.parametrize(
    ("q", "limit", "most", "top"),
    [
        ("", 25, 2, {"Nguyễn Văn Hoa"}),  # the list: ids in name order, then the rows
        ("personal_id", 25, 2, {"Nguyễn Văn Hòa"}),  # a number: the same
        ("Nguyễn Văn Hòa", 2, 2, {"Nguyễn Văn Hòa", "Nguyễn Văn Hoà"}),  # both exact tiers, word list: one
        ("van ho", 25, 4, HOA),  # + the given-name part, + the words elsewhere
        # 'ngyen' starts no known word: tiers 1-3 cannot match and are not asked; + close words,
        # + candidates (twice at most; SQLite reads the corrected names and the token hits apart)
        ("ngyen van hoa", 25, 6 if connection.vendor == "sqlite" else 5, HOA),
    ],
)
def test_each_kind_of_search_costs_a_few_statements(registry, province_officer, q, limit, most, top):
    q = registry["hoa"].personal_id if q == "personal_id" else q
    count, found = statements(province_officer, q, limit=limit)
    assert set(found[: len(top)]) == top
    assert count <= most, count


def test_page_rows_come_whole_in_the_order_asked_with_their_units(registry, django_assert_num_queries):
    ids = [registry["prison"].pk, registry["lan"].pk, registry["hanoi"].pk, 0]
    with django_assert_num_queries(1):
        rows = search.page_rows(ids)
        units = [(p.province.name, p.commune.name if p.commune else None) for p in rows]
    assert [p.pk for p in rows] == ids[:3]
    assert units[0][1] is None
    assert units[1][1]
    assert units[2][1] is None
    expected = Person.objects.get(pk=registry["lan"].pk)
    for field in Person._meta.concrete_fields:
        assert getattr(rows[1], field.attname) == getattr(expected, field.attname), field.name
    assert rows[1].stateless is True
    assert rows[1].created_at.tzinfo is not None
    assert rows[1]._state.adding is False
    assert search.page_rows([]) == []


def test_page_rows_of_an_export_are_read_in_batches_the_database_accepts(registry, monkeypatch):
    """SQLite takes at most 999 parameters a statement; an export reads up to 50,000 people."""
    ids = [p.pk for p in registry.values()][::-1]
    monkeypatch.setattr(connection.features, "max_query_params", 3)
    with CaptureQueriesContext(connection) as run:
        rows = search.page_rows(ids)
    assert [p.pk for p in rows] == ids
    assert len(run.captured_queries) == (1 if connection.vendor == "postgresql" else 3)


def test_any_scoped_queryset_is_searched_alike(registry):
    """A filter through a join, a distinct queryset and an empty one give what the plain filter gives."""
    base = selectors.person_list(actor=SYSTEM)
    plain = base.filter(province_id=AN_GIANG, commune__isnull=False)
    joined = base.filter(commune__province_id=AN_GIANG)  # a join to the communes
    for q in ["", "nguyen van hoa", "van ho", "ngyen van hoa", registry["hoa"].personal_id]:
        expected = search.ranked_ids(plain, q, limit=10)
        assert expected[0]
        assert search.ranked_ids(joined, q, limit=10) == expected
        assert search.ranked_ids(plain.distinct(), q, limit=10) == expected
        assert search.ranked_ids(base.none(), q, limit=10) == ([], False)

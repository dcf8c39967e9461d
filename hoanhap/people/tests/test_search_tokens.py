"""The role tokens and word list behind the fast name search (migration 0005) give the same answers
as walking the name order, on both databases, and follow every write."""

import pytest
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hoanhap.access.policy import SYSTEM
from hoanhap.core.testing import AN_GIANG, THOAI_SON
from hoanhap.people import search, selectors
from hoanhap.people import search_tokens as tok
from hoanhap.people.models import Person

from .conftest import make_person

pytestmark = pytest.mark.django_db


def names(actor, q, **kwargs):
    return [p.full_name for p in selectors.person_search(actor=actor, q=q, **kwargs).people]


def walked(monkeypatch, q, limit=20):
    """The ranking with the tokens switched off: every tier answered by walking the name order."""
    with monkeypatch.context() as m:
        m.setattr(tok._Tokens, "available", property(lambda self: False))
        ids, _more = search.ranked_ids(selectors.person_list(actor=SYSTEM), q, limit=limit)
    return ids


def ranked(q, limit=20):
    return search.ranked_ids(selectors.person_list(actor=SYSTEM), q, limit=limit)[0]


def test_the_tokens_name_the_given_name_and_every_other_word():
    """'lê ngọc thành phong': the given name is Phong; Lê, Ngọc, Thành and the alias are other words."""
    person = make_person(full_name="Lê Ngọc Thành Phong", other_names="Út")
    hits = tok.given_name_hits(["le", "thanh", "phong"], tok.spelling(["le", "thanh", "phong"]))
    assert hits == [person.pk]
    assert tok.given_name_hits(["phong", "le"], tok.spelling(["phong", "le"])) == []
    assert tok.elsewhere_hits(["ut"], tok.spelling(["ut"]), prefix=False) == [person.pk]
    assert tok.elsewhere_hits(["phong"], tok.spelling(["phong"]), prefix=False) == []


def test_the_word_list_expands_a_typed_prefix_into_known_words():
    make_person(full_name="Nguyễn Văn Hoàng")
    make_person(full_name="Ngô Thị Hoa")
    spelled = tok.spelling(["ng", "hoa", "xyz"])
    assert spelled["ng"] == ["ngo", "nguyen"]
    assert spelled["hoa"] == ["hoa", "hoang"]
    assert spelled["xyz"] == []


def test_tokens_and_word_list_follow_renames_and_deletions():
    person = make_person(full_name="Phạm Thị Xuyến")
    assert tok.given_name_hits(["pham", "xuyen"], tok.spelling(["pham", "xuyen"])) == [person.pk]
    person.full_name = "Phạm Thị Xuân"
    person.save()
    assert tok.given_name_hits(["pham", "xuyen"], tok.spelling(["pham", "xuyen"])) == []
    assert tok.given_name_hits(["pham", "xuan"], tok.spelling(["pham", "xuan"])) == [person.pk]
    person.delete()
    assert tok.given_name_hits(["pham", "xuan"], tok.spelling(["pham", "xuan"])) == []


def test_the_last_word_as_another_name_comes_after_the_given_name_matches(province_officer):
    """'le phong': Lê Văn Phong first (given name Phong), then the others holding both, in name order."""
    make_person(full_name="Phong Văn Lê")
    make_person(full_name="Lê Văn Phong")
    make_person(full_name="Lê Thị Phong Lan", sex="female")
    assert names(province_officer, "le phong") == ["Lê Văn Phong", "Lê Thị Phong Lan", "Phong Văn Lê"]


def test_a_word_may_be_satisfied_by_the_given_name_itself(province_officer):
    """'hoa hoang': the given name Hoàng starts with both words."""
    make_person(full_name="Trần Hoàng")
    assert names(province_officer, "hoa hoang") == ["Trần Hoàng"]


def test_a_mistyped_word_is_corrected_through_the_known_words(province_officer):
    make_person(full_name="Nguyễn Văn Hòa")
    make_person(full_name="Trần Thị Lan", sex="female")
    assert names(province_officer, "ngyen van hoa") == ["Nguyễn Văn Hòa"]
    assert names(province_officer, "nguyen vann hoa") == ["Nguyễn Văn Hòa"]
    assert names(province_officer, "tran thi lann") == ["Trần Thị Lan"]


def test_a_commune_officer_gets_only_their_commune_from_the_tokens(registry_two_communes, thoai_son_officer):
    assert names(thoai_son_officer, "le ngoc phong") == ["Lê Ngọc Phong"]


@pytest.fixture
def registry_two_communes():
    from hoanhap.core.testing import CHAU_DOC

    make_person(full_name="Lê Ngọc Phong")
    make_person(full_name="Lê Ngọc Phong", commune_id=CHAU_DOC)


FAMILY = ["Nguyễn", "Lê", "Phan", "Hoàng", "Văn"]
MIDDLE = ["Văn", "Thị", "Ngọc", "Hoàng", "Thanh"]
GIVEN = ["Hòa", "Hoàng", "Lan", "Thanh", "Văn", "Hoa", "Ngọc"]
WORDS = ["nguyen", "le", "phan", "hoang", "van", "thi", "ngoc", "thanh", "hoa", "lan", "ho", "ng", "th", "h"]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    people=st.lists(
        st.tuples(
            st.sampled_from(FAMILY), st.lists(st.sampled_from(MIDDLE), max_size=2), st.sampled_from(GIVEN)
        ),
        min_size=3,
        max_size=12,
    ),
    query=st.lists(st.sampled_from(WORDS), min_size=1, max_size=3),
)
def test_the_tokens_rank_exactly_like_walking_the_name_order(people, query):
    """Whatever the registry and the words typed, the tokens find the same people in the same order."""
    monkeypatch = pytest.MonkeyPatch()
    try:
        for family, middle, given_name in people:
            make_person(full_name=" ".join([family, *middle, given_name]), birth_year=None)
        q = " ".join(query)
        expected = walked(monkeypatch, q)
        got = ranked(q)
        with monkeypatch.context() as m:
            m.setattr(search, "fuzzy_candidates", lambda *args, **kwargs: [])
            words_found = ranked(q)
        if words_found:
            assert got == expected
        else:  # only similar names: the tokens offer at least the candidates the scan finds
            assert set(got) >= set(expected)
    finally:
        monkeypatch.undo()
        Person.objects.filter(province_id=AN_GIANG, commune_id=THOAI_SON).delete()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the token function exists on PostgreSQL only")
def test_postgres_tokens_name_the_given_name_the_other_words_and_their_pairs():
    """The SQLite tokens, plus ``rr_`` for every two other words (GIN reads long lists whole)."""
    person = make_person(full_name="Nguyễn Văn Hòa", other_names="Út Hòa")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT people_search_tokens(name_folded, search_text)::text FROM people_person WHERE id = %s",
            [person.pk],
        )
        tokens = set(cursor.fetchone()[0].replace("'", "").split())
    plain = {"nguyen", "van", "hoa", "ut", "g_hoa", "r_nguyen", "r_van", "r_ut", "r_hoa"}
    pairs = {"rg_nguyen_hoa", "rg_van_hoa", "rg_ut_hoa", "rg_hoa_hoa"}
    rest = {"rr_nguyen_van", "rr_nguyen_ut", "rr_hoa_nguyen", "rr_ut_van", "rr_hoa_van", "rr_hoa_ut"}
    assert tokens == plain | pairs | rest


def test_a_mistyped_common_name_is_found_by_its_corrected_full_name(province_officer, monkeypatch):
    """At a million people the token lists of "Nguyễn Văn Hòa" are too long to read and are skipped;
    the corrected full name is then looked up in the folded-name index."""
    make_person(full_name="Nguyễn Văn Hòa")
    make_person(full_name="Nguyễn Thị Hoa", sex="female")
    monkeypatch.setattr(tok, "DRIVER_ROWS", -1)  # every token list counts as too long
    assert names(province_officer, "nguyen vann hoa")[0] == "Nguyễn Văn Hòa"
    assert names(province_officer, "ngyen van hoa")[0] == "Nguyễn Văn Hòa"

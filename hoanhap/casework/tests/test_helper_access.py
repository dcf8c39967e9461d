"""A helper's access to people starts and ends with the assignment, and never reaches the judicial side."""

import datetime as dt

import pytest
from django.urls import reverse

from hoanhap.access import policy
from hoanhap.access.models import Organisation
from hoanhap.access.roles import Cap, Role
from hoanhap.casework.testing import make_helper_assignment
from hoanhap.core.testing import AN_GIANG, THOAI_SON, make_organisation, make_user, sign_in
from hoanhap.intake.testing import make_person
from hoanhap.justice.models import Judgment
from hoanhap.people.models import Person, Relative

pytestmark = pytest.mark.django_db

PLACE = (AN_GIANG, THOAI_SON)


@pytest.fixture
def union():
    return make_organisation(Organisation.Kind.WOMENS_UNION, province=AN_GIANG, commune=THOAI_SON)


@pytest.fixture
def helper(union):
    return make_user(Role.HELPER, username="hoiphunu", organisation=union)


def test_helper_sees_only_people_assigned_to_their_organisation(helper, union):
    """People of the same commune without an assignment stay invisible to the helper."""
    assigned = make_helper_assignment(PLACE, organisation=union).person
    make_person(PLACE, full_name="Người Khác")
    visible = policy.restrict(Person.objects.all(), helper, Cap.VIEW_PEOPLE)
    assert list(visible) == [assigned]


def test_helper_account_assigned_in_person_sees_the_person(helper):
    """An assignment naming the helper's own account opens the person even through another organisation."""
    other_union = make_organisation(Organisation.Kind.YOUTH_UNION, province=AN_GIANG, commune=THOAI_SON)
    person = make_helper_assignment(PLACE, organisation=other_union, user=helper).person
    assert policy.allows(helper, Cap.VIEW_PEOPLE, person)


@pytest.mark.parametrize(
    ("start", "end", "visible"),
    [
        (dt.date(2020, 1, 1), None, True),
        (dt.date(2020, 1, 1), dt.date(2020, 12, 31), False),  # ended
        (dt.date(2099, 1, 1), None, False),  # not started yet
    ],
)
def test_access_follows_the_dates_of_the_assignment(helper, union, start, end, visible):
    person = make_helper_assignment(PLACE, organisation=union, start_date=start, end_date=end).person
    assert policy.allows(helper, Cap.VIEW_PEOPLE, person) is visible


def test_helper_reads_relatives_but_never_judgments(helper, union):
    """Models that name a person open to helpers; judgments do not name one, so they stay closed."""
    person = make_helper_assignment(PLACE, organisation=union).person
    Relative.objects.create(person=person, relation=Relative.Relation.MOTHER, full_name="Trần Thị Mẹ")
    assert policy.restrict(Relative.objects.all(), helper, Cap.VIEW_PEOPLE).count() == 1
    assert not policy.has_cap(helper, Cap.VIEW_JUDGMENTS)
    assert policy.restrict(Judgment.objects.all(), helper, Cap.VIEW_PEOPLE).count() == 0


def test_commune_officer_scope_is_unchanged_by_assignments(union):
    officer = make_user(Role.COMMUNE_OFFICER, username="canbo", commune=THOAI_SON)
    make_helper_assignment(PLACE, organisation=union)
    make_person(PLACE)
    assert policy.restrict(Person.objects.all(), officer, Cap.VIEW_PEOPLE).count() == 2


def test_helper_person_page_hides_the_judicial_side(client, helper, union):
    """The page shows identity and timeline entries open to helpers, not intake steps or judgments."""
    person = make_helper_assignment(PLACE, organisation=union).person
    from hoanhap.people.services import timeline_add

    timeline_add(
        person=person, occurred_on=dt.date(2026, 1, 2), kind="justice.judgment.recorded", summary="BẢN ÁN"
    )
    timeline_add(
        person=person, occurred_on=dt.date(2026, 1, 3), kind="people.person.registered", summary="ĐĂNG KÝ"
    )
    sign_in(client, helper)
    page = client.get(reverse("people:person-detail", args=[person.record_code]))
    assert page.status_code == 200
    body = page.content.decode()
    assert person.full_name in body
    assert "ĐĂNG KÝ" in body
    assert "BẢN ÁN" not in body


def test_helper_list_and_search_show_only_assigned(client, helper, union):
    person = make_helper_assignment(PLACE, organisation=union).person
    other = make_person(PLACE, full_name="Phạm Văn Ẩn")
    sign_in(client, helper)
    page = client.get(reverse("people:person-list"))
    assert page.status_code == 200
    assert person.record_code in page.content.decode()
    assert other.record_code not in page.content.decode()
    api = client.get("/api/v1/people/persons/")
    codes = [row["record_code"] for row in api.json()["results"]]
    assert codes == [person.record_code]


def test_the_row_test_keeps_what_restrict_keeps(helper, union):
    """``policy.row_test`` (for rows read from an index alone) agrees with ``restrict``: for a helper,
    a commune officer and a province officer, over people of two communes."""
    from hoanhap.core.testing import CHAU_DOC

    make_helper_assignment(PLACE, organisation=union)
    make_person(PLACE, full_name="Người Khác")
    make_person((AN_GIANG, CHAU_DOC), full_name="Người Châu Đốc")
    actors = [
        helper,
        make_user(Role.COMMUNE_OFFICER, username="xa", commune=THOAI_SON),
        make_user(Role.PROVINCE_OFFICER, username="tinh", province=AN_GIANG),
        policy.SYSTEM,
    ]
    rows = list(Person.objects.values_list("pk", "province_id", "commune_id"))
    for actor in actors:
        test = policy.row_test(actor, Cap.VIEW_PEOPLE, Person)
        kept = {pk for pk, province, commune in rows if test(province, commune, pk)}
        assert kept == set(
            policy.restrict(Person.objects.all(), actor, Cap.VIEW_PEOPLE).values_list("pk", flat=True)
        )

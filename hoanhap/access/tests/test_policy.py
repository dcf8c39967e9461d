"""The scoping choke point: grants on units, descendants, fail-closed."""

import datetime as dt

import pytest
from django.http import Http404

from hoanhap.access import policy
from hoanhap.access.models import Organisation
from hoanhap.access.roles import Cap, Role
from hoanhap.core.testing import AN_GIANG, BA_DINH, CHAU_DOC, HA_NOI, THOAI_SON, make_organisation, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def orgs():
    return {
        "thoai_son": make_organisation(province=AN_GIANG, commune=THOAI_SON),
        "chau_doc": make_organisation(province=AN_GIANG, commune=CHAU_DOC),
        "province": make_organisation(Organisation.Kind.PROVINCE_POLICE, province=AN_GIANG, commune=None),
        "ha_noi": make_organisation(province=HA_NOI, commune=BA_DINH),
    }


def visible(user, cap=Cap.VIEW_ORGANISATIONS):
    return set(policy.restrict(Organisation.objects.all(), user, cap).values_list("pk", flat=True))


def test_province_grant_covers_every_commune_of_the_province(orgs):
    """A grant on a province covers the communes in it, and nothing outside."""
    user = make_user(Role.PROVINCE_OFFICER, province=AN_GIANG)
    assert visible(user) == {orgs["thoai_son"].pk, orgs["chau_doc"].pk, orgs["province"].pk}


def test_commune_grant_covers_only_that_commune(orgs):
    user = make_user(Role.COMMUNE_OFFICER, commune=THOAI_SON)
    assert visible(user) == {orgs["thoai_son"].pk}


def test_user_without_grant_sees_nothing(orgs):
    """Fail closed: no role means an empty list, never everything."""
    assert visible(make_user()) == set()


def test_expired_grant_gives_nothing(orgs):
    user = make_user(Role.COMMUNE_OFFICER, commune=THOAI_SON)
    user.role_assignments.update(ends_on=dt.date(2020, 1, 1), starts_on=dt.date(2019, 1, 1))
    user.clear_access_cache()
    assert visible(user) == set()


def test_out_of_scope_object_is_not_found(orgs):
    user = make_user(Role.COMMUNE_OFFICER, commune=THOAI_SON)
    with pytest.raises(Http404):
        policy.get_or_404(Organisation.objects.all(), user, Cap.VIEW_ORGANISATIONS, pk=orgs["chau_doc"].pk)


def test_system_actor_and_administrator_see_everything(orgs):
    admin = make_user(Role.SYSTEM_ADMIN)
    assert visible(admin) == {o.pk for o in orgs.values()}
    assert visible(policy.SYSTEM) == {o.pk for o in orgs.values()}


def test_write_outside_area_is_refused():
    user = make_user(Role.COMMUNE_OFFICER, commune=THOAI_SON)
    policy.ensure_unit_in_scope(user, Cap.EDIT_PEOPLE, province=AN_GIANG, commune=THOAI_SON)
    with pytest.raises(policy.PermissionDenied):
        policy.ensure_unit_in_scope(user, Cap.EDIT_PEOPLE, province=AN_GIANG, commune=CHAU_DOC)

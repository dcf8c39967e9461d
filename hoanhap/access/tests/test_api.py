"""The access API: scoped lists, 404 outside scope, writes through services, token sign-in."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from hoanhap.access import services
from hoanhap.access.models import Organisation
from hoanhap.access.roles import Role
from hoanhap.audit.models import AuditEvent
from hoanhap.core.testing import AN_GIANG, BA_DINH, CHAU_DOC, HA_NOI, THOAI_SON, make_user, sign_in

pytestmark = pytest.mark.django_db

ORGS = "/api/v1/access/organisations/"
USERS = "/api/v1/access/users/"
ME = "/api/v1/access/me/"


def api_for(user) -> APIClient:
    """A client authenticated with the user's API token, as a program would be."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token " + services.api_token_regenerate(user=user).key)
    return client


@pytest.fixture
def officer():
    return make_user(Role.COMMUNE_OFFICER, commune=THOAI_SON, username="officer")


def test_token_authentication_works_and_is_required(officer):
    assert APIClient().get(ORGS).status_code in {401, 403}
    bad = APIClient()
    bad.credentials(HTTP_AUTHORIZATION="Token not-a-token")
    assert bad.get(ORGS).status_code in {401, 403}
    assert api_for(officer).get(ME).json()["username"] == "officer"


def test_deactivated_account_token_stops_working(officer):
    client = api_for(officer)
    officer.is_active = False
    officer.save()
    assert client.get(ME).status_code in {401, 403}


def test_organisation_list_is_scoped(officer, thoai_son_union, ha_noi_org, an_giang_police):
    response = api_for(officer).get(ORGS)
    assert response.status_code == 200
    assert [row["name"] for row in response.json()["results"]] == ["Hội Phụ nữ xã Thoại Sơn"]


def test_organisation_list_filters_with_folded_search(province_admin, thoai_son_union, an_giang_police):
    rows = api_for(province_admin).get(ORGS, {"q": "cong an"}).json()["results"]
    assert [row["name"] for row in rows] == ["Công an tỉnh An Giang"]


def test_organisation_out_of_scope_is_not_found(officer, ha_noi_org):
    assert api_for(officer).get(f"{ORGS}{ha_noi_org.pk}/").status_code == 404


def test_organisation_create_through_the_service(province_admin):
    client = api_for(province_admin)
    response = client.post(
        ORGS,
        {"name": "Trường Trung cấp nghề An Giang", "kind": "training_institution", "province": AN_GIANG},
        format="json",
    )
    assert response.status_code == 201, response.json()
    org = Organisation.objects.get(pk=response.json()["id"])
    event = AuditEvent.objects.get(action="access.organisation.registered", target_id=str(org.pk))
    assert event.source == "api"
    assert event.actor == province_admin
    refused = client.post(
        ORGS,
        {"name": "Ngoài tỉnh", "kind": "employer", "province": HA_NOI, "commune": BA_DINH},
        format="json",
    )
    assert refused.status_code == 403
    invalid = client.post(
        ORGS, {"name": "Sai", "kind": "employer", "province": AN_GIANG, "commune": BA_DINH}, format="json"
    )
    assert invalid.status_code == 400
    assert "commune" in invalid.json()


def test_organisation_update_needs_manage_capability(officer, province_admin, thoai_son_union):
    url = f"{ORGS}{thoai_son_union.pk}/"
    assert api_for(officer).patch(url, {"phone": "1"}, format="json").status_code == 403
    response = api_for(province_admin).patch(url, {"commune": CHAU_DOC}, format="json")
    assert response.status_code == 200
    assert response.json()["commune"] == CHAU_DOC


def test_me_lists_roles_and_areas(officer):
    data = api_for(officer).get(ME).json()
    assert [r["role"] for r in data["roles"]] == ["commune_officer"]
    areas = {a["capability"]: a for a in data["areas"]}
    assert areas["view_people"]["communes"] == [THOAI_SON]
    assert not areas["view_people"]["everything"]
    assert "manage_accounts" not in areas
    assert data["needs_two_factor"] is True


def test_user_list_is_scoped_and_needs_manage_accounts(officer, province_admin, hanoi_admin):
    assert api_for(officer).get(USERS).status_code == 403
    client = api_for(province_admin)
    usernames = {row["username"] for row in client.get(USERS).json()["results"]}
    assert usernames == {"ag-admin", "officer"}
    assert client.get(f"{USERS}{hanoi_admin.pk}/").status_code == 404
    detail = client.get(f"{USERS}{officer.pk}/").json()
    assert detail["roles"][0]["commune"] == THOAI_SON


def test_token_is_not_exposed_in_the_audit_log(officer):
    token = services.api_token_regenerate(user=officer)
    assert not AuditEvent.objects.filter(data__icontains=token.key).exists()
    assert Token.objects.filter(user=officer).count() == 1


def test_password_only_session_is_refused_for_roles_that_need_a_second_factor(client, officer):
    """The API does not accept a browser session that skipped TOTP; a verified one is fine."""
    client.force_login(officer)
    assert client.get(ME).status_code == 403
    sign_in(client, officer)
    assert client.get(ME).status_code == 200

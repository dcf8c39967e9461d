"""Organisation pages: scoped list with filters, 404 outside the area, audited create and edit."""

import pytest
from django.urls import reverse

from hoanhap.access.models import Organisation
from hoanhap.access.roles import Role
from hoanhap.audit.models import AuditEvent
from hoanhap.core.testing import (
    AN_GIANG,
    BA_DINH,
    CHAU_DOC,
    HA_NOI,
    THOAI_SON,
    make_organisation,
    make_user,
    sign_in,
)

pytestmark = pytest.mark.django_db

LIST = reverse("access:organisation-list")


@pytest.fixture
def officer():
    return make_user(Role.COMMUNE_OFFICER, commune=THOAI_SON)


def names(response):
    return {org.name for org in response.context["object_list"]}


def test_list_shows_only_organisations_in_scope(client, officer, thoai_son_union, ha_noi_org):
    """A commune officer sees the organisations of their commune, never another province's."""
    make_organisation(province=AN_GIANG, commune=CHAU_DOC, name="Công an phường Châu Đốc")
    sign_in(client, officer)
    response = client.get(LIST)
    assert response.status_code == 200
    assert names(response) == {"Hội Phụ nữ xã Thoại Sơn"}
    assert "Ba Đình" not in response.content.decode()


def test_search_ignores_diacritics_and_case(client, province_admin, thoai_son_union, an_giang_police):
    sign_in(client, province_admin)
    for query in ["hoi phu nu", "HỘI PHỤ NỮ", "phu nu thoai"]:
        assert names(client.get(LIST, {"q": query})) == {"Hội Phụ nữ xã Thoại Sơn"}, query


def test_filters_by_kind_and_commune(client, province_admin, thoai_son_union, an_giang_police):
    sign_in(client, province_admin)
    assert names(client.get(LIST, {"kind": "province_police"})) == {"Công an tỉnh An Giang"}
    assert names(client.get(LIST, {"commune": THOAI_SON})) == {"Hội Phụ nữ xã Thoại Sơn"}


def test_htmx_request_gets_only_the_results(client, province_admin, thoai_son_union):
    sign_in(client, province_admin)
    response = client.get(LIST, {"q": "phu nu"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "<html" not in html
    assert "Hội Phụ nữ xã Thoại Sơn" in html
    assert [t.name for t in response.templates][0] == "access/partials/_organisation_results.html"


def test_list_needs_the_capability(client, thoai_son_union):
    """A helper holds no view_organisations capability: 403."""
    helper = make_user(Role.HELPER, organisation=thoai_son_union)
    sign_in(client, helper)
    assert client.get(LIST).status_code == 403


def test_detail_outside_scope_is_not_found(client, officer, ha_noi_org):
    sign_in(client, officer)
    assert client.get(reverse("access:organisation-detail", args=[ha_noi_org.pk])).status_code == 404


def test_detail_shows_members_and_grants(client, officer, thoai_son_union):
    member = make_user(Role.HELPER, organisation=thoai_son_union, username="tinh-nguyen")
    sign_in(client, officer)
    response = client.get(reverse("access:organisation-detail", args=[thoai_son_union.pk]))
    assert response.status_code == 200
    assert list(response.context["members"]) == [member]
    assert [g.user for g in response.context["grants"]] == [member]
    assert response.context["can_edit"] is False  # a commune officer does not manage organisations


def test_create_is_audited_with_changes(client, province_admin):
    sign_in(client, province_admin)
    response = client.post(
        reverse("access:organisation-create"),
        {
            "name": "Ban Trị sự Phật giáo Hòa Hảo xã Thoại Sơn",
            "kind": "religious_partner",
            "province": AN_GIANG,
            "commune": THOAI_SON,
            "is_active": "on",
        },
    )
    org = Organisation.objects.get(kind="religious_partner")
    assert response.status_code == 302
    assert response.url == org.get_absolute_url()
    event = AuditEvent.objects.get(action="access.organisation.created", target_id=str(org.pk))
    assert event.source == "web"
    assert event.actor == province_admin
    assert event.changes["commune_id"] == [None, THOAI_SON]
    assert AuditEvent.objects.filter(action="access.organisation.registered", target_id=str(org.pk)).exists()


def test_create_form_offers_only_own_province(client, province_admin):
    sign_in(client, province_admin)
    form = client.get(reverse("access:organisation-create")).context["form"]
    assert list(form.fields["province"].queryset.values_list("pk", flat=True)) == [AN_GIANG]


def test_create_outside_area_is_refused(client, province_admin):
    """A crafted post for another province fails validation and writes nothing."""
    sign_in(client, province_admin)
    response = client.post(
        reverse("access:organisation-create"),
        {"name": "Ngoài tỉnh", "kind": "employer", "province": HA_NOI, "commune": BA_DINH},
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not Organisation.objects.filter(name="Ngoài tỉnh").exists()


def test_edit_outside_area_is_not_found(client, province_admin, ha_noi_org):
    sign_in(client, province_admin)
    assert client.get(reverse("access:organisation-update", args=[ha_noi_org.pk])).status_code == 404


def test_edit_is_audited(client, province_admin, thoai_son_union):
    sign_in(client, province_admin)
    url = reverse("access:organisation-update", args=[thoai_son_union.pk])
    assert client.get(url).context["form"].initial["name"] == thoai_son_union.name
    response = client.post(
        url, {"name": thoai_son_union.name, "kind": "womens_union", "province": AN_GIANG, "commune": CHAU_DOC}
    )
    assert response.status_code == 302
    thoai_son_union.refresh_from_db()
    assert thoai_son_union.commune_id == CHAU_DOC
    assert not thoai_son_union.is_active
    changes = AuditEvent.objects.get(action="access.organisation.updated").changes
    assert changes["commune_id"] == [THOAI_SON, CHAU_DOC]
    assert changes["is_active"] == [True, False]


def test_commune_options_follow_the_province(client, province_admin):
    sign_in(client, province_admin)
    url = reverse("access:commune-options")
    html = client.get(url, {"province": AN_GIANG, "cap": "manage_organisations"}).content.decode()
    assert f'value="{THOAI_SON}"' in html
    assert (
        client.get(url, {"province": HA_NOI, "cap": "manage_organisations"}).content.decode().count("<option")
        == 1
    )


def _add_organisations(start: int, stop: int) -> None:
    for i in range(start, stop):
        org = make_organisation(
            province=AN_GIANG, commune=THOAI_SON if i % 2 else CHAU_DOC, name=f"Tổ chức {i}"
        )
        make_user(organisation=org)


def _list_queries(client, django_assert_max_num_queries) -> int:
    with django_assert_max_num_queries(12) as captured:
        response = client.get(LIST, {"q": "to chuc"})
    assert response.status_code == 200
    return len(captured.captured_queries)


def test_list_query_count_does_not_grow_with_rows(client, province_admin, django_assert_max_num_queries):
    """The list costs the same number of queries for 5 or 50 organisations (with members)."""
    sign_in(client, province_admin)
    _add_organisations(0, 5)
    with_five = _list_queries(client, django_assert_max_num_queries)
    _add_organisations(5, 50)
    with_fifty = _list_queries(client, django_assert_max_num_queries)
    assert with_five == with_fifty

"""Account pages: scoped list, 404 outside scope, open, grant, end, reset, deactivate."""

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from hoanhap.access.models import User
from hoanhap.access.roles import Role
from hoanhap.audit.models import AuditEvent
from hoanhap.core.testing import AN_GIANG, BA_DINH, THOAI_SON, make_user, sign_in

pytestmark = pytest.mark.django_db

LIST = reverse("access:user-list")
PASSWORD = "Tam-thoi-2026!"


@pytest.fixture
def member(thoai_son_union):
    return make_user(Role.HELPER, organisation=thoai_son_union, username="thanh.vien")


def test_list_shows_only_accounts_in_scope(client, province_admin, member, hanoi_admin):
    sign_in(client, province_admin)
    response = client.get(LIST)
    usernames = {u.username for u in response.context["object_list"]}
    assert usernames == {"ag-admin", "thanh.vien"}


def test_list_search_and_role_filter(client, province_admin, member):
    make_user(Role.COMMUNE_OFFICER, commune=THOAI_SON, username="can.bo")
    sign_in(client, province_admin)
    assert [u.username for u in client.get(LIST, {"q": "THANH VIEN"}).context["object_list"]] == [
        "thanh.vien"
    ]
    assert [u.username for u in client.get(LIST, {"role": "commune_officer"}).context["object_list"]] == [
        "can.bo"
    ]
    partial = client.get(LIST, {"q": "can"}, headers={"HX-Request": "true"})
    assert partial.templates[0].name == "access/partials/_user_results.html"


def test_list_needs_manage_accounts(client, thoai_son_union):
    officer = make_user(Role.COMMUNE_OFFICER, commune=THOAI_SON)
    sign_in(client, officer)
    assert client.get(LIST).status_code == 403


def test_detail_out_of_scope_is_not_found(client, province_admin, hanoi_admin):
    sign_in(client, province_admin)
    for name in ["user-detail", "user-update", "user-password-reset", "role-grant"]:
        assert client.get(reverse(f"access:{name}", args=[hanoi_admin.pk])).status_code == 404, name
    assert client.post(reverse("access:user-deactivate", args=[hanoi_admin.pk])).status_code == 404


def test_open_an_account(client, province_admin, thoai_son_union):
    sign_in(client, province_admin)
    response = client.post(
        reverse("access:user-create"),
        {
            "username": "moi",
            "full_name": "Lê Văn Mới",
            "organisation": thoai_son_union.pk,
            "password": PASSWORD,
            "password_again": PASSWORD,
        },
    )
    user = User.objects.get(username="moi")
    assert response.status_code == 302
    assert response.url == user.get_absolute_url()
    assert user.must_change_password
    assert user.organisation == thoai_son_union
    assert AuditEvent.objects.filter(
        action="access.user.registered", actor=province_admin, source="web"
    ).exists()


def test_open_an_account_rejects_mismatched_and_weak_passwords(client, province_admin, thoai_son_union):
    sign_in(client, province_admin)
    data = {"username": "moi", "full_name": "M", "organisation": thoai_son_union.pk}
    response = client.post(
        reverse("access:user-create"), {**data, "password": PASSWORD, "password_again": "x"}
    )
    assert "password_again" in response.context["form"].errors
    response = client.post(
        reverse("access:user-create"), {**data, "password": "12345", "password_again": "12345"}
    )
    assert "password" in response.context["form"].errors
    assert not User.objects.filter(username="moi").exists()


def test_grant_a_role_through_the_page(client, province_admin, member):
    sign_in(client, province_admin)
    detail = client.get(reverse("access:user-detail", args=[member.pk]))
    role_choices = [value for value, _label in detail.context["grant_form"].fields["role"].choices]
    assert Role.SYSTEM_ADMIN not in role_choices
    assert Role.COMMUNE_OFFICER in role_choices
    response = client.post(
        reverse("access:role-grant", args=[member.pk]),
        {"role": "commune_officer", "province": AN_GIANG, "commune": THOAI_SON, "starts_on": "01/12/2026"},
    )
    assert response.status_code == 302
    grant = member.role_assignments.get(role="commune_officer")
    assert grant.commune_id == THOAI_SON
    assert grant.starts_on.isoformat() == "2026-12-01"
    assert AuditEvent.objects.filter(action="access.role.granted", target_id=str(grant.pk)).exists()


def test_page_refuses_a_system_admin_grant_by_a_province_admin(client, province_admin, member):
    sign_in(client, province_admin)
    response = client.post(reverse("access:role-grant", args=[member.pk]), {"role": "system_admin"})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not member.role_assignments.filter(role="system_admin").exists()


def test_end_a_grant(client, province_admin, member):
    sign_in(client, province_admin)
    grant = member.role_assignments.get()
    response = client.post(reverse("access:role-end", args=[grant.pk]))
    assert response.status_code == 302
    member.clear_access_cache()
    assert member.active_assignments() == []


def test_end_a_grant_out_of_scope_is_not_found(client, province_admin, hanoi_admin):
    sign_in(client, province_admin)
    grant = hanoi_admin.role_assignments.get()
    assert client.post(reverse("access:role-end", args=[grant.pk])).status_code == 404


def test_reset_password_and_two_factor(client, province_admin, member):
    TOTPDevice.objects.create(user=member, name="phone", confirmed=True)
    sign_in(client, province_admin)
    response = client.post(
        reverse("access:user-password-reset", args=[member.pk]),
        {"password": PASSWORD, "password_again": PASSWORD},
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.must_change_password
    assert member.check_password(PASSWORD)
    client.post(reverse("access:user-two-factor-reset", args=[member.pk]))
    assert not TOTPDevice.objects.filter(user=member).exists()
    actions = set(AuditEvent.objects.filter(target_id=str(member.pk)).values_list("action", flat=True))
    assert {"access.password.reset", "access.two_factor.reset"} <= actions


def test_system_admin_of_the_province_cannot_be_taken_over(client, province_admin, an_giang_police):
    """The page shows the account but offers no action, and a crafted post changes nothing."""
    boss = make_user(Role.SYSTEM_ADMIN, organisation=an_giang_police, username="boss")
    sign_in(client, province_admin)
    detail = client.get(reverse("access:user-detail", args=[boss.pk]))
    assert detail.status_code == 200
    assert detail.context["not_manageable"]
    response = client.post(
        reverse("access:user-password-reset", args=[boss.pk]),
        {"password": PASSWORD, "password_again": PASSWORD},
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    boss.refresh_from_db()
    assert not boss.check_password(PASSWORD)


def test_deactivate_and_reactivate(client, province_admin, member):
    sign_in(client, province_admin)
    client.post(reverse("access:user-deactivate", args=[member.pk]))
    member.refresh_from_db()
    assert not member.is_active
    client.post(reverse("access:user-reactivate", args=[member.pk]))
    member.refresh_from_db()
    assert member.is_active


def test_edit_an_account(client, province_admin, member, an_giang_police, ha_noi_org):
    sign_in(client, province_admin)
    url = reverse("access:user-update", args=[member.pk])
    response = client.post(url, {"full_name": "Tên Mới", "phone": "0909", "organisation": ha_noi_org.pk})
    assert response.status_code == 200
    assert "organisation" in response.context["form"].errors
    response = client.post(url, {"full_name": "Tên Mới", "phone": "0909", "organisation": an_giang_police.pk})
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.full_name == "Tên Mới"
    assert member.organisation == an_giang_police


def test_system_admin_sees_every_account(client, system_admin, member, hanoi_admin):
    sign_in(client, system_admin)
    usernames = {u.username for u in client.get(LIST).context["object_list"]}
    assert {"thanh.vien", "hn-admin", "sysadmin"} <= usernames
    assert client.get(reverse("access:user-detail", args=[hanoi_admin.pk])).status_code == 200
    response = client.post(
        reverse("access:role-grant", args=[hanoi_admin.pk]), {"role": "commune_officer", "commune": BA_DINH}
    )
    assert response.status_code == 302


def test_user_list_query_count_does_not_grow_with_rows(
    client, province_admin, thoai_son_union, django_assert_max_num_queries
):
    """Grants and organisations of the listed accounts are fetched in bulk, not per row."""
    sign_in(client, province_admin)

    def queries() -> int:
        with django_assert_max_num_queries(14) as captured:
            assert client.get(LIST).status_code == 200
        return len(captured.captured_queries)

    for i in range(3):
        make_user(Role.COMMUNE_OFFICER, commune=THOAI_SON, organisation=thoai_son_union, username=f"a{i}")
    few = queries()
    for i in range(3, 20):
        make_user(Role.COMMUNE_OFFICER, commune=THOAI_SON, organisation=thoai_son_union, username=f"a{i}")
    assert queries() == few

"""Services of the access app: scope checks, grant rules, audit events."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from hoanhap.access import selectors, services
from hoanhap.access.models import Organisation, RoleAssignment, User
from hoanhap.access.roles import Role
from hoanhap.audit.models import AuditEvent
from hoanhap.core.testing import AN_GIANG, BA_DINH, CHAU_DOC, HA_NOI, THOAI_SON, make_user

pytestmark = pytest.mark.django_db

PASSWORD = "Tam-thoi-2026!"


# Organisations -------------------------------------------------------------------------------


def test_organisation_create_in_own_province_is_audited(province_admin):
    """A province administrator registers an organisation in their province; both the field
    changes and the named event are logged, by that administrator."""
    org = services.organisation_create(
        actor=province_admin,
        name="Hội Cựu chiến binh xã Thoại Sơn",
        kind="veterans",
        province=AN_GIANG,
        commune=THOAI_SON,
    )
    assert org.name_folded == "hoi cuu chien binh xa thoai son"
    created = AuditEvent.objects.get(action="access.organisation.created", target_id=str(org.pk))
    assert created.changes["name"] == [None, "Hội Cựu chiến binh xã Thoại Sơn"]
    named = AuditEvent.objects.get(action="access.organisation.registered", target_id=str(org.pk))
    assert named.actor == province_admin
    assert (named.province_code, named.commune_code) == (AN_GIANG, THOAI_SON)


def test_organisation_create_outside_area_is_refused(province_admin):
    with pytest.raises(PermissionDenied):
        services.organisation_create(
            actor=province_admin, name="X", kind="employer", province=HA_NOI, commune=BA_DINH
        )
    assert not Organisation.objects.filter(name="X").exists()


def test_commune_must_lie_in_the_province(province_admin):
    with pytest.raises(ValidationError) as exc:
        services.organisation_create(
            actor=province_admin, name="Y", kind="employer", province=AN_GIANG, commune=BA_DINH
        )
    assert "commune" in exc.value.message_dict


def test_organisation_cannot_be_moved_out_of_the_area(province_admin, thoai_son_union):
    """Moving a record outside one's area is refused, and nothing is written."""
    with pytest.raises(PermissionDenied):
        services.organisation_update(
            actor=province_admin, organisation=thoai_son_union, data={"province": HA_NOI, "commune": BA_DINH}
        )
    thoai_son_union.refresh_from_db()
    assert thoai_son_union.province_id == AN_GIANG


def test_organisation_update_records_changed_fields(province_admin, thoai_son_union):
    services.organisation_update(
        actor=province_admin,
        organisation=thoai_son_union,
        data={"commune": CHAU_DOC, "phone": "0296 3 123 456"},
    )
    event = AuditEvent.objects.get(action="access.organisation.edited")
    assert event.data["fields"] == ["commune", "phone"]
    diff = AuditEvent.objects.get(action="access.organisation.updated").changes
    assert diff["commune_id"] == [THOAI_SON, CHAU_DOC]


# Accounts -------------------------------------------------------------------------------------


def test_user_create_sets_a_temporary_password(province_admin, thoai_son_union):
    user = services.user_create(
        actor=province_admin,
        username="hoa.nguyen",
        full_name="Nguyễn Thị Hoa",
        password=PASSWORD,
        organisation=thoai_son_union,
    )
    assert user.check_password(PASSWORD)
    assert user.must_change_password
    assert user.name_folded == "nguyen thi hoa hoa nguyen"
    event = AuditEvent.objects.get(action="access.user.registered")
    assert event.actor == province_admin
    assert event.province_code == AN_GIANG
    assert "password" not in event.data


def test_province_admin_must_place_new_accounts_in_an_organisation_of_the_province(
    province_admin, ha_noi_org
):
    with pytest.raises(ValidationError):
        services.user_create(actor=province_admin, username="a1", full_name="A", password=PASSWORD)
    with pytest.raises(PermissionDenied):
        services.user_create(
            actor=province_admin, username="a2", full_name="A", password=PASSWORD, organisation=ha_noi_org
        )
    assert not User.objects.filter(username__in=["a1", "a2"]).exists()


def test_weak_password_is_refused(system_admin):
    with pytest.raises(ValidationError) as exc:
        services.user_create(actor=system_admin, username="weak", full_name="W", password="123")
    assert "password" in exc.value.message_dict


def test_account_scope_follows_organisation_and_running_grants(province_admin, thoai_son_union, ha_noi_org):
    """An account is managed through its organisation, or through a running grant in the area."""
    member = make_user(organisation=thoai_son_union)
    granted_here = make_user(Role.COMMUNE_OFFICER, commune=CHAU_DOC, organisation=ha_noi_org)
    elsewhere = make_user(Role.COMMUNE_OFFICER, commune=BA_DINH, organisation=ha_noi_org)
    expired = make_user(Role.COMMUNE_OFFICER, commune=THOAI_SON, organisation=ha_noi_org)
    expired.role_assignments.update(starts_on=dt.date(2024, 1, 1), ends_on=dt.date(2024, 12, 31))
    orphan = make_user()
    visible = set(selectors.user_list(actor=province_admin).values_list("username", flat=True))
    assert {member.username, granted_here.username, province_admin.username} <= visible
    assert not {elsewhere.username, expired.username, orphan.username} & visible


def test_user_deactivate_is_audited_and_not_for_oneself(province_admin, thoai_son_union):
    member = make_user(organisation=thoai_son_union)
    services.user_deactivate(actor=province_admin, user=member)
    member.refresh_from_db()
    assert not member.is_active
    assert AuditEvent.objects.filter(action="access.user.deactivated", target_id=str(member.pk)).exists()
    with pytest.raises(PermissionDenied):
        services.user_deactivate(actor=province_admin, user=province_admin)


# Grants ---------------------------------------------------------------------------------------


def test_province_admin_grants_a_commune_role_in_the_province(province_admin, thoai_son_union):
    member = make_user(organisation=thoai_son_union)
    grant = services.role_grant(
        actor=province_admin, user=member, role=Role.COMMUNE_OFFICER, commune=THOAI_SON
    )
    assert (grant.province_id, grant.commune_id) == (AN_GIANG, THOAI_SON)
    event = AuditEvent.objects.get(action="access.role.granted")
    assert event.data["role"] == Role.COMMUNE_OFFICER
    assert event.commune_code == THOAI_SON
    assert member.needs_two_factor


def test_province_admin_cannot_grant_system_admin(province_admin, thoai_son_union):
    """The whole-country role is out of reach of a province administrator."""
    member = make_user(organisation=thoai_son_union)
    with pytest.raises(PermissionDenied):
        services.role_grant(actor=province_admin, user=member, role=Role.SYSTEM_ADMIN)
    assert not member.role_assignments.exists()


def test_province_admin_cannot_grant_outside_the_province(province_admin, thoai_son_union, ha_noi_org):
    member = make_user(organisation=thoai_son_union)
    with pytest.raises(PermissionDenied):
        services.role_grant(actor=province_admin, user=member, role=Role.PROVINCE_OFFICER, province=HA_NOI)
    with pytest.raises(PermissionDenied):
        services.role_grant(actor=province_admin, user=member, role=Role.COMMUNE_OFFICER, commune=BA_DINH)
    with pytest.raises(PermissionDenied):
        services.role_grant(actor=province_admin, user=member, role=Role.HELPER, organisation=ha_noi_org)
    assert not member.role_assignments.exists()


def test_province_admin_cannot_grant_to_an_account_of_another_province(province_admin, ha_noi_org):
    stranger = make_user(organisation=ha_noi_org)
    with pytest.raises(PermissionDenied):
        services.role_grant(actor=province_admin, user=stranger, role=Role.COMMUNE_OFFICER, commune=THOAI_SON)


def test_system_admin_grants_system_admin(system_admin):
    other = make_user()
    grant = services.role_grant(actor=system_admin, user=other, role=Role.SYSTEM_ADMIN)
    assert grant.province_id is None


def test_grant_must_match_the_role_scoping(system_admin):
    other = make_user()
    with pytest.raises(ValidationError):
        services.role_grant(actor=system_admin, user=other, role=Role.COMMUNE_OFFICER, province=AN_GIANG)
    with pytest.raises(ValidationError):
        services.role_grant(actor=system_admin, user=other, role=Role.HELPER)


def test_helper_grant_takes_the_unit_of_its_organisation(province_admin, thoai_son_union):
    member = make_user(organisation=thoai_son_union)
    grant = services.role_grant(
        actor=province_admin, user=member, role=Role.HELPER, organisation=thoai_son_union
    )
    assert grant.province_id == AN_GIANG
    assert not member.needs_two_factor


def test_role_end_stops_the_grant_today(province_admin, thoai_son_union):
    member = make_user(Role.COMMUNE_OFFICER, commune=THOAI_SON, organisation=thoai_son_union)
    grant = member.role_assignments.get()
    grant.starts_on = dt.date(2025, 7, 1)
    grant.save()
    services.role_end(actor=province_admin, grant=grant)
    grant.refresh_from_db()
    assert grant.ends_on == timezone.localdate() - dt.timedelta(days=1)
    member.clear_access_cache()
    assert member.active_assignments() == []
    assert AuditEvent.objects.filter(action="access.role.ended", target_id=str(grant.pk)).exists()


def test_role_end_removes_a_grant_that_never_started(province_admin, thoai_son_union):
    member = make_user(Role.COMMUNE_OFFICER, commune=THOAI_SON, organisation=thoai_son_union)
    grant = member.role_assignments.get()
    assert services.role_end(actor=province_admin, grant=grant) is None
    assert not RoleAssignment.objects.filter(pk=grant.pk).exists()
    assert AuditEvent.objects.filter(action="access.role.ended", data__removed=True).exists()


def test_province_admin_cannot_end_a_grant_in_another_province(province_admin, thoai_son_union):
    """A member of an An Giang organisation may hold a Hà Nội grant; its An Giang admin cannot end it."""
    member = make_user(Role.COMMUNE_OFFICER, commune=BA_DINH, organisation=thoai_son_union)
    with pytest.raises(PermissionDenied):
        services.role_end(actor=province_admin, grant=member.role_assignments.get())


# Passwords and second factor -----------------------------------------------------------------


def test_password_reset_by_admin_forces_a_change_and_is_audited(province_admin, thoai_son_union):
    member = make_user(organisation=thoai_son_union)
    services.password_reset_by_admin(actor=province_admin, user=member, password=PASSWORD)
    member.refresh_from_db()
    assert member.check_password(PASSWORD)
    assert member.must_change_password
    event = AuditEvent.objects.get(action="access.password.reset")
    assert event.actor == province_admin
    assert event.target_id == str(member.pk)


def test_province_admin_cannot_reset_a_system_admin_of_its_province(province_admin, an_giang_police):
    """Seeing an account (its organisation is in the province) does not allow taking it over."""
    boss = make_user(Role.SYSTEM_ADMIN, organisation=an_giang_police)
    with pytest.raises(PermissionDenied):
        services.password_reset_by_admin(actor=province_admin, user=boss, password=PASSWORD)
    with pytest.raises(PermissionDenied):
        services.two_factor_reset(actor=province_admin, user=boss)


def test_password_reset_outside_scope_is_refused(province_admin, ha_noi_org):
    stranger = make_user(organisation=ha_noi_org)
    with pytest.raises(PermissionDenied):
        services.password_reset_by_admin(actor=province_admin, user=stranger, password=PASSWORD)


def test_two_factor_reset_removes_devices(province_admin, thoai_son_union):
    member = make_user(Role.COMMUNE_OFFICER, commune=THOAI_SON, organisation=thoai_son_union)
    TOTPDevice.objects.create(user=member, name="phone", confirmed=True)
    assert services.two_factor_reset(actor=province_admin, user=member) == 1
    assert not TOTPDevice.objects.filter(user=member).exists()
    assert AuditEvent.objects.get(action="access.two_factor.reset").data["devices_removed"] == 1


def test_api_token_regenerate_replaces_the_key():
    user = make_user()
    first = services.api_token_regenerate(user=user)
    second = services.api_token_regenerate(user=user)
    assert first.key != second.key
    assert list(
        AuditEvent.objects.filter(target_id=str(user.pk), action__startswith="access.token")
        .values_list("action", flat=True)
        .order_by("id")
    ) == ["access.token.created", "access.token.regenerated"]

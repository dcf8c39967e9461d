"""Writes of the access app: organisations, accounts, role grants, passwords, second factor, tokens.

Each service checks the actor's area, writes, and records a named audit event, all in one
transaction. The models are ``audited``, so the field-by-field changes of every save are logged
too (``access.organisation.created``, ``access.user.updated``…); the named events say *what
happened* (``access.role.granted``, ``access.password.reset``) and never carry secrets.

Rules enforced here:

* an organisation is created in, edited in and moved to units of the writer's areas only
  (``MANAGE_ORGANISATIONS``);
* an administrator (``MANAGE_ACCOUNTS``) acts on the accounts of ``selectors.accounts_in_scope``,
  and changes an account only when every running grant of that account lies in their areas — a
  province administrator cannot reset the password of a system administrator or of an officer of
  another province, even one attached to an organisation of their own province;
* a role is granted only on a unit (or through an organisation) inside the granter's areas, and
  the whole-country role (system administrator) only by someone who covers the whole country.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hoanhap.access import policy, selectors
from hoanhap.access.models import Organisation, RoleAssignment, User
from hoanhap.access.roles import ROLE_SPECS, Cap, Scoping
from hoanhap.audit.services import record
from hoanhap.geo.models import Commune

ORGANISATION_FIELDS = ("name", "kind", "province", "commune", "address", "phone", "is_active")
USER_FIELDS = ("full_name", "phone", "organisation")


def _code(value: Any) -> Any:
    """A unit or organisation given as an instance or as its key: the key."""
    return getattr(value, "pk", value)


def _validate_password(password: str, user: User) -> None:
    """The password rules of the settings, reported on the ``password`` field."""
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from exc


# Organisations ------------------------------------------------------------------------------


def _check_organisation_unit(actor: Any, organisation: Organisation) -> None:
    policy.ensure_unit_in_scope(
        actor, Cap.MANAGE_ORGANISATIONS, province=organisation.province_id, commune=organisation.commune_id
    )


@transaction.atomic
def organisation_create(
    *,
    actor: Any,
    name: str,
    kind: str,
    province: Any,
    commune: Any = None,
    address: str = "",
    phone: str = "",
    is_active: bool = True,
) -> Organisation:
    """Register an organisation on a unit of the actor's areas."""
    organisation = Organisation(
        name=name.strip(),
        kind=kind,
        province_id=_code(province),
        commune_id=_code(commune),
        address=address,
        phone=phone,
        is_active=is_active,
    )
    _check_organisation_unit(actor, organisation)
    organisation.full_clean()
    organisation.save()
    record("access.organisation.registered", target=organisation, actor=actor, data={"kind": kind})
    return organisation


@transaction.atomic
def organisation_update(*, actor: Any, organisation: Organisation, data: dict[str, Any]) -> Organisation:
    """Edit an organisation; it must stay in (or move to) a unit of the actor's areas."""
    _check_organisation_unit(actor, organisation)  # where it is now
    changed = []
    for field in ORGANISATION_FIELDS:
        if field not in data:
            continue
        attname = f"{field}_id" if field in {"province", "commune"} else field
        value = _code(data[field])
        if field == "name":
            value = value.strip()
        if getattr(organisation, attname) != value:
            setattr(organisation, attname, value)
            changed.append(field)
    if not changed:
        return organisation
    _check_organisation_unit(actor, organisation)  # where it goes
    organisation.full_clean()
    organisation.save()
    record("access.organisation.edited", target=organisation, actor=actor, data={"fields": changed})
    return organisation


# Accounts -----------------------------------------------------------------------------------


def _grant_unit(grant: RoleAssignment) -> tuple[int | None, int | None]:
    """The unit a grant reaches: its organisation's for organisation-scoped roles."""
    if (
        ROLE_SPECS[grant.role].scoping in {Scoping.ASSIGNMENT, Scoping.FUND, Scoping.FACILITY}
        and grant.organisation
    ):
        return grant.organisation.province_id, grant.organisation.commune_id
    return grant.province_id, grant.commune_id


def _covers_grant(scope: policy.AreaScope, grant: RoleAssignment) -> bool:
    if ROLE_SPECS[grant.role].scoping == Scoping.GLOBAL:
        return scope.everything
    province, commune = _grant_unit(grant)
    return scope.covers(province=province, commune=commune)


def ensure_account_manageable(actor: Any, user: User) -> None:
    """Refuse to act on an account outside the actor's reach (see the module docstring)."""
    if not selectors.accounts_in_scope(actor).filter(pk=user.pk).exists():
        raise PermissionDenied(_("This account is outside the areas you manage."))
    scope = policy.scope_for(actor, Cap.MANAGE_ACCOUNTS)
    if scope.everything:
        return
    running = user.role_assignments.filter(selectors.not_ended_q()).select_related("organisation")
    if not all(_covers_grant(scope, grant) for grant in running):
        raise PermissionDenied(
            _("This account holds roles outside the areas you manage; ask a system administrator.")
        )


def _check_member_organisation(actor: Any, organisation: Organisation | None) -> None:
    scope = policy.scope_for(actor, Cap.MANAGE_ACCOUNTS)
    if organisation is None:
        if not scope.everything:
            raise ValidationError(
                {
                    "organisation": _(
                        "Choose the organisation of the account: it places the account in your area."
                    )
                }
            )
        return
    policy.ensure_unit_in_scope(
        actor, Cap.MANAGE_ACCOUNTS, province=organisation.province_id, commune=organisation.commune_id
    )


@transaction.atomic
def user_create(
    *,
    actor: Any,
    username: str,
    full_name: str,
    password: str,
    organisation: Organisation | None = None,
    phone: str = "",
    must_change_password: bool = True,
) -> User:
    """Open an account with a temporary password (changed at first sign-in by default)."""
    _check_member_organisation(actor, organisation)
    username = username.strip()
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("An account with this username already exists.")})
    user = User(
        username=username,
        full_name=full_name.strip(),
        phone=phone,
        organisation=organisation,
        must_change_password=must_change_password,
    )
    _validate_password(password, user)
    user.set_password(password)
    user.full_clean()
    user.save()
    record("access.user.registered", target=user, actor=actor, data={"organisation": _code(organisation)})
    return user


@transaction.atomic
def user_update(*, actor: Any, user: User, data: dict[str, Any]) -> User:
    """Edit an account's name, phone and organisation (the new organisation in the actor's areas)."""
    ensure_account_manageable(actor, user)
    changed = []
    for field in USER_FIELDS:
        if field in data and getattr(user, field) != data[field]:
            setattr(user, field, data[field])
            changed.append(field)
    if not changed:
        return user
    if "organisation" in changed:
        _check_member_organisation(actor, user.organisation)
    user.full_clean()
    user.save()
    record("access.user.edited", target=user, actor=actor, data={"fields": changed})
    return user


@transaction.atomic
def user_deactivate(*, actor: Any, user: User) -> User:
    """Close an account: it can no longer sign in or use its API token; its history stays."""
    ensure_account_manageable(actor, user)
    if getattr(actor, "pk", None) == user.pk:
        raise PermissionDenied(_("You cannot deactivate your own account."))
    if user.is_active:
        user.is_active = False
        user.save()
        record("access.user.deactivated", target=user, actor=actor)
    return user


@transaction.atomic
def user_reactivate(*, actor: Any, user: User) -> User:
    ensure_account_manageable(actor, user)
    if not user.is_active:
        user.is_active = True
        user.save()
        record("access.user.reactivated", target=user, actor=actor)
    return user


# Role grants --------------------------------------------------------------------------------


def _resolve_grant_unit(
    role: str, province: int | None, commune: int | None, organisation: Organisation | None
) -> tuple[int | None, int | None]:
    """Fill the unit of a grant from what the role needs; refuse a contradictory one."""
    scoping = ROLE_SPECS[role].scoping
    if scoping in {Scoping.ASSIGNMENT, Scoping.FUND, Scoping.FACILITY}:
        return (organisation.province_id if organisation else None), None
    if scoping == Scoping.COMMUNE and commune:
        commune_province = Commune.objects.values_list("province_id", flat=True).filter(pk=commune).first()
        if province and commune_province != province:
            raise ValidationError({"commune": _("The commune is not in the chosen province.")})
        return commune_province, commune
    return province, commune


@transaction.atomic
def role_grant(
    *,
    actor: Any,
    user: User,
    role: str,
    province: Any = None,
    commune: Any = None,
    organisation: Organisation | None = None,
    starts_on: dt.date | None = None,
    ends_on: dt.date | None = None,
) -> RoleAssignment:
    """Grant ``role`` to an account on a unit or through an organisation, inside the actor's areas."""
    if role not in ROLE_SPECS:
        raise ValidationError({"role": _("Unknown role.")})
    if not selectors.accounts_in_scope(actor).filter(pk=user.pk).exists():
        raise PermissionDenied(_("This account is outside the areas you manage."))
    scope = policy.scope_for(actor, Cap.MANAGE_ACCOUNTS)
    province, commune = _resolve_grant_unit(role, _code(province), _code(commune), organisation)
    grant = RoleAssignment(
        user=user,
        role=role,
        province_id=province,
        commune_id=commune,
        organisation=organisation,
        starts_on=starts_on or timezone.localdate(),
        ends_on=ends_on,
    )
    grant.full_clean()
    if ROLE_SPECS[role].scoping == Scoping.GLOBAL:
        if not scope.everything:
            raise PermissionDenied(_("Only a system administrator can grant the system administrator role."))
    else:
        policy.ensure_unit_in_scope(actor, Cap.MANAGE_ACCOUNTS, province=province, commune=commune)
    if organisation is not None:
        policy.ensure_unit_in_scope(
            actor, Cap.MANAGE_ACCOUNTS, province=organisation.province_id, commune=organisation.commune_id
        )
    grant.save()
    user.clear_access_cache()
    record(
        "access.role.granted",
        target=grant,
        actor=actor,
        data={"user": user.username, "role": role, "starts_on": grant.starts_on, "ends_on": grant.ends_on},
    )
    return grant


@transaction.atomic
def role_end(*, actor: Any, grant: RoleAssignment, on: dt.date | None = None) -> RoleAssignment | None:
    """End a grant so that it gives nothing from ``on`` (today by default).

    The grant stays on record with ``ends_on`` the day before. A grant that would thereby end
    before it started never gave anything and is removed (both the removal and the named event
    are audited). Returns the ended grant, or None when it was removed.
    """
    scope = policy.scope_for(actor, Cap.MANAGE_ACCOUNTS)
    if not selectors.accounts_in_scope(actor).filter(pk=grant.user_id).exists() or not _covers_grant(
        scope, grant
    ):
        raise PermissionDenied(_("This role grant is outside the areas you manage."))
    last_day = (on or timezone.localdate()) - dt.timedelta(days=1)
    data = {"user": grant.user.username, "role": grant.role, "ends_on": last_day}
    if grant.ends_on is not None and grant.ends_on <= last_day:
        return grant  # already over
    if last_day < grant.starts_on:
        record("access.role.ended", target=grant, actor=actor, data={**data, "removed": True})
        grant.delete()
        grant.user.clear_access_cache()
        return None
    grant.ends_on = last_day
    grant.save()
    grant.user.clear_access_cache()
    record("access.role.ended", target=grant, actor=actor, data=data)
    return grant


# Passwords, second factor and tokens ----------------------------------------------------------


@transaction.atomic
def password_reset_by_admin(*, actor: Any, user: User, password: str) -> User:
    """Set a temporary password (no e-mail here): the account must change it at next sign-in.

    Any lockout of the username is lifted, and the account's open sessions end (the session
    hash changes with the password).
    """
    from axes.utils import reset as axes_reset

    ensure_account_manageable(actor, user)
    _validate_password(password, user)
    user.set_password(password)
    user.must_change_password = True
    user.save()
    axes_reset(username=user.username)
    record("access.password.reset", target=user, actor=actor)
    return user


@transaction.atomic
def password_change(*, user: User, password: str) -> User:
    """The account holder chooses a new password (validated by the caller's form)."""
    user.set_password(password)
    user.must_change_password = False
    user.save()
    record("access.password.changed", target=user, actor=user)
    return user


@transaction.atomic
def two_factor_reset(*, actor: Any, user: User) -> int:
    """Remove the account's TOTP devices (lost phone): it enrols a new one at next sign-in."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    ensure_account_manageable(actor, user)
    removed, _detail = TOTPDevice.objects.filter(user=user).delete()
    record("access.two_factor.reset", target=user, actor=actor, data={"devices_removed": removed})
    return removed


def two_factor_enrolment(*, user: User):
    """The account's pending (unconfirmed) TOTP device, created on first call and then reused.

    Reusing it keeps the secret stable while the person scans the code and reloads the page.
    """
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=_("Authenticator app"), confirmed=False)
    return device


@transaction.atomic
def two_factor_confirm(*, user: User, device, token: str) -> bool:
    """Confirm a pending device with a code from the app; it then replaces any older device."""
    from django_otp import verify_token
    from django_otp.plugins.otp_totp.models import TOTPDevice

    if device.user_id != user.pk or device.confirmed:
        raise PermissionDenied
    if verify_token(user, device.persistent_id, token) is None:
        record("access.two_factor.failed", target=user, actor=user, data={"step": "setup"})
        return False
    device.refresh_from_db()
    device.confirmed = True
    device.save()
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    record("access.two_factor.confirmed", target=user, actor=user)
    return True


@transaction.atomic
def two_factor_verify(*, user: User, token: str):
    """The confirmed device that accepts ``token``, or None (a failure is audited)."""
    from django_otp import verify_token
    from django_otp.plugins.otp_totp.models import TOTPDevice

    for device in TOTPDevice.objects.filter(user=user, confirmed=True):
        verified = verify_token(user, device.persistent_id, token)
        if verified is not None:
            return verified
    record("access.two_factor.failed", target=user, actor=user, data={"step": "sign_in"})
    return None


@transaction.atomic
def api_token_regenerate(*, user: User):
    """Give the account a new API token; the old one stops working at once."""
    from rest_framework.authtoken.models import Token

    existed = Token.objects.filter(user=user).delete()[0] > 0
    token = Token.objects.create(user=user)
    record("access.token.regenerated" if existed else "access.token.created", target=user, actor=user)
    return token

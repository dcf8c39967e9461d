"""Signing in: the login page, lockout, forced password change, two-factor steps, API token page."""

import pytest
from django.test import override_settings
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from hoanhap.access import services
from hoanhap.access.roles import Role
from hoanhap.audit.models import AuditEvent
from hoanhap.core.testing import THOAI_SON, make_user, sign_in

pytestmark = pytest.mark.django_db

PASSWORD = "test-password-123"
HOME = reverse("core:home")
LOGIN = reverse("access:login")


def code_for(device: TOTPDevice) -> str:
    """The code an authenticator app shows right now for ``device``."""
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def unthrottle(device: TOTPDevice) -> None:
    """Forget failed attempts: django-otp makes the next try wait after each wrong code."""
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_count=0, throttling_failure_timestamp=None
    )
    device.refresh_from_db()


@pytest.fixture
def helper(thoai_son_union):
    return make_user(Role.HELPER, organisation=thoai_son_union, username="helper1")


@pytest.fixture
def officer():
    return make_user(Role.COMMUNE_OFFICER, commune=THOAI_SON, username="officer1")


def test_login_page_is_a_vietnamese_first_card_with_the_idle_timeout(client):
    """The page is in Vietnamese by default and states the 30-minute idle sign-out."""
    response = client.get(LOGIN)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="card' in html
    assert 'lang="vi"' in html
    assert "30" in html
    assert response.context["idle_minutes"] == 30


def test_login_honours_next(client, helper):
    target = reverse("access:tokens")
    response = client.post(LOGIN, {"username": "helper1", "password": PASSWORD, "next": target})
    assert response.status_code == 302
    assert response.url == target


def test_login_ignores_a_next_on_another_site(client, helper):
    response = client.post(
        LOGIN, {"username": "helper1", "password": PASSWORD, "next": "https://evil.example/"}
    )
    assert response.url == HOME


def test_lockout_after_five_failures(client, helper):
    """Five wrong passwords lock the username; even the right password is then refused, and the
    page tells the person to contact the account administrator."""
    for _attempt in range(4):
        response = client.post(LOGIN, {"username": "helper1", "password": "wrong-password"})
        assert response.status_code == 200
    response = client.post(LOGIN, {"username": "helper1", "password": "wrong-password"})
    assert response.status_code == 429
    assert "access/locked_out.html" in [t.name for t in response.templates]
    client.cookies["django_language"] = "en"
    page = client.post(LOGIN, {"username": "helper1", "password": "wrong-password"}).content.decode()
    assert "try again in 30 minutes" in page  # not "0:30:00"
    response = client.post(LOGIN, {"username": "helper1", "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_admin_password_reset_lifts_the_lockout(client, helper, province_admin):
    for _attempt in range(5):
        client.post(LOGIN, {"username": "helper1", "password": "wrong-password"})
    services.password_reset_by_admin(actor=province_admin, user=helper, password="Tam-thoi-2026!")
    response = client.post(LOGIN, {"username": "helper1", "password": "Tam-thoi-2026!"})
    assert response.status_code == 302


def test_logout_is_post_only(client, helper):
    client.force_login(helper)
    assert client.get(reverse("access:logout")).status_code == 405
    response = client.post(reverse("access:logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_forced_password_change_after_admin_reset(client, helper, province_admin):
    """After an administrator sets a temporary password, every page leads to the change page until
    the person picks their own; then they land where they were going."""
    services.password_reset_by_admin(actor=province_admin, user=helper, password="Tam-thoi-2026!")
    response = client.post(LOGIN, {"username": "helper1", "password": "Tam-thoi-2026!"})
    response = client.get(response.url)
    change = reverse("access:password-change")
    assert response.status_code == 302
    assert response.url.startswith(change)
    page = client.get(change)
    assert page.context["forced"] is True
    response = client.post(
        change + "?next=/access/tokens/",
        {
            "old_password": "Tam-thoi-2026!",
            "new_password1": "Mat-khau-rieng-99",
            "new_password2": "Mat-khau-rieng-99",
            "next": "/access/tokens/",
        },
    )
    assert response.status_code == 302
    assert response.url == "/access/tokens/"
    helper.refresh_from_db()
    assert not helper.must_change_password
    assert helper.check_password("Mat-khau-rieng-99")
    assert client.get(HOME).status_code == 200  # still signed in
    assert AuditEvent.objects.filter(action="access.password.changed", actor=helper).exists()


def test_commune_officer_is_sent_to_two_factor_setup_then_verify(client, officer):
    """A role that sees judgments cannot use pages before the second factor: enrolment when no
    device is confirmed yet, the code page once one is."""
    client.force_login(officer)
    response = client.get(HOME)
    assert response.status_code == 302
    assert response.url.startswith(reverse("access:otp-setup"))
    TOTPDevice.objects.create(user=officer, name="phone", confirmed=True)
    response = client.get(HOME)
    assert response.status_code == 302
    assert response.url.startswith(reverse("access:otp-verify"))


def test_helper_needs_no_second_factor(client, helper):
    client.force_login(helper)
    assert client.get(HOME).status_code == 200


@override_settings(HOANHAP_REQUIRE_2FA=False)
def test_two_factor_can_be_relaxed_by_setting(client, officer):
    client.force_login(officer)
    assert client.get(HOME).status_code == 200


def test_otp_setup_with_a_real_code(client, officer):
    """The enrolment page shows an inline SVG QR code and the secret; a code computed from that
    secret confirms the device and verifies the session."""
    client.force_login(officer)
    setup = reverse("access:otp-setup") + "?next=/access/tokens/"
    response = client.get(setup)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<svg" in html
    device = TOTPDevice.objects.get(user=officer, confirmed=False)
    assert response.context["secret"].replace(" ", "") in html.replace(" ", "")
    assert client.get(setup).context["secret"] == response.context["secret"]  # stable on reload
    bad = client.post(setup, {"token": "000000" if code_for(device) != "000000" else "111111"})
    assert bad.status_code == 200
    assert bad.context["form"].errors
    unthrottle(device)
    response = client.post(setup, {"token": code_for(device), "next": "/access/tokens/"})
    assert response.status_code == 302
    assert response.url == "/access/tokens/"
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(HOME).status_code == 200
    assert AuditEvent.objects.filter(action="access.two_factor.confirmed", actor=officer).exists()


def test_otp_verify_with_a_real_code(client, officer):
    device = TOTPDevice.objects.create(user=officer, name="phone", confirmed=True)
    client.force_login(officer)
    verify = reverse("access:otp-verify")
    response = client.post(verify + "?next=/access/tokens/", {"token": "12345x"})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert AuditEvent.objects.filter(action="access.two_factor.failed").exists()
    unthrottle(device)
    response = client.post(verify, {"token": code_for(device), "next": "/access/tokens/"})
    assert response.status_code == 302
    assert response.url == "/access/tokens/"
    assert client.get(HOME).status_code == 200


def test_otp_setup_cannot_bypass_an_existing_device(client, officer):
    """With only the password, nobody can enrol a new phone over the confirmed one."""
    TOTPDevice.objects.create(user=officer, name="phone", confirmed=True)
    client.force_login(officer)
    response = client.get(reverse("access:otp-setup"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("access:otp-verify"))
    assert not TOTPDevice.objects.filter(user=officer, confirmed=False).exists()


def test_otp_verify_without_device_goes_to_setup(client, officer):
    client.force_login(officer)
    response = client.get(reverse("access:otp-verify"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("access:otp-setup"))


def test_token_page_creates_and_regenerates(client, officer):
    sign_in(client, officer)
    page = reverse("access:tokens")
    assert client.get(page).context["token"] is None
    client.post(page)
    first = client.get(page).context["token"].key
    client.post(page)
    second = client.get(page).context["token"].key
    assert first != second


def test_next_survives_the_two_factor_step(client, officer):
    """Sign-in with ``next`` → code page (carrying ``next``) → the page first asked for."""
    device = TOTPDevice.objects.create(user=officer, name="phone", confirmed=True)
    target = reverse("access:organisation-list")
    response = client.post(LOGIN, {"username": "officer1", "password": PASSWORD, "next": target})
    response = client.get(response.url)
    assert response.status_code == 302
    assert response.url == reverse("access:otp-verify") + "?next=" + target.replace("/", "%2F")
    response = client.post(response.url, {"token": code_for(device)})
    assert response.status_code == 302
    assert response.url == target
    assert client.get(target).status_code == 200

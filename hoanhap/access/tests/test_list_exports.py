"""The organisation and account lists export what they show (filters and areas applied), audited,
with no secret of an account in the file."""

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from hoanhap.access.roles import Role
from hoanhap.audit.models import AuditEvent
from hoanhap.core.testing import THOAI_SON, exported_csv_rows, exported_xlsx_rows, make_user, sign_in

pytestmark = pytest.mark.django_db

PURPOSE = "Rà soát danh sách"


def _export(client, name, fmt, **query):
    url = reverse(name) + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")
    return client.post(url, {"purpose": PURPOSE, "format": fmt})


@pytest.fixture
def member(thoai_son_union):
    return make_user(Role.HELPER, organisation=thoai_son_union, username="thanh.vien")


def test_organisation_export_follows_the_filters_and_the_area(
    client, province_admin, an_giang_police, thoai_son_union, ha_noi_org
):
    sign_in(client, province_admin)
    rows = exported_csv_rows(_export(client, "access:organisation-export", "csv", kind="province_police"))
    assert [r[0] for r in rows] == ["Công an tỉnh An Giang"]
    rows = exported_xlsx_rows(_export(client, "access:organisation-export", "xlsx", commune=THOAI_SON))
    assert [r[0] for r in rows] == ["Hội Phụ nữ xã Thoại Sơn"]
    everything = {r[0] for r in exported_csv_rows(_export(client, "access:organisation-export", "csv"))}
    assert everything == {"Công an tỉnh An Giang", "Hội Phụ nữ xã Thoại Sơn"}  # not Ba Đình
    event = AuditEvent.objects.filter(action="export.created").order_by("pk").first()
    assert event.purpose == PURPOSE
    assert event.data == {"rows": 1, "filters": {"kind": "province_police"}}


def test_account_export_follows_the_filters_and_keeps_secrets_out(
    client, province_admin, member, hanoi_admin
):
    make_user(Role.COMMUNE_OFFICER, commune=THOAI_SON, username="can.bo")
    sign_in(client, province_admin)
    device = TOTPDevice.objects.get(user=province_admin)
    response = _export(client, "access:user-export", "csv", role="commune_officer")
    assert [r[1] for r in exported_csv_rows(response)] == ["can.bo"]
    rows = exported_xlsx_rows(_export(client, "access:user-export", "xlsx"))
    assert {r[1] for r in rows} == {"ag-admin", "thanh.vien", "can.bo"}  # not the Hà Nội admin
    everything = _export(client, "access:user-export", "csv").content.decode("utf-8-sig")
    assert province_admin.password not in everything
    assert device.key not in everything


def test_exports_are_refused_without_the_lists_capability(client, member):
    sign_in(client, member)  # a helper: neither organisations nor accounts
    for name in ("access:organisation-export", "access:user-export"):
        assert client.get(reverse(name)).status_code == 403
        assert _export(client, name, "csv").status_code == 403
    assert not AuditEvent.objects.filter(action="export.created").exists()


def test_list_pages_link_their_export_with_the_filters(client, province_admin, thoai_son_union):
    sign_in(client, province_admin)
    page = client.get(reverse("access:organisation-list"), {"kind": "womens_union"}).content.decode()
    assert reverse("access:organisation-export") + "?kind=womens_union" in page
    partial = client.get(reverse("access:user-list"), {"q": "ag"}, headers={"HX-Request": "true"})
    assert reverse("access:user-export") + "?q=ag" in partial.content.decode()

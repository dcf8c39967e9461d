"""Test helpers shared by every app: accounts with a role on a unit, in one line.

Units used across the suite (current codes): province 91 (An Giang since 2025), its communes
30682 (Xã Thoại Sơn) and 30316 (Phường Châu Đốc); province 1 (Hà Nội) and its ward 4
(Phường Ba Đình) as the "other area".
"""

from __future__ import annotations

import itertools
import json

from django.db import connection

from hoanhap.access.models import Organisation, RoleAssignment, User
from hoanhap.geo.models import Commune, Province

AN_GIANG = 91
THOAI_SON = 30682
CHAU_DOC = 30316
HA_NOI = 1
BA_DINH = 4

_counter = itertools.count(1)


def make_organisation(
    kind: str = Organisation.Kind.COMMUNE_POLICE,
    *,
    province: int = AN_GIANG,
    commune: int | None = THOAI_SON,
    name: str | None = None,
) -> Organisation:
    return Organisation.objects.create(
        name=name or f"Test organisation {next(_counter)}",
        kind=kind,
        province_id=province,
        commune_id=commune,
    )


def make_user(
    role: str | None = None,
    *,
    province: int | None = None,
    commune: int | None = None,
    organisation: Organisation | None = None,
    username: str | None = None,
    password: str = "test-password-123",
) -> User:
    """An account holding ``role`` on a unit (or through an organisation); no role when None."""
    user = User.objects.create_user(
        username=username or f"user{next(_counter)}",
        password=password,
        full_name="Người Dùng Thử",
        organisation=organisation,
    )
    if role is not None:
        grant = RoleAssignment(
            user=user, role=role, province_id=province, commune_id=commune, organisation=organisation
        )
        grant.full_clean()
        grant.save()
    return user


def province_name(code: int) -> str:
    return Province.objects.get(code=code).name


def commune_name(code: int) -> str:
    return Commune.objects.get(code=code).name


def sign_in(client, user) -> None:
    """Sign ``user`` in on the test client with a verified second factor (as after TOTP)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device, _created = TOTPDevice.objects.get_or_create(user=user, name="test", defaults={"confirmed": True})
    client.force_login(user)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()


def stored_rows(model, names: list[str], ids: list[int]) -> list[tuple]:
    """The rows ``ids`` of ``model`` as the database holds them (fields ``names``), in id order; a
    JSON column as the values its text gives (its form, spaces or escapes, is the writer's choice)."""
    quote = connection.ops.quote_name
    fields = [model._meta.get_field(name) for name in names]
    is_json = [f.get_internal_type() == "JSONField" for f in fields]
    marks = ", ".join(["%s"] * len(ids))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {', '.join(quote(f.column) for f in fields)} FROM {quote(model._meta.db_table)} "
            f"WHERE {quote(model._meta.pk.column)} IN ({marks}) ORDER BY {quote(model._meta.pk.column)}",
            list(ids),
        )
        return [
            tuple(json.loads(v) if j and isinstance(v, str) else v for v, j in zip(row, is_json, strict=True))
            for row in cursor.fetchall()
        ]


def exported_csv_rows(response) -> list[list[str]]:
    """The data rows (header left out) of a list exported as CSV (``audit.lists.ExportView``)."""
    import csv
    import io

    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))[1:]


def exported_xlsx_rows(response) -> list[tuple]:
    """The data rows (header left out) of a list exported as .xlsx (``audit.lists.ExportView``)."""
    import io

    from openpyxl import load_workbook

    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))[1:]

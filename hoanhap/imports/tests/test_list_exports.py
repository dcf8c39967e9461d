"""The import list and the residences-to-choose list export what they show (the user's areas), audited."""

import pytest
from django.urls import reverse

from hoanhap.access.roles import Role
from hoanhap.audit.models import AuditEvent
from hoanhap.core.testing import (
    AN_GIANG,
    BA_DINH,
    CHAU_DOC,
    HA_NOI,
    THOAI_SON,
    exported_csv_rows,
    exported_xlsx_rows,
    make_user,
    sign_in,
)
from hoanhap.imports import testing

pytestmark = pytest.mark.django_db

HERE = (AN_GIANG, THOAI_SON)
ELSEWHERE = (HA_NOI, BA_DINH)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path  # the batches' uploaded files


@pytest.fixture
def officer(client):
    user = make_user(Role.COMMUNE_OFFICER, commune=THOAI_SON)
    sign_in(client, user)
    return user


def test_batch_export_has_the_imports_of_the_area(client, officer):
    mine = testing.make_batch(HERE, file_name="thoai-son.xlsx")
    testing.make_batch(ELSEWHERE, file_name="ba-dinh.xlsx")
    testing.make_batch((AN_GIANG, CHAU_DOC), file_name="chau-doc.xlsx")
    url = reverse("imports:batch-export")
    rows = exported_csv_rows(client.post(url, {"purpose": "Theo dõi nhập liệu", "format": "csv"}))
    assert [r[0] for r in rows] == [mine.file_name]
    assert [
        r[0] for r in exported_xlsx_rows(client.post(url, {"purpose": "Theo dõi", "format": "xlsx"}))
    ] == [mine.file_name]
    event = AuditEvent.objects.filter(action="export.created").latest("pk")
    assert (event.purpose, event.data["rows"]) == ("Theo dõi", 1)


def test_residence_export_has_the_open_choices_of_the_area(client, officer):
    mine = testing.make_residence_choice(HERE, address_text="Ấp cũ Thoại Sơn")
    testing.make_residence_choice(HERE, address_text="Đã chọn", chosen_id=THOAI_SON)
    testing.make_residence_choice(ELSEWHERE, address_text="Phố cũ Ba Đình")
    url = reverse("imports:residence-export")
    rows = exported_csv_rows(client.post(url, {"purpose": "Chọn nơi cư trú", "format": "csv"}))
    assert [(r[1], r[2]) for r in rows] == [(mine.person.full_name, "Ấp cũ Thoại Sơn")]
    rows = exported_xlsx_rows(client.post(url, {"purpose": "Chọn nơi cư trú", "format": "xlsx"}))
    assert [r[0] for r in rows] == [mine.person.record_code]


def test_exports_need_edit_people(client):
    sign_in(client, make_user(Role.PROVINCE_LEADER, province=AN_GIANG))
    for name in ("imports:batch-export", "imports:residence-export"):
        assert client.post(reverse(name), {"purpose": "Xem", "format": "csv"}).status_code == 403
    assert not AuditEvent.objects.filter(action="export.created").exists()


def test_list_pages_link_their_export(client, officer):
    assert reverse("imports:batch-export") in client.get(reverse("imports:batch-list")).content.decode()
    page = client.get(reverse("imports:residence-list")).content.decode()
    assert reverse("imports:residence-export") in page

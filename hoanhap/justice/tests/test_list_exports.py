"""The offence catalogue exports what its list shows for the same search and chapter, audited."""

import pytest
from django.urls import reverse

from hoanhap.access.models import Organisation
from hoanhap.access.roles import Role
from hoanhap.audit.models import AuditEvent
from hoanhap.core.testing import (
    THOAI_SON,
    exported_csv_rows,
    exported_xlsx_rows,
    make_organisation,
    make_user,
    sign_in,
)
from hoanhap.justice.models import Offence

pytestmark = pytest.mark.django_db

LIST = reverse("justice:offence-list")
EXPORT = reverse("justice:offence-export")


@pytest.fixture
def officer(client):
    user = make_user(Role.COMMUNE_OFFICER, commune=THOAI_SON)
    sign_in(client, user)
    return user


def _shown(client, **query) -> list[str]:
    return [o.reference for o in client.get(LIST, query).context["offences"]]


def test_export_has_the_rows_of_the_search(client, officer):
    shown = _shown(client, q="trom cap")
    assert 0 < len(shown) < Offence.objects.count()
    response = client.post(EXPORT + "?q=trom+cap", {"purpose": "Tra cứu", "format": "csv"})
    assert [r[0] for r in exported_csv_rows(response)] == shown
    event = AuditEvent.objects.filter(action="export.created").latest("pk")
    assert event.data == {"rows": len(shown), "filters": {"q": "trom cap", "chapter": ""}}


def test_export_has_the_rows_of_the_chapter(client, officer):
    chapter = Offence.objects.values_list("chapter", flat=True).first()
    shown = _shown(client, chapter=chapter)
    assert 0 < len(shown) < Offence.objects.count()
    response = client.post(EXPORT + f"?chapter={chapter}", {"purpose": "Tra cứu", "format": "xlsx"})
    assert [r[0] for r in exported_xlsx_rows(response)] == shown


def test_helpers_cannot_export_the_catalogue(client):
    org = make_organisation(Organisation.Kind.WOMENS_UNION)
    sign_in(client, make_user(Role.HELPER, organisation=org))
    assert client.get(EXPORT).status_code == 403
    assert client.post(EXPORT, {"purpose": "Tra cứu", "format": "csv"}).status_code == 403


def test_list_links_the_export_with_the_search(client, officer):
    page = client.get(LIST, {"q": "173"}).content.decode()
    assert EXPORT + "?q=173" in page
    partial = client.get(LIST, {"chapter": "16"}, headers={"HX-Request": "true"}).content.decode()
    assert EXPORT + "?chapter=16" in partial

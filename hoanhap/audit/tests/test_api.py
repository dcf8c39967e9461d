"""/api/v1/audit/events/: read-only, scoped and filtered like the page."""

import pytest
from django.urls import include, path
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema
from rest_framework.authtoken.models import Token

from hoanhap.audit import services
from hoanhap.audit.models import AuditEvent
from hoanhap.core.testing import AN_GIANG, BA_DINH, HA_NOI, THOAI_SON

pytestmark = pytest.mark.django_db

URL = "/api/v1/audit/events/"


@pytest.fixture
def entries():
    return {
        "an_giang": services.record(
            "test.api.noted",
            target_type="x",
            target_repr="Trong tỉnh",
            province=AN_GIANG,
            commune=THOAI_SON,
            changes={"name": ["a", "b"]},
        ),
        "ha_noi": services.record(
            "test.api.noted", target_type="x", target_repr="Ngoài tỉnh", province=HA_NOI, commune=BA_DINH
        ),
        "national": services.record("test.api.noted", target_type="x", target_repr="Không đơn vị"),
    }


def auth(user) -> dict:
    return {"HTTP_AUTHORIZATION": f"Token {Token.objects.create(user=user).key}"}


def test_list_is_scoped_to_the_callers_areas(client, province_admin, entries):
    response = client.get(URL, {"action": "test.api"}, **auth(province_admin))
    assert response.status_code == 200
    body = response.json()
    assert [e["target_repr"] for e in body["results"]] == ["Trong tỉnh"]
    first = body["results"][0]
    assert first["changes"] == {"name": ["a", "b"]}
    assert first["province_code"] == AN_GIANG
    assert first["message"]


def test_system_admin_lists_every_entry(client, system_admin, entries):
    body = client.get(URL, {"action": "test.api"}, **auth(system_admin)).json()
    assert {e["target_repr"] for e in body["results"]} == {"Trong tỉnh", "Ngoài tỉnh", "Không đơn vị"}


def test_retrieve_outside_the_scope_is_not_found(client, province_admin, entries):
    headers = auth(province_admin)
    assert client.get(f"{URL}{entries['an_giang'].pk}/", **headers).status_code == 200
    assert client.get(f"{URL}{entries['ha_noi'].pk}/", **headers).status_code == 404
    assert client.get(f"{URL}{entries['national'].pk}/", **headers).status_code == 404


def test_filters_are_shared_with_the_page(client, system_admin, entries):
    headers = auth(system_admin)
    body = client.get(URL, {"action": "test.api", "province": HA_NOI}, **headers).json()
    assert [e["target_repr"] for e in body["results"]] == ["Ngoài tỉnh"]
    body = client.get(URL, {"q": "trong tinh"}, **headers).json()
    assert [e["target_repr"] for e in body["results"]] == ["Trong tỉnh"]
    assert client.get(URL, {"date_from": "not a date"}, **headers).status_code == 400


def test_commune_officer_is_forbidden(client, commune_officer, entries):
    assert client.get(URL, **auth(commune_officer)).status_code == 403


def test_no_write_methods(client, system_admin, entries):
    """Entries cannot be created, changed or deleted through the API."""
    headers = auth(system_admin)
    detail = f"{URL}{entries['an_giang'].pk}/"
    assert client.post(URL, {}, content_type="application/json", **headers).status_code == 405
    assert client.put(detail, {}, content_type="application/json", **headers).status_code == 405
    assert client.patch(detail, {}, content_type="application/json", **headers).status_code == 405
    assert client.delete(detail, **headers).status_code == 405
    assert AuditEvent.objects.get(pk=entries["an_giang"].pk).target_repr == "Trong tỉnh"


def test_schema_builds_without_warnings_and_lists_only_reads():
    """The OpenAPI schema of the audit endpoints validates, warns about nothing and offers GET only."""
    GENERATOR_STATS.reset()
    generator = SchemaGenerator(patterns=[path("api/v1/audit/", include("hoanhap.audit.api.urls"))])
    schema = generator.get_schema(request=None, public=True)
    validate_schema(schema)
    assert not GENERATOR_STATS, "drf-spectacular reported warnings or errors"
    operations = {p: set(ops) - {"parameters"} for p, ops in schema["paths"].items()}
    assert operations == {"/api/v1/audit/events/": {"get"}, "/api/v1/audit/events/{id}/": {"get"}}
    filters = {p["name"] for p in schema["paths"]["/api/v1/audit/events/"]["get"]["parameters"]}
    assert {
        "date_from",
        "date_to",
        "actor",
        "action",
        "record_type",
        "source",
        "province",
        "commune",
        "q",
    } <= filters

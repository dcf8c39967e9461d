"""The OpenAPI schema builds without errors or warnings, is served, and its docs page stays local."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command
from django.test import Client

from tests.html_checks import external_links, links, missing_static_assets

pytestmark = pytest.mark.django_db


def test_schema_validates_without_warnings(tmp_path):
    """`spectacular --validate --fail-on-warn` passes: every endpoint has a typed, valid description."""
    target = tmp_path / "schema.json"
    call_command(
        "spectacular", "--validate", "--fail-on-warn", "--format", "openapi-json", "--file", str(target)
    )
    schema = json.loads(target.read_text())
    assert schema["openapi"].startswith("3.")
    assert any(route.startswith("/api/v1/") for route in schema["paths"]), "the schema lists no /api/v1/ path"


def test_schema_is_served_and_names_every_api_route():
    """/api/v1/schema/ answers with the OpenAPI document, the API routes of the URLconf included."""
    response = Client().get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    schema = json.loads(response.content)
    assert schema["info"]["title"] == "Hòa Nhập API"
    assert "/api/v1/jobs/" in schema["paths"]


def test_docs_page_loads_only_local_assets():
    """The Swagger UI page pulls its scripts and styles from our /static/, never from a CDN."""
    response = Client().get("/api/v1/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert external_links(html) == []
    assert missing_static_assets(html) == []
    assets = [value for tag, _attr, value in links(html) if tag in {"script", "link"}]
    assert any("swagger-ui" in a and a.startswith("/static/") for a in assets), assets
    for cdn in ("cdn.", "unpkg.com", "jsdelivr"):  # also in inline scripts, which carry no src
        assert cdn not in html

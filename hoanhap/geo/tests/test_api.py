"""The geography API: read-only provinces and communes, folded search, the resolve endpoint."""

import pytest
from rest_framework.test import APIClient

from hoanhap.core.testing import make_user
from hoanhap.geo.resolver import resolve

pytestmark = pytest.mark.django_db

BASE = "/api/v1/geo/"


@pytest.fixture
def api():
    client = APIClient()
    client.force_authenticate(make_user(None))
    return client


def test_authentication_is_required():
    """Anonymous callers get nothing."""
    for path in ("provinces/", "communes/", "resolve/?q=An+Giang"):
        assert APIClient().get(BASE + path).status_code in {401, 403}


def test_provinces_list_and_detail(api):
    data = api.get(BASE + "provinces/", {"limit": 100}).json()
    assert data["count"] == 34
    assert {"code": 91, "name": "Tỉnh An Giang", "short_name": "An Giang", "kind": "tỉnh"} in data["results"]
    assert api.get(BASE + "provinces/1/").json()["name"] == "Thành phố Hà Nội"
    assert api.get(BASE + "provinces/89/").status_code == 404


def test_communes_filter_by_province_and_folded_name(api):
    """?province=91 gives its 102 units; ?q=thoai son finds Xã Thoại Sơn without diacritics."""
    assert api.get(BASE + "communes/", {"province": 91}).json()["count"] == 102
    data = api.get(BASE + "communes/", {"q": "xa thoai son"}).json()
    assert [c["code"] for c in data["results"]] == [30682]
    assert data["results"][0] == {
        "code": 30682,
        "name": "Xã Thoại Sơn",
        "short_name": "Thoại Sơn",
        "kind": "xã",
        "province_code": 91,
        "province_name": "Tỉnh An Giang",
    }
    assert api.get(BASE + "communes/", {"q": "phu hoa", "province": 91}).json()["count"] >= 1


def test_commune_detail_lists_predecessors(api):
    """The detail of Xã Thoại Sơn names the legacy units it was formed from, with legacy codes."""
    data = api.get(BASE + "communes/30682/").json()
    names = {p["name"] for p in data["predecessors"]}
    assert {"Thị trấn Núi Sập", "Xã Thoại Giang", "Xã Bình Thành"} <= names
    assert all(not p["partial"] for p in data["predecessors"])
    split = api.get(BASE + "communes/30316/").json()
    vinh_chau = next(p for p in split["predecessors"] if p["name"] == "Xã Vĩnh Châu")
    assert vinh_chau["partial"]
    assert vinh_chau["also_to"] == ["Phường Vĩnh Tế"]


def test_read_only(api):
    """No writes on reference data."""
    assert api.post(BASE + "communes/", {"code": 1, "name": "x"}).status_code == 405
    assert api.delete(BASE + "provinces/91/").status_code == 405


@pytest.mark.parametrize(
    "text",
    ["TT Núi Sập, H. Thoại Sơn, T. An Giang", "Xã Phú Hội, huyện An Phú, An Giang", "An Giang", "Xã Phú Hòa"],
)
def test_resolve_endpoint_returns_the_command_shape(api, text):
    """/resolve/?q= answers exactly Resolution.as_dict(), 200 even without a match."""
    response = api.get(BASE + "resolve/", {"q": text}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert response.json() == resolve(text).as_dict()


def test_resolve_endpoint_province_hint(api):
    data = api.get(BASE + "resolve/", {"q": "Xã Phú Hòa", "province_hint": 91}).json()
    assert [m["code"] for m in data["matches"]] == [30685]
    assert api.get(BASE + "resolve/", {"q": "Xã Phú Hòa", "province_hint": 3}).status_code == 400
    empty = api.get(BASE + "resolve/")  # no text: an answer that asks for one
    assert empty.status_code == 200
    assert empty.json()["matches"] == []
    assert empty.json()["message"]


def test_schema_describes_the_geo_endpoints():
    """drf-spectacular builds the schema for the geo endpoints, the resolve response included."""
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    assert "/api/v1/geo/resolve/" in schema["paths"]
    assert "/api/v1/geo/communes/{code}/" in schema["paths"]
    resolution = schema["components"]["schemas"]["Resolution"]
    assert set(resolution["properties"]) == {"matches", "legacy", "message"}

"""Geography pages: look-up with live HTMX results, provinces → communes with predecessors, options."""

import pytest
from django.urls import reverse

from hoanhap.core.testing import make_user, sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def user_client(client):
    """Any signed-in user, even without a role: geography is not personal data."""
    sign_in(client, make_user(None))
    return client


def test_lookup_needs_sign_in(client):
    """Anonymous visitors are sent to the sign-in page."""
    response = client.get(reverse("geo:lookup"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("access:login"))


def test_lookup_page_lists_provinces_and_a_search_box(user_client):
    """The page has the address box wired to HTMX and links to all 34 provinces."""
    response = user_client.get(reverse("geo:lookup"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="q"' in html
    assert "hx-get" in html
    assert html.count('href="/geo/provinces/') == 34
    assert "Tỉnh An Giang" in html
    assert 'name="viewport"' in html


def test_lookup_with_a_legacy_address_shows_the_commune_and_the_legacy_path(user_client):
    """A full-page GET with q shows the resolved commune, its link and the old units."""
    response = user_client.get(reverse("geo:lookup"), {"q": "TT Núi Sập, H. Thoại Sơn, T. An Giang"})
    html = response.content.decode()
    assert reverse("geo:commune", args=[30682]) in html
    assert "Xã Thoại Sơn" in html
    assert "Thị trấn Núi Sập" in html
    assert "Huyện Thoại Sơn" in html


def test_lookup_htmx_returns_only_the_results_partial(user_client):
    """Typing sends an HTMX request; the answer is the results fragment, not a whole page."""
    response = user_client.get(
        reverse("geo:lookup"), {"q": "Xã Phước Hưng, An Phú, An Giang"}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    for code in (30337, 30346, 30352):
        assert reverse("geo:commune", args=[code]) in html
    assert html.count("badge text-bg-warning") == 3  # every successor marked as part of a split


def test_lookup_ambiguous_text_lists_candidates_and_hint_resolves(user_client):
    """'Xã Phú Hòa' lists where it could be; choosing a province picks one."""
    url = reverse("geo:lookup")
    html = user_client.get(url, {"q": "Xã Phú Hòa"}, HTTP_HX_REQUEST="true").content.decode()
    assert reverse("geo:commune", args=[30685]) in html
    assert reverse("geo:commune", args=[26221]) in html
    html = user_client.get(
        url, {"q": "Xã Phú Hòa", "province": "91"}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert reverse("geo:commune", args=[30685]) in html
    assert reverse("geo:commune", args=[26221]) not in html


def test_lookup_without_match_offers_communes_by_name(user_client):
    """When nothing resolves, communes whose folded name contains the text are offered."""
    html = user_client.get(reverse("geo:lookup"), {"q": "thoai"}, HTTP_HX_REQUEST="true").content.decode()
    assert reverse("geo:commune", args=[30682]) in html


def test_province_page_lists_communes_with_predecessors_and_splits(user_client):
    """An Giang: 102 units, each with the old units it came from; split ones are marked."""
    response = user_client.get(reverse("geo:province", args=[91]))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('href="/geo/communes/') == 102
    assert "Thị trấn Núi Sập" in html  # predecessor of Xã Thoại Sơn
    assert "Xã Vĩnh Châu" in html  # split between Phường Châu Đốc and Phường Vĩnh Tế
    assert "text-bg-warning" in html


def test_province_page_filter_by_folded_name(user_client):
    """The filter box narrows the communes (HTMX partial)."""
    response = user_client.get(reverse("geo:province", args=[91]), {"q": "thoai son"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "<html" not in html
    assert html.count('href="/geo/communes/') == 1
    assert reverse("geo:commune", args=[30682]) in html


def test_unknown_province_is_404(user_client):
    assert user_client.get(reverse("geo:province", args=[89])).status_code == 404


def test_commune_page_shows_predecessors_and_where_split_ones_went(user_client):
    """Phường Châu Đốc: formed partly from Xã Vĩnh Châu, whose rest went to Phường Vĩnh Tế."""
    response = user_client.get(reverse("geo:commune", args=[30316]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Xã Vĩnh Châu" in html
    assert "Phường Vĩnh Tế" in html
    assert "30334" in html  # the legacy code, shown as such


def test_commune_options_for_the_picker(user_client):
    """The picker's search returns option elements grouped by province, limited to the given provinces."""
    url = reverse("geo:commune-options")
    html = user_client.get(url, {"q": "phu hoa", "provinces": "91", "field": "home"}).content.decode()
    assert '<option value="30685"' in html
    assert '<option value="26221"' not in html
    assert 'optgroup label="Tỉnh An Giang"' in html
    html = user_client.get(url, {"home__search": "zzzz", "field": "home", "home": "30682"}).content.decode()
    assert '<option value="30682" selected' in html  # the chosen commune stays selectable

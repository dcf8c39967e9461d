"""Vietnamese first: the browser's language does not switch the interface; the switch does."""

import pytest

pytestmark = pytest.mark.django_db


def test_english_browser_still_gets_vietnamese(client):
    page = client.get("/access/login/", headers={"Accept-Language": "en-US,en;q=0.9"})
    assert '<html lang="vi">' in page.content.decode()


def test_language_switch_gives_english_and_back(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/access/login/"})
    assert '<html lang="en">' in client.get("/access/login/").content.decode()
    client.post("/i18n/setlang/", {"language": "vi", "next": "/access/login/"})
    assert '<html lang="vi">' in client.get("/access/login/").content.decode()

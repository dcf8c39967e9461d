"""What every page we serve must respect: no address outside our own host, and no missing asset.

The offices run on closed networks: a page that pulls a script, a stylesheet or a font from the
internet breaks there (and leaks who reads what). Assets are served from /static/ only.
"""

from __future__ import annotations

from functools import cache
from html.parser import HTMLParser
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders

URL_ATTRIBUTES = frozenset({"src", "href", "action", "formaction", "poster", "data", "srcset"})
LOCAL_HOSTS = frozenset({"testserver", "localhost", "127.0.0.1", "[::1]"})


class _LinkCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, str, str]] = []  # (tag, attribute, value)

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in URL_ATTRIBUTES and value:
                for part in value.split(",") if name == "srcset" else [value]:
                    self.links.append((tag, name, part.strip().split(" ")[0]))

    handle_startendtag = handle_starttag


def links(html: str) -> list[tuple[str, str, str]]:
    collector = _LinkCollector()
    collector.feed(html)
    return collector.links


def external_links(html: str, *, own_hosts: frozenset[str] = LOCAL_HOSTS) -> list[str]:
    """src/href/action values that point at another host (absolute or protocol-relative)."""
    found = []
    for tag, attribute, value in links(html):
        parts = urlsplit(value)
        absolute = parts.scheme in {"http", "https"} or value.startswith("//")
        if absolute and parts.hostname not in own_hosts:
            found.append(f'<{tag} {attribute}="{value}">')
    return found


@cache
def static_asset_exists(path: str) -> bool:
    relative = path[len(settings.STATIC_URL) :].split("?")[0].split("#")[0]
    return finders.find(relative) is not None


def missing_static_assets(html: str) -> list[str]:
    """Local /static/ references that no static finder can serve."""
    missing = []
    for _tag, _attribute, value in links(html):
        path = urlsplit(value).path
        if (
            urlsplit(value).netloc == ""
            and path.startswith(settings.STATIC_URL)
            and not static_asset_exists(path)
        ):
            missing.append(value)
    return missing

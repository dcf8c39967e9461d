"""Every URL pattern of the project as an ``Endpoint``: its URL, its access rule, its model and methods.

Built on the project's resolver (the same tree ``hoanhap.access.checks.iter_views`` walks), but keeping
each level's regex so that a concrete URL can be produced for any pattern — path converters and
DRF router regexes alike — and checked against ``resolve()``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cached_property
from typing import Any
from urllib.parse import urlsplit

from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.utils.regex_helper import normalize
from rest_framework.views import APIView

from hoanhap.access.checks import is_ours, view_declaration

WRITE_METHODS = ("post", "put", "patch", "delete")

# Query strings without which a URL cannot answer at all (name → (query, why)); added to its URL.
SAMPLE_QUERIES: dict[str, tuple[str, str]] = {
    "justice:judgment-row": ("row=offence", "an HTMX partial adding one empty row of the group in ?row="),
}


@dataclass(frozen=True)
class Endpoint:
    regex: str  # the full regex, as Django's resolver builds it
    name: str | None  # namespaced, e.g. "access:user-detail"
    callback: Callable

    def __str__(self) -> str:
        return self.label

    # -- the URL ------------------------------------------------------------------------------
    @cached_property
    def _template(self) -> tuple[str, tuple[str, ...]]:
        candidates = normalize(self.regex)
        template, params = min(candidates, key=lambda c: len(c[1]))  # no optional groups if possible
        return template, tuple(params)

    @property
    def params(self) -> tuple[str, ...]:
        return self._template[1]

    @property
    def takes_ids(self) -> bool:
        return bool(self.params)

    def url(self, **kwargs: Any) -> str:
        template, params = self._template
        missing = set(params) - set(kwargs)
        if missing:
            raise KeyError(f"{self.label}: no value for {sorted(missing)}")
        url = "/" + template % {k: str(v) for k, v in kwargs.items()}
        sample = SAMPLE_QUERIES.get(self.name or "")
        return f"{url}?{sample[0]}" if sample else url

    @property
    def label(self) -> str:
        template, params = self._template
        return "/" + template % {p: f"<{p}>" for p in params}

    def resolves_to_itself(self, url: str) -> bool:
        """True when ``url`` reaches this very view (a sanity check of the generated URL)."""
        try:
            match = resolve(urlsplit(url).path)
        except Exception:  # noqa: BLE001 - any resolver failure means "no"
            return False
        return _target(match.func) is _target(self.callback)

    # -- the view -----------------------------------------------------------------------------
    @property
    def view_class(self) -> type | None:
        return getattr(self.callback, "view_class", None) or getattr(self.callback, "cls", None)

    @property
    def is_drf(self) -> bool:
        return isinstance(self.view_class, type) and issubclass(self.view_class, APIView)

    @property
    def is_api(self) -> bool:
        return self.label.startswith("/api/") or self.is_drf

    @property
    def is_ours(self) -> bool:
        return is_ours(self.callback)

    @property
    def declaration(self) -> tuple[str, str | None] | None:
        return view_declaration(self.callback)

    @property
    def is_public(self) -> bool:
        return self.declaration is not None and self.declaration[0] == "public"

    @property
    def capability(self) -> str | None:
        declaration = self.declaration
        return declaration[1] if declaration and declaration[0] == "capability" else None

    @property
    def model(self) -> type | None:
        """The model of the object named by the URL's ids (``model``, or the DRF/generic ``queryset``)."""
        for target in (self.view_class, self.callback):
            if target is None:
                continue
            model = getattr(target, "model", None)
            if model is not None:
                return model
            queryset = getattr(target, "queryset", None)
            if queryset is not None:
                return queryset.model
        return None

    @property
    def methods(self) -> frozenset[str] | None:
        """Lower-case HTTP methods the view answers; None when it cannot be known (function views)."""
        actions = getattr(self.callback, "actions", None)
        if actions:  # a DRF viewset route: {"get": "list", "post": "create"}
            return frozenset(m.lower() for m in actions)
        cls = self.view_class
        if cls is None:
            return None
        return frozenset(m for m in cls.http_method_names if m != "options" and hasattr(cls, m))

    def accepts(self, method: str) -> bool | None:
        methods = self.methods
        return None if methods is None else method in methods

    @property
    def write_methods(self) -> tuple[str, ...]:
        """Write methods to try: the ones the view declares, or POST when that is unknown."""
        methods = self.methods
        if methods is None:
            return ("post",)
        return tuple(m for m in WRITE_METHODS if m in methods)


def _target(callback: Callable) -> Any:
    return getattr(callback, "view_class", None) or getattr(callback, "cls", None) or callback


def iter_endpoints(patterns=None, prefix: str = "", namespace: str | None = None) -> Iterator[Endpoint]:
    """Every URL pattern of the project, depth first, in URLconf order."""
    if patterns is None:
        patterns = get_resolver().url_patterns
    for p in patterns:
        regex = p.pattern.regex.pattern
        regex = regex[1:] if regex.startswith("^") else regex
        if isinstance(p, URLResolver):
            inner = namespace
            if p.namespace:
                inner = f"{namespace}:{p.namespace}" if namespace else p.namespace
            yield from iter_endpoints(p.url_patterns, prefix + regex, inner)
        elif isinstance(p, URLPattern):
            name = f"{namespace}:{p.name}" if namespace and p.name else p.name
            endpoint = Endpoint(regex=prefix + regex, name=name, callback=p.callback)
            if "format" in endpoint.params:  # DRF format-suffix duplicates of a route already walked
                continue
            yield endpoint


def all_endpoints() -> list[Endpoint]:
    return list(iter_endpoints())

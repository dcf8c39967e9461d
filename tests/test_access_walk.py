"""The generic access test: every URL of the project, for every role, in scope and out of scope.

One test per URL pattern (pages and the DRF endpoints under /api/v1/ alike), each walking every
principal of ``tests.principals`` — anonymous, one account per role, a commune officer of another
commune, an account without a role, and a password-only session of a role that needs a second
factor. A URL naming an object is tried with a row inside the roles' area (Thoại Sơn, An Giang) and
one outside it (Ba Đình, Hà Nội), built by ``tests.factories``. Expected answers come from
``tests.expectations``. A failure lists every (method, URL, principal, expected, got).

Every request runs in a savepoint that is rolled back, so a write that wrongly succeeds is reported
without disturbing the checks that follow. Users and rows are built once for the module.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Model
from django.test import override_settings
from django.urls import path
from django.views import View

from hoanhap.access import checks
from hoanhap.core.testing import make_user
from tests import expectations as ex
from tests.factories import AREA, IN_SCOPE, OUT_OF_SCOPE, OWNER, Factory, MissingFactory, factory_for
from tests.html_checks import external_links, missing_static_assets
from tests.principals import Principal, build_principals
from tests.urlwalk import Endpoint, all_endpoints

pytestmark = pytest.mark.django_db

ENDPOINTS = all_endpoints()


@dataclass
class Case:
    label: str
    obj: Model
    visible: bool


@dataclass
class World:
    principals: list[Principal]
    objects: dict[type[Model], dict] = field(default_factory=dict)
    problems: dict[type[Model], str] = field(default_factory=dict)

    def cases(self, model: type[Model], factory: Factory, principal: Principal) -> list[Case]:
        rows = self.objects[model]
        if factory.scoping == AREA:
            return [
                Case("in scope", rows["in"], principal.covers(*IN_SCOPE)),
                Case("out of scope", rows["out"], principal.covers(*OUT_OF_SCOPE)),
            ]
        if factory.scoping == OWNER:
            own = rows["own"].get(principal.label)
            cases = [Case("someone else's", rows["other"], principal.is_global)]
            return ([Case("own", own, True)] if own is not None else []) + cases
        return [Case("reference row", rows["in"], True)]  # shared by everyone: one row tells all


@pytest.fixture(scope="module")
def world(module_atomic, django_db_blocker) -> World:
    with django_db_blocker.unblock():
        world = World(principals=build_principals())
        stranger = make_user(username="stranger")
        for model in {e.model for e in ENDPOINTS if e.takes_ids and e.model is not None}:
            try:
                factory = factory_for(model)
            except MissingFactory as exc:
                world.problems[model] = str(exc)
                continue
            if factory.scoping == OWNER:
                world.objects[model] = {
                    "own": {p.label: factory.make(owner=p.user) for p in world.principals if p.user},
                    "other": factory.make(owner=stranger),
                }
            elif factory.scoping == AREA:
                world.objects[model] = {
                    "in": factory.make(place=IN_SCOPE),
                    "out": factory.make(place=OUT_OF_SCOPE),
                }
            else:
                world.objects[model] = {"in": factory.make(place=IN_SCOPE)}
        return world


def lookup_attributes(endpoint: Endpoint) -> dict[str, str]:
    """URL parameter → model attribute, as the view declares it (DRF lookup_field, Django slug_field)."""
    cls = endpoint.view_class
    mapping = {}
    if cls is not None and hasattr(cls, "lookup_field"):
        mapping[getattr(cls, "lookup_url_kwarg", None) or cls.lookup_field] = cls.lookup_field
    if cls is not None and hasattr(cls, "slug_url_kwarg"):
        mapping[cls.slug_url_kwarg] = cls.slug_field
        mapping[cls.pk_url_kwarg] = "pk"
    return mapping


def url_kwargs(endpoint: Endpoint, obj: Model) -> dict:
    """Fill the URL's parameters from the row: its pk, the view's lookup field, a field of that name,
    or the same from a row it points to (``person`` for a relative under /people/<record_code>/…)."""
    declared = lookup_attributes(endpoint)
    own_names = {"pk", "id", obj._meta.pk.name, f"{obj._meta.model_name}_pk", f"{obj._meta.model_name}_id"}
    kwargs = {}
    for param in endpoint.params:
        value = _value_for(obj, param, declared.get(param), own_names)
        if value is None:
            for f in obj._meta.concrete_fields:
                related = getattr(obj, f.name, None) if f.is_relation else None
                if isinstance(related, Model):
                    value = _value_for(related, param, None, {f"{related._meta.model_name}_pk"})
                    if value is not None:
                        break
        if value is None:
            raise LookupError(
                f"{endpoint.label}: cannot fill <{param}> from a {obj._meta.label}; "
                f"teach tests/test_access_walk.py:url_kwargs how"
            )
        kwargs[param] = value
    return kwargs


def _value_for(obj: Model, param: str, declared: str | None, own_names: set[str]):
    if declared:
        return obj.pk if declared == "pk" else getattr(obj, declared)
    if param in own_names:
        return obj.pk
    if param in {f.name for f in obj._meta.concrete_fields}:
        return getattr(obj, param)
    if param.endswith(("_pk", "_id")) and isinstance(getattr(obj, param[:-3], None), Model):
        return getattr(obj, param[:-3]).pk
    return None


def request(client, method: str, url: str, *, api: bool):
    """One request in a rolled-back savepoint; the client's cookies are left as they were."""
    cookies = copy.deepcopy(client.cookies)
    with transaction.atomic():
        if method in {"get", "delete"} or not api:
            response = getattr(client, method)(url)
        else:
            response = getattr(client, method)(url, data="{}", content_type="application/json")
        transaction.set_rollback(True)
    client.cookies = cookies
    return response


def clients(endpoint: Endpoint, principal: Principal, *, writing: bool = False):
    """(auth label, client) pairs: the session always; for the API also the token (writes: token only)."""
    if endpoint.is_api and principal.token_client is not None:
        if writing:
            return [("token", principal.token_client)]
        return [("session", principal.client), ("token", principal.token_client)]
    return [("session", principal.client)]


def describe(response) -> str:
    text = str(response.status_code)
    if response.status_code in {301, 302, 303, 307, 308}:
        text += f" → {response['Location']}"
    if getattr(response, "exc_info", None):
        text += f" ({response.exc_info[0].__name__}: {response.exc_info[1]})"
    return text


def check_page_html(response, where: str, failures: list[str]) -> None:
    if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
        return
    html = response.content.decode(response.charset or "utf-8", errors="replace")
    for link in external_links(html):
        failures.append(f"{where}: external URL in the page: {link}")
    for asset in missing_static_assets(html):
        failures.append(f"{where}: static asset not found: {asset}")


def walk_url(
    endpoint: Endpoint,
    url: str,
    principals: list[Principal],
    failures: list[str],
    cases: dict[str, Case] | None = None,
) -> None:
    """Every principal against one concrete URL; ``cases`` says, per principal, which row it names."""
    for principal in principals:
        case = None if cases is None else cases[principal.label]
        visible = None if case is None else case.visible
        row = "" if case is None else f" [{case.label} {case.obj._meta.model_name}]"
        expected = ex.for_read(endpoint, principal, path=url, visible=visible)
        for auth, client in clients(endpoint, principal):
            response = request(client, "get", url, api=endpoint.is_api)
            where = f"GET {url}{row} as {principal} ({auth})"
            if not expected.ok(response):
                failures.append(f"{where}: expected {expected}, got {describe(response)}")
            if not principal.anonymous:
                check_page_html(response, where, failures)
        expected_write = ex.for_write(endpoint, principal, path=url, visible=visible)
        if expected_write is None:
            continue
        for method in endpoint.write_methods:
            for auth, client in clients(endpoint, principal, writing=True):
                response = request(client, method, url, api=endpoint.is_api)
                if not expected_write.ok(response):
                    failures.append(
                        f"{method.upper()} {url}{row} as {principal} ({auth}): expected {expected_write}, "
                        f"got {describe(response)}"
                    )


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: e.label)
def test_every_role_gets_the_answer_its_grants_allow(endpoint: Endpoint, world: World):
    """Anonymous → sign-in, no capability → 403, holder → 200 in scope and 404 out of scope; no write leaks."""
    failures: list[str] = []
    if endpoint.is_ours and endpoint.declaration is None:
        pytest.fail(f"{endpoint.label} ({endpoint.name}) declares neither access_capability nor public")
    if not endpoint.takes_ids:
        url = endpoint.url()
        assert endpoint.resolves_to_itself(url), f"{url} does not resolve to {endpoint.name}"
        principals = world.principals
        if ex.unchecked(endpoint):  # public or third-party: "no 5xx, local assets" needs two visitors only
            principals = [p for p in principals if p.anonymous or p.is_global]
        walk_url(endpoint, url, principals, failures)
    else:
        if not endpoint.is_ours:
            pytest.skip(f"third-party view {endpoint.label} with ids: not ours to scope")
        model = endpoint.model
        assert model is not None, (
            f"{endpoint.label} ({endpoint.name}) takes ids but its view sets no `model = TheModel` "
            f"(nor a DRF `queryset`): the walk cannot build rows for it"
        )
        if model in world.problems:
            pytest.fail(world.problems[model])
        factory = factory_for(model)
        cases_by_url: dict[str, dict[str, Case]] = {}
        for principal in world.principals:
            for case in world.cases(model, factory, principal):
                url = endpoint.url(**url_kwargs(endpoint, case.obj))
                cases_by_url.setdefault(url, {})[principal.label] = case
        for url, cases in cases_by_url.items():
            assert endpoint.resolves_to_itself(url), f"{url} does not resolve to {endpoint.name}"
            principals = [p for p in world.principals if p.label in cases]
            walk_url(endpoint, url, principals, failures, cases)
    assert not failures, (
        f"{len(failures)} wrong answer(s) for {endpoint.label} ({endpoint.name}):\n" + "\n".join(failures)
    )


def test_walk_covers_every_url_pattern():
    """The walk sees every view the access check sees, the API router's included."""
    assert {e.callback for e in ENDPOINTS} == {callback for _route, callback, _name in checks.iter_views()}
    assert any(e.is_api and e.is_ours for e in ENDPOINTS), "no endpoint of ours under /api/v1/ is walked"


def test_every_view_declares_access():
    """`manage.py check` passes: every view of ours declares a capability or `public` (hoanhap.E001)."""
    call_command("check", fail_level="ERROR")
    assert checks.check_views_declare_access() == []


class _Undeclared(View):
    def get(self, request):  # pragma: no cover - never requested
        raise AssertionError


_Undeclared.__module__ = "hoanhap.tests_fake"

urlpatterns = [path("undeclared/", _Undeclared.as_view(), name="undeclared")]


@override_settings(ROOT_URLCONF=__name__)
def test_access_check_catches_a_view_without_declaration():
    """The check that guards the walk fails for a view of ours that forgot its access rule."""
    errors = checks.check_views_declare_access()
    assert [e.id for e in errors] == ["hoanhap.E001"]
    assert "undeclared/" in errors[0].msg


def test_a_model_without_factory_fails_with_a_clear_message():
    """A URL naming rows of a model the factories do not know fails the walk, telling what to add."""
    from django.contrib.sessions.models import Session

    with pytest.raises(MissingFactory, match="add a factory for sessions.Session in tests/factories.py"):
        factory_for(Session)

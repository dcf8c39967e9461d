"""What each principal must get from each endpoint: the access rules of docs/access-control.md as data.

* anonymous: a page redirects to the sign-in page; the API answers 401/403;
* signed in with the password only while the role needs a second factor: pages redirect to the
  two-factor page, the API refuses the session;
* signed in without the view's capability: 403 (for a URL naming an object, 403 or 404);
* holding the capability: 200, or for an object outside the principal's area 404 — exactly like a
  missing object;
* writes never succeed without the capability, and a write on an object out of scope answers 404
  (or 403 when the write needs a stronger capability that the view does not declare as
  ``write_capability``: nothing is revealed either way).

Exceptions for holders are listed in ``ALLOWED_FOR_HOLDERS``, each with its reason.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import resolve_url
from django.urls import NoReverseMatch, reverse

from tests.principals import Principal
from tests.urlwalk import Endpoint


@dataclass(frozen=True)
class Expect:
    what: str
    ok: Callable[[HttpResponse], bool]

    def __str__(self) -> str:
        return self.what


def status(*codes: int) -> Expect:
    return Expect("/".join(map(str, codes)), lambda r: r.status_code in codes)


def either(*expects: Expect) -> Expect:
    return Expect(" or ".join(e.what for e in expects), lambda r: any(e.ok(r) for e in expects))


def login_url() -> str:
    return resolve_url(settings.LOGIN_URL)


def second_factor_paths() -> tuple[str, ...]:
    paths = []
    for name in ("access:otp-verify", "access:otp-setup"):
        with contextlib.suppress(NoReverseMatch):
            paths.append(reverse(name))
    return tuple(paths)


def open_to_unverified_paths() -> frozenset[str]:
    """Pages a password-only session may still reach (the two-factor pages and sign-out)."""
    paths = set(second_factor_paths())
    with contextlib.suppress(NoReverseMatch):
        paths.add(reverse("access:logout"))
    return frozenset(paths)


TO_LOGIN = Expect(
    "302 to the sign-in page",
    lambda r: r.status_code == 302 and r["Location"].split("?")[0] == login_url(),
)
TO_SECOND_FACTOR = Expect(
    "302 to the two-factor page",
    lambda r: r.status_code == 302 and r["Location"].split("?")[0] in second_factor_paths(),
)
NO_SERVER_ERROR = Expect("anything but 5xx", lambda r: r.status_code < 500)
OK = status(200)
DENIED = status(403)
HIDDEN = status(404)
DENIED_OR_HIDDEN = status(403, 404)
API_REFUSED = status(401, 403)
NOT_ALLOWED = status(405)

# Holders of the capability who get something else than 200, each with its reason.
# Key: (URL name, principal label or "*").
ALLOWED_FOR_HOLDERS: dict[tuple[str, str], tuple[Expect, str]] = {
    ("access:otp-verify", "*"): (
        Expect("302 onwards", lambda r: r.status_code == 302),
        "a session already verified is sent on to `next`; an account without a device to the enrolment",
    ),
}


def write_capability(endpoint: Endpoint) -> str | None:
    """The capability a write needs when the view declares one beyond its read capability, else None."""
    cls = endpoint.view_class or endpoint.callback
    for attribute in ("write_capability", "manage_capability", "edit_capability"):
        cap = getattr(cls, attribute, None)
        if cap:
            return cap
    return None


def unchecked(endpoint: Endpoint) -> bool:
    """Public views and third-party views without a declaration: only 'no server error' applies."""
    return endpoint.is_public or (endpoint.declaration is None and not endpoint.is_ours)


def _pending_second_factor(endpoint: Endpoint, principal: Principal, path: str) -> Expect | None:
    """A password-only session of a role that needs TOTP: pages send it to the two-factor step."""
    if principal.verified or not principal.needs_two_factor:
        return None
    if endpoint.is_api:
        return API_REFUSED  # the session is not verified: the API must not accept it either
    if path in open_to_unverified_paths():
        return None  # the two-factor pages themselves: the view decides, as for anybody
    return TO_SECOND_FACTOR


def for_read(endpoint: Endpoint, principal: Principal, *, path: str, visible: bool | None) -> Expect:
    """Expected answer to GET. ``visible`` is None for URLs without ids, else whether the object is in scope."""
    if unchecked(endpoint):
        return NO_SERVER_ERROR
    if principal.anonymous:
        return API_REFUSED if endpoint.is_api else TO_LOGIN
    pending = _pending_second_factor(endpoint, principal, path)
    if pending is not None:
        return pending
    if not principal.holds(endpoint.capability):
        return DENIED if visible is None else DENIED_OR_HIDDEN
    allowed = ALLOWED_FOR_HOLDERS.get((endpoint.name or "", principal.label)) or ALLOWED_FOR_HOLDERS.get(
        (endpoint.name or "", "*")
    )
    if allowed:
        return allowed[0]
    accepts_get = endpoint.accepts("get")
    if accepts_get is False:
        return NOT_ALLOWED  # a POST-only URL answers 405 to GET whatever the id: nothing is revealed
    expected = HIDDEN if visible is False else OK
    return expected if accepts_get else either(expected, NOT_ALLOWED)  # a function view may be POST-only


def for_write(endpoint: Endpoint, principal: Principal, *, path: str, visible: bool | None) -> Expect | None:
    """Expected answer to a write; None when the write may legitimately succeed (then it is not sent)."""
    if unchecked(endpoint):
        return None
    if principal.anonymous:
        return either(API_REFUSED if endpoint.is_api else TO_LOGIN, NOT_ALLOWED)
    pending = _pending_second_factor(endpoint, principal, path)
    if pending is not None:
        return either(pending, NOT_ALLOWED)
    refused = DENIED if visible is None else DENIED_OR_HIDDEN
    write_cap = write_capability(endpoint)
    if not principal.holds(endpoint.capability) or (write_cap and not principal.holds(write_cap)):
        return either(refused, NOT_ALLOWED)
    if visible is False:
        if write_cap is None:
            # The view may require more than its read capability for writes without declaring it
            # (write_capability): 403 is then a fair answer too. Never 2xx, never a redirect.
            return either(HIDDEN, DENIED, NOT_ALLOWED)
        return either(HIDDEN, NOT_ALLOWED)
    return None

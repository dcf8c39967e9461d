"""Who is acting, and from where: set once per request, command or task, read by audit.record().

A context variable (not a thread-local) so that the same code works in gunicorn workers, the task
worker and tests. Nothing here touches the database at import time: the CLI sets the context before
Django is configured, and the actor is looked up lazily.
"""

from __future__ import annotations

import contextlib
import contextvars
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

SOURCE_WEB = "web"
SOURCE_API = "api"
SOURCE_CLI = "cli"
SOURCE_TASK = "task"
SOURCE_SYSTEM = "system"


@dataclass
class AuditContext:
    source: str = SOURCE_SYSTEM
    user: Any = None  # a User, or None for the system actor
    username: str | None = None  # a CLI --user not yet resolved to a User
    ip: str | None = None
    request_id: str = field(default_factory=lambda: uuid.uuid4().hex)
    note: str = ""  # e.g. "import 42": carried into every audit entry of that run

    def resolve_user(self) -> Any:
        """The acting User (looked up on first use for the CLI), or None for the system actor."""
        if self.user is None and self.username:
            from django.contrib.auth import get_user_model

            self.user = get_user_model().objects.get(username=self.username)
        return self.user


_current: contextvars.ContextVar[AuditContext | None] = contextvars.ContextVar("hoanhap_audit", default=None)


def current() -> AuditContext:
    ctx = _current.get()
    if ctx is None:
        ctx = AuditContext()
        _current.set(ctx)
    return ctx


def start_cli(username: str | None) -> AuditContext:
    ctx = AuditContext(source=SOURCE_CLI, username=username)
    _current.set(ctx)
    return ctx


@contextlib.contextmanager
def acting(
    *, user: Any = None, source: str = SOURCE_SYSTEM, ip: str | None = None, note: str = ""
) -> Iterator[AuditContext]:
    """Run a block as ``user`` (None: the system actor), e.g. a background task or a test."""
    ctx = AuditContext(source=source, user=user, ip=ip, note=note)
    token = _current.set(ctx)
    try:
        yield ctx
    finally:
        _current.reset(token)


def set_for_request(ctx: AuditContext) -> contextvars.Token:
    return _current.set(ctx)


def reset(token: contextvars.Token) -> None:
    _current.reset(token)

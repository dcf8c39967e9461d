"""Glue shared by the intake pages: service errors onto forms, HTMX-aware success and rendering."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django_htmx.http import HttpResponseClientRefresh

from hoanhap.access.forms import add_service_errors
from hoanhap.intake import policy_settings


def service_call(form, func, *args: Any, **kwargs: Any) -> tuple[bool, Any]:
    """Run a service; a ValidationError lands on the form (a stale version too) and returns (False, None)."""
    try:
        return True, func(*args, **kwargs)
    except ValidationError as exc:
        add_service_errors(form, exc)
        return False, None


def done(request, message: str, url: str) -> HttpResponse:
    """After a successful step: a message, then the page again (HTMX refreshes the page it came from)."""
    messages.success(request, message)
    if request.htmx:
        return HttpResponseClientRefresh()
    return redirect(url)


def page_or_partial(
    request, page: str, partial: str, context: dict[str, Any], *, status: int = 200
) -> HttpResponse:
    """The full page, or only the partial for an HTMX request (same view, same context)."""
    template = partial if request.htmx and not request.htmx.boosted else page
    context.setdefault("partial_template", partial)
    return render(request, template, context, status=status)


def policies() -> tuple:
    return policy_settings.ALL

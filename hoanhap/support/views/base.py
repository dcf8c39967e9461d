"""Glue shared by the support pages: messages after a save, pagination; exports come from audit.lists."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect
from django_htmx.http import HttpResponseClientRedirect

from hoanhap.audit.lists import ExportView, querystring  # noqa: F401 (re-exported)
from hoanhap.intake.views.base import page_or_partial  # noqa: F401 (re-exported)

PAGE_SIZE = 50


def done(request, message: str, url: str) -> HttpResponse:
    """After a successful save: a message, then ``url`` (HTMX is told to go there)."""
    messages.success(request, message)
    if request.htmx:
        return HttpResponseClientRedirect(url)
    return redirect(url)


def paginate(request, rows):
    return Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))

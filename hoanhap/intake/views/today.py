"""“Việc hôm nay”: the officer's worklist (see ``hoanhap.intake.worklist``)."""

from __future__ import annotations

from django.shortcuts import render
from django.views import View

from hoanhap.access.roles import Cap
from hoanhap.access.views_base import ScopedViewMixin
from hoanhap.intake import selectors, worklist
from hoanhap.intake.views.base import policies


class TodayView(ScopedViewMixin, View):
    access_capability = Cap.EDIT_CASEWORK

    def get(self, request):
        today = selectors.today()
        sections = worklist.worklist(actor=request.user, today=today)
        codes = {section.code for section in sections}
        return render(
            request,
            "intake/today.html",
            {
                "sections": sections,
                "today": today,
                "expungement_available": "expungement" in codes,
                "policies": policies(),
            },
        )

"""The working-day calendar: a year view with holidays and overrides; administrators edit overrides."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from hoanhap.access.roles import Cap
from hoanhap.access.views_base import ScopedViewMixin
from hoanhap.intake import calendar, selectors, services
from hoanhap.intake.forms import CalendarDayForm
from hoanhap.intake.models import CalendarDay
from hoanhap.intake.views.base import service_call


def _year(request) -> int:
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = timezone.localdate().year
    return min(max(year, 2000), 2100)


class CalendarView(ScopedViewMixin, View):
    access_capability = Cap.MANAGE_CATALOGUES

    def get(self, request):
        year = _year(request)
        months = [(m, calendar.month_grid(year, m)) for m in range(1, 13)]
        return render(
            request,
            "intake/calendar.html",
            {
                "year": year,
                "months": months,
                "special_days": calendar.year_days(year),
                "overrides": selectors.calendar_days(year),
                "today": timezone.localdate(),
            },
        )


class CalendarDayFormView(ScopedViewMixin, View):
    access_capability = Cap.MANAGE_CATALOGUES

    def get_day(self, pk):
        return None

    def render(self, form, day):
        return render(self.request, "intake/calendar_day_form.html", {"form": form, "day": day})

    def get(self, request, pk=None):
        day = self.get_day(pk)
        initial = (
            {"date": request.GET.get("date")}
            if day is None
            else {"date": day.date, "kind": day.kind, "name": day.name, "note": day.note}
        )
        return self.render(CalendarDayForm(initial=initial), day)

    def post(self, request, pk=None):
        day = self.get_day(pk)
        form = CalendarDayForm(request.POST)
        if form.is_valid():
            ok, saved = service_call(
                form, services.calendar_day_save, actor=request.user, data=form.cleaned_data, day=day
            )
            if ok:
                messages.success(request, _("The calendar has been updated."))
                return redirect(f"{_calendar_url()}?year={saved.date.year}")
        return self.render(form, day)


class CalendarDayUpdateView(CalendarDayFormView):
    model = CalendarDay

    def get_day(self, pk):
        return get_object_or_404(CalendarDay, pk=pk)


class CalendarDayDeleteView(ScopedViewMixin, View):
    model = CalendarDay
    access_capability = Cap.MANAGE_CATALOGUES

    def post(self, request, pk):
        day = get_object_or_404(CalendarDay, pk=pk)
        year = day.date.year
        services.calendar_day_delete(actor=request.user, day=day)
        messages.success(request, _("The calendar entry has been removed."))
        return redirect(f"{_calendar_url()}?year={year}")


def _calendar_url() -> str:
    from django.urls import reverse

    return reverse("intake:calendar")

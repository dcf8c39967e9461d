"""The rules calculator page: the officer types the facts of a case and sees the dates and why.

One page with three panels (expungement, recidivism, conditional release). Each panel posts with
HTMX and gets back only itself, with the result; "add a row" fetches one more formset row. Nothing
is stored; the facts are about a judgment, so the page needs the judgment capability.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.http import HttpResponseBadRequest
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views import View

from hoanhap.access.roles import Cap
from hoanhap.access.views_base import ScopedViewMixin
from hoanhap.justice import forms
from hoanhap.justice.rules import (
    InvalidInput,
    conditional_release_from_data,
    expungement_from_data,
    recidivism_from_data,
)

PAGE = "justice/calculator.html"


@dataclass
class Panel:
    """One calculator: its forms bound to what was posted (or empty), then its result or error."""

    kind: str
    form: Any
    formsets: dict[str, Any] = field(default_factory=dict)
    result: Any = None
    error: str = ""

    @property
    def template(self) -> str:
        return f"justice/partials/_{self.kind}.html"

    def is_valid(self) -> bool:
        return all([self.form.is_valid(), *(fs.is_valid() for fs in self.formsets.values())])


def build_panel(kind: str, data=None) -> Panel:
    if kind == "expungement":
        return Panel(
            kind,
            forms.ExpungementForm(data, prefix="exp"),
            {
                "additional": forms.AdditionalPenaltyFormSet(data, prefix="additional"),
                "conviction": forms.NewConvictionFormSet(data, prefix="conviction"),
            },
        )
    if kind == "recidivism":
        return Panel(
            kind,
            forms.RecidivismForm(data, prefix="rec"),
            {"prior": forms.PriorConvictionFormSet(data, prefix="prior")},
        )
    return Panel(kind, forms.ConditionalReleaseForm(data, prefix="rel"))


def compute(panel: Panel) -> None:
    """Run the rule of the panel when its forms are valid; a rule's refusal becomes the panel error."""
    if not panel.is_valid():
        return
    try:
        if panel.kind == "expungement":
            panel.result = expungement_from_data(
                forms.expungement_case_data(
                    panel.form, panel.formsets["additional"], panel.formsets["conviction"]
                )
            )
        elif panel.kind == "recidivism":
            panel.result = recidivism_from_data(
                forms.recidivism_case_data(panel.form, panel.formsets["prior"])
            )
        else:
            panel.result = conditional_release_from_data(forms.release_case_data(panel.form))
    except InvalidInput as error:
        panel.error = error.text


KINDS = ("expungement", "recidivism", "release")
MAX_ROWS = 50
ROWS = {  # ?row=… → (formset prefix, form class, row template)
    "additional": (forms.AdditionalPenaltyForm, "justice/partials/_row_additional.html"),
    "conviction": (forms.NewConvictionForm, "justice/partials/_row_conviction.html"),
    "prior": (forms.PriorConvictionForm, "justice/partials/_row_prior.html"),
}


class CalculatorView(ScopedViewMixin, View):
    """Expungement, recidivism and conditional-release calculator (Criminal Code Arts. 53, 66, 69-73)."""

    access_capability = Cap.VIEW_JUDGMENTS

    def get(self, request):
        row = request.GET.get("row")
        if row in ROWS:
            return self.new_row(request, row)
        return self.page(request, {kind: build_panel(kind) for kind in KINDS}, "expungement")

    def post(self, request):
        kind = request.POST.get("calculator")
        if kind not in KINDS:
            return HttpResponseBadRequest()
        panel = build_panel(kind, request.POST)
        compute(panel)
        if request.htmx:
            return render(request, panel.template, {"panel": panel})
        panels = {other: build_panel(other) for other in KINDS}
        panels[kind] = panel
        return self.page(request, panels, kind)

    def page(self, request, panels: dict[str, Panel], active: str):
        tabs = [
            ("expungement", _("Expungement")),
            ("recidivism", _("Recidivism")),
            ("release", _("Conditional release")),
        ]
        return render(request, PAGE, {"panels": panels, "active": active, "tabs": tabs})

    def new_row(self, request, row: str):
        """One more empty row of a formset, and its TOTAL_FORMS raised by one (out of band)."""
        form_class, template = ROWS[row]
        try:
            index = min(max(int(request.GET.get(f"{row}-TOTAL_FORMS", 0)), 0), MAX_ROWS)
        except ValueError:
            index = 0
        form = form_class(prefix=f"{row}-{index}")
        return render(request, template, {"form": form, "prefix": row, "total": index + 1, "oob": True})

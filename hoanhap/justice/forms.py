"""Forms of the calculator page. They only read what the officer typed (dd/mm/yyyy dates, rows)
and turn it into the JSON case of the rules (``*_case_data``); the rules validate and decide.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from hoanhap.justice.rules.tables import (
    ADDITIONAL_PENALTY_TYPES,
    CHAPTERS,
    INTENTS,
    MAIN_PENALTY_TYPES,
    RELEASE_GROUPS,
    SEVERITIES,
)

DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]
BLANK = [("", "—")]


def date_field(label, *, required: bool = True, help_text: str = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text,
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(
            format="%d/%m/%Y",
            attrs={"placeholder": _("dd/mm/yyyy"), "inputmode": "numeric", "autocomplete": "off"},
        ),
    )


def length_field(label) -> forms.IntegerField:
    return forms.IntegerField(
        label=label, min_value=0, required=False, widget=forms.NumberInput(attrs={"min": 0})
    )


def iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


class BootstrapMixin:
    """Bootstrap classes on every widget, so templates stay plain."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("use_required_attribute", False)
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxSelectMultiple | forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "form-select")
            else:
                widget.attrs.setdefault("class", "form-control")


# --- expungement --------------------------------------------------------------------------------


class ExpungementForm(BootstrapMixin, forms.Form):
    penalty_type = forms.ChoiceField(
        label=_("Main penalty"), choices=list(MAIN_PENALTY_TYPES.items()), initial="imprisonment"
    )
    years = length_field(_("Years"))
    months = length_field(_("Months"))
    days = length_field(_("Days"))
    completed_on = date_field(
        _("Main penalty completed on"),
        help_text=_("For a suspended sentence: the day its probation ended."),
    )
    chapters = forms.TypedMultipleChoiceField(
        label=_("Chapters of the offences (Criminal Code)"),
        coerce=int,
        choices=[
            (number, format_lazy("{roman} — {name}", roman=roman, name=name))
            for number, (roman, name) in CHAPTERS.items()
        ],
        widget=forms.CheckboxSelectMultiple,
    )
    obligations_completed_on = date_field(
        _("Court fees, compensation and other decisions completed on"),
        required=False,
        help_text=_(
            "Leave empty while anything is still owed. If nothing was owed, enter the day the main penalty was completed."
        ),
    )


class AdditionalPenaltyForm(BootstrapMixin, forms.Form):
    type = forms.ChoiceField(
        label=_("Additional penalty"), choices=BLANK + list(ADDITIONAL_PENALTY_TYPES.items())
    )
    completed_on = date_field(_("Completed on"), required=False, help_text=_("Empty while not completed."))


class NewConvictionForm(BootstrapMixin, forms.Form):
    offence_committed_on = date_field(_("New offence committed on"))
    main_penalty_completed_on = date_field(
        _("Its main penalty completed on"), required=False, help_text=_("Empty while not completed.")
    )


AdditionalPenaltyFormSet = forms.formset_factory(AdditionalPenaltyForm, extra=0, max_num=20)
NewConvictionFormSet = forms.formset_factory(NewConvictionForm, extra=0, max_num=20)


def filled(formset) -> list[dict[str, Any]]:
    """The rows the officer filled in (untouched rows and removed rows are skipped)."""
    return [form.cleaned_data for form in formset.forms if form.has_changed() and form.cleaned_data]


def expungement_case_data(form: ExpungementForm, additional, convictions) -> dict[str, Any]:
    data = form.cleaned_data
    return {
        "main_penalty": {
            "type": data["penalty_type"],
            "years": data["years"] or 0,
            "months": data["months"] or 0,
            "days": data["days"] or 0,
        },
        "main_penalty_completed_on": iso(data["completed_on"]),
        "chapters": sorted(data["chapters"]),
        "additional_penalties": [
            {"type": row["type"], "completed_on": iso(row.get("completed_on"))} for row in filled(additional)
        ],
        "other_obligations_completed_on": iso(data["obligations_completed_on"]),
        "new_convictions": [
            {
                "offence_committed_on": iso(row["offence_committed_on"]),
                "main_penalty_completed_on": iso(row.get("main_penalty_completed_on")),
            }
            for row in filled(convictions)
        ],
    }


# --- recidivism ---------------------------------------------------------------------------------


class RecidivismForm(BootstrapMixin, forms.Form):
    severity = forms.ChoiceField(label=_("New offence: severity class"), choices=list(SEVERITIES.items()))
    intent = forms.ChoiceField(label=_("New offence: intent"), choices=list(INTENTS.items()))


class PriorConvictionForm(BootstrapMixin, forms.Form):
    severity = forms.ChoiceField(label=_("Severity class"), choices=BLANK + list(SEVERITIES.items()))
    intent = forms.ChoiceField(label=_("Intent"), choices=list(INTENTS.items()), initial="intentional")
    was_recidivism = forms.BooleanField(label=_("Itself recidivism"), required=False)
    exempted_from_penalty = forms.BooleanField(label=_("Exempted from penalty"), required=False)
    expunged = forms.BooleanField(label=_("Expunged"), required=False)


PriorConvictionFormSet = forms.formset_factory(PriorConvictionForm, extra=0, max_num=20)


def recidivism_case_data(form: RecidivismForm, priors) -> dict[str, Any]:
    return {
        "prior_convictions": [
            {
                "severity": row["severity"],
                "intent": row["intent"],
                "was_recidivism": row["was_recidivism"],
                "exempted_from_penalty": row["exempted_from_penalty"],
                "expunged": row["expunged"],
            }
            for row in filled(priors)
        ],
        "new_offence": {"severity": form.cleaned_data["severity"], "intent": form.cleaned_data["intent"]},
    }


# --- conditional release ------------------------------------------------------------------------


class ConditionalReleaseForm(BootstrapMixin, forms.Form):
    years = length_field(_("Term: years"))
    months = length_field(_("Term: months"))
    days = length_field(_("Term: days"))
    life_commuted = forms.BooleanField(label=_("Life sentence commuted to this fixed term"), required=False)
    served_from = date_field(_("Serving since"), help_text=_("First day in custody counted in the term."))
    reduction_years = length_field(_("Reductions: years"))
    reduction_months = length_field(_("Reductions: months"))
    reduction_days = length_field(_("Reductions: days"))
    group = forms.ChoiceField(label=_("Group"), choices=list(RELEASE_GROUPS.items()))
    release_on = date_field(
        _("Proposed release on"), required=False, help_text=_("Empty: worked out for the earliest date.")
    )


def release_case_data(form: ConditionalReleaseForm) -> dict[str, Any]:
    data = form.cleaned_data
    return {
        "term": {"years": data["years"] or 0, "months": data["months"] or 0, "days": data["days"] or 0},
        "life_commuted": data["life_commuted"],
        "served_from": iso(data["served_from"]),
        "reductions": {
            "years": data["reduction_years"] or 0,
            "months": data["reduction_months"] or 0,
            "days": data["reduction_days"] or 0,
        },
        "group": data["group"],
        "release_on": iso(data["release_on"]),
    }

"""Forms of the judgment and release pages. They read what the officer typed; the services decide.

A judgment form has three repeatable groups of rows (offences, additional penalties, obligations), each
a plain formset: rows are added with HTMX and removed in the page; a row left empty or removed is not
sent to the service, which then deletes the line it stood for.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from hoanhap.access.models import Organisation
from hoanhap.justice.forms import BLANK, BootstrapMixin, date_field, length_field
from hoanhap.justice.models import AdditionalPenalty, Judgment, Obligation, Offence, Release
from hoanhap.justice.rules.tables import CHAPTERS, INTENTS, SEVERITIES

MAX_ROWS = 30


def money_field(label, *, required: bool = False) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        min_value=0,
        required=required,
        widget=forms.NumberInput(attrs={"min": 0, "step": 1000, "inputmode": "numeric"}),
    )


def catalogue_choices(offences=None) -> list:
    """The catalogue as <optgroup>s by chapter: [("XVI — crimes against property", [(pk, label), …]), …]."""
    offences = offences if offences is not None else Offence.objects.order_by("chapter", "article", "clause")
    groups: dict[int, list] = {}
    for offence in offences:
        groups.setdefault(offence.chapter, []).append((offence.pk, str(offence)))
    return BLANK + [
        (f"{CHAPTERS[chapter][0]} — {CHAPTERS[chapter][1]}", rows) for chapter, rows in sorted(groups.items())
    ]


class JudgmentForm(BootstrapMixin, forms.Form):
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)
    court_name = forms.CharField(label=_("Court"), max_length=255)
    judgment_number = forms.CharField(label=_("Judgment number"), max_length=60)
    judgment_date = date_field(_("Judgment date"))
    is_final = forms.BooleanField(label=_("Final (has taken legal effect)"), required=False, initial=True)
    offence_committed_on = date_field(_("Offence committed on"))
    main_penalty_type = forms.ChoiceField(
        label=_("Main penalty"), choices=Judgment.PenaltyType.choices, initial="imprisonment"
    )
    main_penalty_years = length_field(_("Years"))
    main_penalty_months = length_field(_("Months"))
    main_penalty_days = length_field(_("Days"))
    fine_amount = money_field(_("Fine (đồng)"))
    probation_years = length_field(_("Probation: years"))
    probation_months = length_field(_("Probation: months"))
    main_penalty_started_on = date_field(
        _("Main penalty started on"), required=False, help_text=_("First day in custody counted in the term.")
    )
    main_penalty_completed_on = date_field(
        _("Main penalty completed on"),
        required=False,
        help_text=_("Leave empty to use the release or to work it out from the start and the term."),
    )
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def service_data(self) -> dict[str, Any]:
        data = {name: value for name, value in self.cleaned_data.items() if name != "version"}
        for name in (
            "main_penalty_years",
            "main_penalty_months",
            "main_penalty_days",
            "probation_years",
            "probation_months",
        ):
            data[name] = data[name] or 0
        return data

    @classmethod
    def initial_from(cls, judgment: Judgment) -> dict[str, Any]:
        initial = {name: getattr(judgment, name) for name in cls.base_fields if name != "version"}
        initial["version"] = judgment.version
        return initial


class LineForm(BootstrapMixin, forms.Form):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def row(self) -> dict[str, Any]:
        return {
            name: value for name, value in self.cleaned_data.items() if not (name == "id" and value is None)
        }


class OffenceLineForm(LineForm):
    offence = forms.TypedChoiceField(label=_("Offence"), coerce=int, choices=())
    clause = forms.CharField(label=_("Clause applied"), max_length=20, required=False)
    severity = forms.ChoiceField(
        label=_("Severity class"),
        choices=[("", _("as in the catalogue"))] + list(SEVERITIES.items()),
        required=False,
        help_text=_("Change it when the clause applied gives another class."),
    )
    intent = forms.ChoiceField(
        label=_("Intent"), choices=[("", _("as in the catalogue"))] + list(INTENTS.items()), required=False
    )

    def __init__(self, *args: Any, offence_choices: list | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["offence"].choices = (
            offence_choices if offence_choices is not None else catalogue_choices()
        )


class AdditionalLineForm(LineForm):
    type = forms.ChoiceField(
        label=_("Additional penalty"), choices=BLANK + list(AdditionalPenalty.Type.choices)
    )
    term_years = length_field(_("Years"))
    term_months = length_field(_("Months"))
    amount = money_field(_("Amount (đồng)"))
    starts_on = date_field(_("Starts on"), required=False)
    completed_on = date_field(_("Completed on"), required=False, help_text=_("Empty while not completed."))

    def row(self) -> dict[str, Any]:
        row = super().row()
        row["term_years"], row["term_months"] = row.get("term_years") or 0, row.get("term_months") or 0
        return row


class ObligationLineForm(LineForm):
    kind = forms.ChoiceField(label=_("Obligation"), choices=BLANK + list(Obligation.Kind.choices))
    description = forms.CharField(label=_("Description"), max_length=255, required=False)
    amount_due = money_field(_("Due (đồng)"))
    amount_paid = money_field(_("Paid (đồng)"))
    completed_on = date_field(_("Completed on"), required=False, help_text=_("Empty while anything is owed."))

    def row(self) -> dict[str, Any]:
        row = super().row()
        row["amount_due"], row["amount_paid"] = row.get("amount_due") or 0, row.get("amount_paid") or 0
        return row


OffenceFormSet = forms.formset_factory(OffenceLineForm, extra=0, max_num=MAX_ROWS)
AdditionalFormSet = forms.formset_factory(AdditionalLineForm, extra=0, max_num=MAX_ROWS)
ObligationFormSet = forms.formset_factory(ObligationLineForm, extra=0, max_num=MAX_ROWS)

# group name in the service → (formset prefix, formset class, form class, row template)
GROUPS = {
    "offences": ("offence", OffenceFormSet, OffenceLineForm, "justice/partials/_line_offence.html"),
    "additional_penalties": (
        "additional",
        AdditionalFormSet,
        AdditionalLineForm,
        "justice/partials/_line_additional.html",
    ),
    "obligations": (
        "obligation",
        ObligationFormSet,
        ObligationLineForm,
        "justice/partials/_line_obligation.html",
    ),
}
PREFIXES = {prefix: group for group, (prefix, *_rest) in GROUPS.items()}


def filled_forms(formset) -> list:
    """The rows the officer filled in (untouched rows and rows removed from the page are skipped)."""
    return [form for form in formset.forms if form.has_changed()]


def add_service_errors(form: forms.Form, formsets: dict[str, Any], exc: ValidationError) -> None:
    """Put a service's errors on the fields they name: ``judgment_date`` on the form,
    ``offences[1].clause`` on the second filled row of the offences."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc.messages)
        return
    for key, messages in exc.message_dict.items():
        group, _sep, rest = key.partition("[")
        if group in formsets and rest:
            index, _sep, field = rest.partition("].")
            rows = filled_forms(formsets[group])
            if index.isdigit() and int(index) < len(rows):
                target = rows[int(index)]
                target.add_error(field if field in target.fields else None, messages)
                continue
        if group in formsets:
            form.add_error(None, messages)
        else:
            form.add_error(key if key in form.fields else None, messages)


class ReleaseForm(BootstrapMixin, forms.Form):
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)
    judgment = forms.TypedChoiceField(label=_("Judgment"), coerce=int, choices=())
    facility = forms.ModelChoiceField(label=_("Detention facility"), queryset=None, required=False)
    release_date = date_field(_("Release date"))
    kind = forms.ChoiceField(label=_("Kind of release"), choices=Release.Kind.choices)
    amnesty_decision_number = forms.CharField(
        label=_("Amnesty decision number"), max_length=60, required=False
    )
    amnesty_decision_date = date_field(_("Amnesty decision date"), required=False)
    probation_ends_on = date_field(
        _("Probation ends on"),
        required=False,
        help_text=_("Conditional release only: the end of the remaining term."),
    )
    certificate_number = forms.CharField(label=_("Certificate number"), max_length=60, required=False)
    certificate_date = date_field(_("Certificate date"), required=False)
    allowance_amount = money_field(_("Allowance received (đồng)"))
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, judgments=(), facilities=None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["judgment"].choices = BLANK + [
            (j.pk, f"{j} — {j.main_penalty_display}") for j in judgments
        ]
        self.fields["facility"].queryset = (
            facilities if facilities is not None else Organisation.objects.none()
        )

    def service_data(self) -> dict[str, Any]:
        return {name: value for name, value in self.cleaned_data.items() if name != "version"}

    @classmethod
    def initial_from(cls, release: Release) -> dict[str, Any]:
        initial = {
            name: getattr(release, name) for name in cls.base_fields if name not in {"version", "judgment"}
        }
        initial.update(version=release.version, judgment=release.judgment_id)
        return initial

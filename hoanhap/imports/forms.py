"""Input validation of the import pages (the rules are in ``services``)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from hoanhap.audit.forms import ExportForm as PurposeForm
from hoanhap.imports.models import ImportBatch
from hoanhap.imports.reading.specs import KINDS

KIND_LABELS = {
    "persons": _("People (with their latest judgment and release)"),
    "judgments": _("Judgments"),
    "notices": _("Release notices"),
    "helpers": _("Helper assignments"),
    "children": _("Children of people in prison"),
    "support": _("Support actions"),
}


class UploadForm(forms.Form):
    file = forms.FileField(label=_("File"), help_text=_("Excel (.xlsx, .xls), OpenDocument (.ods) or CSV."))
    kind = forms.ChoiceField(
        label=_("Kind of data"),
        required=False,
        choices=[("", _("From the sheet names (as the export writes them)"))]
        + [(k, KIND_LABELS[k]) for k in KINDS],
    )


class CommitForm(forms.Form):
    commit = forms.ChoiceField(
        label=_("Rows to import"), choices=ImportBatch.Commit.choices, widget=forms.RadioSelect
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        required=False,
        choices=[("", "—"), ("new", _("A new person")), ("same", _("The same person"))],
    )
    person = forms.IntegerField(required=False)
    commune = forms.IntegerField(required=False)


class ResidenceForm(forms.Form):
    commune = forms.TypedChoiceField(label=_("Commune of residence"), coerce=int, choices=())

    def __init__(self, *args, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].choices = [(c.commune_id, c.commune.name) for c in candidates]


class ScopeExportForm(PurposeForm):
    """The whole-scope export: which unit, with or without the read-only sheets, and why.

    The scope is a plain value here (``province:CODE`` / ``commune:CODE``), offered from the user's
    own areas; whether the user may export it is the service's decision (``exporting.services.export_start``).
    """

    field_order = ["scope", "with_details", "purpose"]

    scope = forms.CharField(label=_("Area"), widget=forms.Select(attrs={"class": "form-select"}))
    with_details = forms.BooleanField(
        label=_("Add the read-only sheets (legal dates, judgment details, timeline)"),
        required=False,
        initial=True,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scope"].widget.choices = choices
        self.fields["purpose"].help_text = _(
            "Why the data leaves the system, e.g. 'moving the province's records to the new server'. "
            "It is recorded in the audit log with the export."
        )

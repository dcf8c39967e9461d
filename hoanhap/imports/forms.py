"""Input validation of the import pages (the rules are in ``services``)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from hoanhap.imports.models import ImportBatch
from hoanhap.imports.reading.specs import KINDS

KIND_LABELS = {
    "persons": _("People (with their latest judgment and release)"),
    "judgments": _("Judgments"),
    "notices": _("Release notices"),
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

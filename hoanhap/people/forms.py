"""Input forms of the people pages. They validate input only; services decide and write."""

from __future__ import annotations

import uuid
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from hoanhap.access import policy
from hoanhap.access import selectors as access_selectors
from hoanhap.access.forms import BootstrapMixin, bootstrap
from hoanhap.access.roles import Cap
from hoanhap.geo.models import Commune
from hoanhap.people import selectors
from hoanhap.people.ethnicities import ETHNICITY_CHOICES
from hoanhap.people.models import Person, Relative

BLANK = [("", "—")]


class UnitMixin:
    """Province and commune selects limited to the actor's areas for ``edit_people``."""

    def setup_units(self, actor: Any) -> None:
        self.fields["province"].queryset = access_selectors.province_choices(actor=actor, cap=Cap.EDIT_PEOPLE)
        self.fields["province"].widget.attrs.update(
            {
                "hx-get": reverse("people:commune-options"),
                "hx-target": "#" + self["commune"].auto_id,
                "hx-trigger": "change",
            }
        )
        province = self.data.get(self.add_prefix("province")) if self.is_bound else None
        province = province or self.initial.get("province")
        province = getattr(province, "pk", province)
        try:
            code = int(province) if province else None
        except (TypeError, ValueError):
            code = None
        self.fields["commune"].queryset = access_selectors.commune_choices(
            actor=actor, cap=Cap.EDIT_PEOPLE, province=code
        )


class PersonForm(UnitMixin, BootstrapMixin, forms.Form):
    """The fields of a person. ``form_token`` makes a repeated submission harmless; ``version``
    carries the version that was read (edits only)."""

    form_token = forms.CharField(widget=forms.HiddenInput, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    other_names = forms.CharField(
        label=_("Other names"), max_length=255, required=False, help_text=_("Aliases and former names.")
    )
    birth_day = forms.IntegerField(label=_("Day of birth"), required=False, min_value=1, max_value=31)
    birth_month = forms.IntegerField(label=_("Month of birth"), required=False, min_value=1, max_value=12)
    birth_year = forms.IntegerField(
        label=_("Year of birth"), required=False, help_text=_("Leave day or month empty when unknown.")
    )
    sex = forms.ChoiceField(label=_("Sex"), choices=BLANK + Person.Sex.choices)
    ethnicity = forms.TypedChoiceField(
        label=_("Ethnicity"), choices=BLANK + ETHNICITY_CHOICES, required=False, coerce=int, empty_value=None
    )
    religion = forms.ChoiceField(label=_("Religion"), choices=BLANK + Person.Religion.choices, required=False)
    nationality = forms.CharField(label=_("Nationality"), max_length=2, initial="VN")
    stateless = forms.BooleanField(label=_("Stateless"), required=False)
    personal_id = forms.CharField(
        label=_("Personal identification number"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    old_id_number = forms.CharField(
        label=_("Old identity card number"),
        max_length=15,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    document_type = forms.ChoiceField(
        label=_("Other identity document"),
        choices=BLANK + Person.DocumentType.choices,
        required=False,
        help_text=_("For foreigners and stateless people."),
    )
    document_number = forms.CharField(label=_("Document number"), max_length=30, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    photo = forms.ImageField(label=_("Photo"), required=False)
    province = forms.ModelChoiceField(label=_("Province of residence"), queryset=None)
    commune = forms.ModelChoiceField(
        label=_("Commune of residence"),
        queryset=Commune.objects.none(),
        required=False,
        help_text=_("Leave empty while the person is in prison or the place is unknown."),
    )
    address = forms.CharField(label=_("Address"), max_length=255, required=False)
    status = forms.ChoiceField(
        label=_("Status"), choices=Person.Status.choices, initial=Person.Status.IN_PRISON
    )
    classification = forms.ChoiceField(
        label=_("Classification group"), choices=BLANK + Person.Classification.choices, required=False
    )
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    confirm_duplicates = forms.BooleanField(
        label=_("I have checked: this is a different person."), required=False, widget=forms.CheckboxInput
    )

    SERVICE_FIELDS = (
        "full_name",
        "other_names",
        "birth_day",
        "birth_month",
        "birth_year",
        "sex",
        "ethnicity",
        "religion",
        "nationality",
        "stateless",
        "personal_id",
        "old_id_number",
        "document_type",
        "document_number",
        "phone",
        "photo",
        "province",
        "commune",
        "address",
        "status",
        "classification",
        "note",
    )

    def __init__(self, *args: Any, actor: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.setup_units(actor)
        if editing:
            del self.fields["status"]
            del self.fields["confirm_duplicates"]
        if not self.is_bound and not self.initial.get("form_token"):
            self.initial["form_token"] = uuid.uuid4().hex

    def service_data(self) -> dict[str, Any]:
        data = {k: self.cleaned_data[k] for k in self.SERVICE_FIELDS if k in self.cleaned_data}
        if data.get("photo") is None:
            data.pop("photo", None)
        return data

    @staticmethod
    def initial_from(person: Person) -> dict[str, Any]:
        values = {name: getattr(person, name) for name in PersonForm.SERVICE_FIELDS if name not in ("photo",)}
        values.update(province=person.province_id, commune=person.commune_id, version=person.version)
        values["personal_id"] = person.personal_id or ""
        return values


class ResidenceForm(UnitMixin, BootstrapMixin, forms.Form):
    province = forms.ModelChoiceField(label=_("Province"), queryset=None)
    commune = forms.ModelChoiceField(label=_("Commune"), queryset=Commune.objects.none(), required=False)
    address = forms.CharField(label=_("Address"), max_length=255, required=False)
    from_date = forms.DateField(label=_("Living there since"), help_text=_("dd/mm/yyyy"))

    def __init__(self, *args: Any, actor: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.setup_units(actor)


class RelativeForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = Relative
        fields = ["relation", "full_name", "birth_year", "phone", "address", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}


class MergeForm(BootstrapMixin, forms.Form):
    keep = forms.CharField(
        label=_("Record to keep"), max_length=20, help_text=_("Record code, e.g. 91-000123.")
    )
    remove = forms.CharField(
        label=_("Record to merge into it and delete"),
        max_length=20,
        help_text=_("Record code, e.g. 91-000124."),
    )
    confirm = forms.BooleanField(label=_("I have compared both records; merge them."), required=False)


class PersonFilterForm(forms.Form):
    """The filters of the list page (the same names as the API's query parameters)."""

    q = forms.CharField(label=_("Name or number"), required=False)
    commune = forms.TypedChoiceField(label=_("Commune"), required=False, coerce=int, empty_value=None)
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("All statuses")), *Person.Status.choices], required=False
    )
    classification = forms.ChoiceField(
        label=_("Group"), choices=[("", _("All groups")), *Person.Classification.choices], required=False
    )
    release_year = forms.IntegerField(
        label=_("Year of release"), required=False, min_value=1950, max_value=2100
    )

    def __init__(self, *args: Any, actor: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        communes = _visible_communes(actor)
        self.fields["commune"].choices = [("", _("All communes")), *communes]
        if not selectors.release_year_filter_available():
            del self.fields["release_year"]
        bootstrap(self, small=True)

    def filters(self) -> selectors.PersonFilters:
        data = self.cleaned_data if self.is_valid() else {}
        return selectors.PersonFilters(
            commune=data.get("commune"),
            status=data.get("status") or "",
            classification=data.get("classification") or "",
            release_year=data.get("release_year"),
        )


def _visible_communes(actor: Any) -> list[tuple[int, str]]:
    """Communes in the actor's areas for viewing people (a province scope lists its communes)."""
    scope = policy.scope_for(actor, Cap.VIEW_PEOPLE)
    if scope.everything or scope.is_empty:
        return []  # the whole country is too long a list: filter by searching instead
    queryset = Commune.objects.filter(Q(province_id__in=scope.provinces) | Q(code__in=scope.communes))
    return list(queryset.order_by("province_id", "name").values_list("code", "name"))


def querystring_for(**params: Any) -> str:
    return urlencode({k: v for k, v in params.items() if v not in (None, "")})

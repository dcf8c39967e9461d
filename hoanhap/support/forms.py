"""Input forms of the support pages. They validate input only; the services decide and write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hoanhap.access import policy
from hoanhap.access.forms import BootstrapMixin
from hoanhap.access.models import Organisation
from hoanhap.access.roles import Cap
from hoanhap.geo.forms import CommuneChoiceField
from hoanhap.geo.models import Province
from hoanhap.people.models import Person, Relative
from hoanhap.support import conf, selectors
from hoanhap.support.models import Child, FundingSource, PolicyBankReferral, SupportAction, SupportKind

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def provider_choices(actor: Any):
    """Organisations the actor may name as provider: those of its areas, and its own (helpers)."""
    own = selectors.helper_organisations(actor)
    visible = policy.restrict(Organisation.objects.filter(is_active=True), actor, Cap.VIEW_ORGANISATIONS)
    condition = Q(pk__in=visible.values("pk"))
    if own:
        condition |= Q(pk__in=sorted(own))
    return Organisation.objects.filter(condition).order_by("name")


class ActionForm(BootstrapMixin, forms.Form):
    kind = forms.ModelChoiceField(label=_("Kind of support"), queryset=SupportKind.objects.none())
    relative = forms.ModelChoiceField(
        label=_("Given to a relative"),
        queryset=Relative.objects.none(),
        required=False,
        help_text=_("Leave empty when the person received it."),
    )
    given_on = forms.DateField(label=_("Date"), widget=DATE)
    provider = forms.ModelChoiceField(
        label=_("Provider organisation"), queryset=Organisation.objects.none(), required=False
    )
    community_model_name = forms.CharField(
        label=_("Community model"),
        max_length=255,
        required=False,
        help_text=_("The community model it came through, if any."),
    )
    item = forms.CharField(
        label=_("Item"),
        max_length=150,
        required=False,
        help_text=_("For a gift in kind: bicycle, notebooks, Tết gift, …"),
    )
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1, initial=1)
    value = forms.IntegerField(label=_("Value (đồng)"), min_value=0, required=False)
    value_basis = forms.ChoiceField(
        label=_("The value is"), choices=SupportAction.Basis.choices, initial=SupportAction.Basis.CASH
    )
    funding_source = forms.ModelChoiceField(
        label=_("Funding source"), queryset=FundingSource.objects.none(), required=False
    )
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    employer = forms.CharField(label=_("Employer"), max_length=255, required=False)
    job_start_on = forms.DateField(label=_("Job started on"), widget=DATE, required=False)
    outcome = forms.CharField(label=_("Outcome"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    evidence = forms.FileField(label=_("Evidence (a file)"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(
        self, *args: Any, actor: Any, person: Person | None = None, editing: bool = False, **kwargs: Any
    ):
        super().__init__(*args, **kwargs)
        self.fields["kind"].queryset = selectors.kind_list(active_only=True)
        self.fields["funding_source"].queryset = selectors.source_list(active_only=True)
        self.fields["provider"].queryset = provider_choices(actor)
        if person is not None and not editing:
            self.fields["relative"].queryset = person.relatives.all()
        else:
            del self.fields["relative"]
        if editing:
            del self.fields["evidence"]

    def service_data(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        for key in ("version", "evidence"):
            data.pop(key, None)
        return data


class FollowUpForm(BootstrapMixin, forms.Form):
    months = forms.TypedChoiceField(
        label=_("Follow-up"),
        coerce=int,
        choices=[(3, _("After 3 months")), (6, _("After 6 months")), (12, _("After 12 months"))],
    )
    employed = forms.TypedChoiceField(
        label=_("Still employed?"),
        coerce=lambda v: v == "yes",
        choices=[("yes", _("Yes")), ("no", _("No"))],
    )


class EvidenceForm(BootstrapMixin, forms.Form):
    file = forms.FileField(label=_("File"))
    description = forms.CharField(label=_("Description"), max_length=255, required=False)


class ChildForm(BootstrapMixin, forms.Form):
    parent = forms.CharField(
        label=_("Parent's record code"),
        max_length=20,
        help_text=_("The record code of the parent, e.g. 91-000123."),
    )
    parent_relation = forms.ChoiceField(
        label=_("The parent is the child's"), choices=Child.ParentRelation.choices
    )
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    birth_date = forms.DateField(label=_("Date of birth"), widget=DATE, required=False)
    sex = forms.ChoiceField(label=_("Sex"), choices=[("", "—"), *Child.Sex.choices], required=False)
    school = forms.CharField(label=_("School"), max_length=255, required=False)
    grade = forms.CharField(label=_("Grade"), max_length=20, required=False)
    guardian_name = forms.CharField(label=_("Guardian"), max_length=150, required=False)
    guardian_relation = forms.CharField(
        label=_("Guardian's relation to the child"), max_length=60, required=False
    )
    guardian_phone = forms.CharField(label=_("Guardian's phone"), max_length=30, required=False)
    commune = CommuneChoiceField(
        label=_("Commune where the child lives"),
        required=False,
        search=True,
        help_text=_("Empty: the parent's commune."),
    )
    address = forms.CharField(label=_("Address"), max_length=255, required=False)
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, actor: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.actor = actor
        self.fields["commune"].limit_to_scope(policy.scope_for(actor, Cap.EDIT_CASEWORK))

    def clean_parent(self) -> Person:
        code = self.cleaned_data["parent"].strip()
        person = policy.restrict(Person.objects.filter(record_code=code), self.actor, Cap.VIEW_PEOPLE).first()
        if person is None:
            raise forms.ValidationError(_("No person with this record code in your areas."))
        return person

    def service_data(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        commune = data.pop("commune", None)
        if commune is not None:
            data["commune"] = commune
            data["province"] = Province.objects.get(pk=commune.province_id)
        return data


class ReferralForm(BootstrapMixin, forms.Form):
    purpose = forms.ChoiceField(label=_("Purpose"), choices=PolicyBankReferral.Purpose.choices)
    amount = forms.IntegerField(label=_("Amount requested (đồng)"), min_value=1)
    months = forms.IntegerField(
        label=_("Months of training"),
        min_value=1,
        max_value=120,
        required=False,
        help_text=_("For a training loan only."),
    )
    referred_on = forms.DateField(label=_("Referral date"), widget=DATE)

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["amount"].help_text = _(
            "Caps: {training} a month of training, {business} for production and business "
            "(Decision 22/2023 Art. 6, from a secondary source: to be checked against the official text)."
        ).format(
            training=f"{conf.training_cap_per_month():,}".replace(",", ".") + " đ",
            business=f"{conf.business_cap():,}".replace(",", ".") + " đ",
        )


class DecisionForm(BootstrapMixin, forms.Form):
    status = forms.ChoiceField(
        label=_("The bank's decision"),
        choices=[
            (PolicyBankReferral.Status.APPROVED, _("Approved")),
            (PolicyBankReferral.Status.REJECTED, _("Rejected")),
            (PolicyBankReferral.Status.WITHDRAWN, _("Withdrawn")),
        ],
    )
    decided_on = forms.DateField(label=_("Decision date"), widget=DATE)
    approved_amount = forms.IntegerField(label=_("Amount approved (đồng)"), min_value=1, required=False)
    reference = forms.CharField(label=_("Bank's reference"), max_length=100, required=False)
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class RepaidForm(BootstrapMixin, forms.Form):
    repaid_on = forms.DateField(label=_("Repaid on"), widget=DATE)


class Form01GenerateForm(BootstrapMixin, forms.Form):
    commune = CommuneChoiceField(label=_("Commune"), search=True)
    prepared_on = forms.DateField(label=_("Prepared on"), widget=DATE)

    def __init__(self, *args: Any, actor: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["commune"].limit_to_scope(policy.scope_for(actor, Cap.EDIT_CASEWORK))


class Form01CertifyForm(BootstrapMixin, forms.Form):
    certified_on = forms.DateField(label=_("Certified on"), widget=DATE)
    reference = forms.CharField(label=_("Certification reference"), max_length=100, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class Form01EntryForm(BootstrapMixin, forms.Form):
    included = forms.TypedChoiceField(
        label=_("On the list"), coerce=lambda v: v == "yes", choices=[("yes", _("Yes")), ("no", _("No"))]
    )
    reason = forms.CharField(label=_("Reason for leaving out"), max_length=255, required=False)


class KindForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = SupportKind
        fields = [
            "code",
            "name_vi",
            "name_en",
            "description",
            "legal_reference",
            "value_basis",
            "asks_item",
            "tracks_employment",
            "is_active",
            "order",
        ]

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["code"].disabled = True


class SourceForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = FundingSource
        fields = ["code", "name_vi", "name_en", "is_active", "order"]

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["code"].disabled = True

"""Input forms of the case-work pages. They validate shapes only; ``services`` decide and write.

Every edit form carries the ``version`` of the row it shows (hidden), so that a stale page is
refused with a clear message instead of overwriting someone else's change.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hoanhap.access.forms import bootstrap
from hoanhap.access.models import Organisation, RoleAssignment, User
from hoanhap.access.roles import Role
from hoanhap.casework import policy_settings
from hoanhap.casework.models import Contact, Need, PlanAction
from hoanhap.people.models import Person

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]


def date_field(
    label, *, required: bool = True, initial_today: bool = False, help_text: Any = ""
) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        widget=DATE_WIDGET,
        initial=timezone.localdate if initial_today else None,
        input_formats=INPUT_FORMATS,
        help_text=help_text,
    )


class _Form(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bootstrap(self)


class VersionedForm(_Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class AssignmentForm(VersionedForm):
    """A helper: an organisation of the person's province, an account of a helper, and/or a name."""

    organisation = forms.ModelChoiceField(
        label=_("Helping organisation"), queryset=Organisation.objects.none(), required=False
    )
    user = forms.ModelChoiceField(
        label=_("Helper's account"),
        queryset=User.objects.none(),
        required=False,
        help_text=_("The helper signs in with this account to see the person and record contacts."),
    )
    helper_name = forms.CharField(label=_("Helper's name"), max_length=150, required=False)
    helper_role = forms.CharField(
        label=_("Helper's role"),
        max_length=150,
        required=False,
        help_text=_("For example: Women's Union member, neighbourhood head, the person's brother."),
    )
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    start_date = date_field(_("From"), initial_today=True)
    end_date = date_field(
        _("Until"), required=False, help_text=_("The helper's access to the person ends after this day.")
    )
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args: Any, person: Person, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = (
            Organisation.objects.filter(province_id=person.province_id, is_active=True)
            .exclude(
                kind__in=[
                    Organisation.Kind.DETENTION_FACILITY,
                    Organisation.Kind.LOAN_FUND,
                    Organisation.Kind.PROVINCE_POLICE,
                ]
            )
            .order_by("name")
        )
        helper_ids = RoleAssignment.objects.filter(role=Role.HELPER).values("user_id")
        self.fields["user"].queryset = User.objects.filter(
            pk__in=helper_ids, is_active=True, organisation__province_id=person.province_id
        ).order_by("full_name", "username")


class NeedForm(VersionedForm):
    domain = forms.ChoiceField(label=_("Domain"), choices=Need.Domain.choices)
    status = forms.ChoiceField(label=_("Status"), choices=Need.Status.choices, initial=Need.Status.IDENTIFIED)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    declined_reason = forms.CharField(
        label=_("Reason for declining"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("Required when the person declined the help."),
    )

    def __init__(self, *args: Any, domains: list[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if domains is not None:
            self.fields["domain"].choices = [c for c in Need.Domain.choices if c[0] in domains]


class PlanActionForm(VersionedForm):
    need = forms.ModelChoiceField(label=_("Need answered"), queryset=Need.objects.none())
    description = forms.CharField(label=_("Plan action"), max_length=255)
    owner = forms.CharField(
        label=_("Owner"),
        max_length=150,
        help_text=_("Who carries it out: an officer, a helper, an organisation."),
    )
    due_on = date_field(_("Due on"))

    def __init__(self, *args: Any, person: Person, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["need"].queryset = Need.objects.filter(person=person).order_by("domain")
        self.fields["need"].label_from_instance = lambda n: str(n)


class PlanResultForm(VersionedForm):
    status = forms.ChoiceField(
        label=_("Outcome"),
        choices=[(PlanAction.Status.DONE, _("Done")), (PlanAction.Status.NOT_DONE, _("Not done"))],
    )
    result = forms.CharField(label=_("Result"), widget=forms.Textarea(attrs={"rows": 3}))
    result_on = date_field(_("Date"), initial_today=True)


class ContactForm(VersionedForm):
    occurred_on = date_field(_("Date"), initial_today=True)
    kind = forms.ChoiceField(label=_("Kind"), choices=Contact.Kind.choices)
    participants = forms.CharField(
        label=_("Who took part"), max_length=255, help_text=_("Officers, helpers and family members present.")
    )
    observations = forms.CharField(
        label=_("What was seen"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    note = forms.CharField(
        label=_("Note"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("Helpers assigned to the person can read this note."),
    )
    police_note = forms.CharField(
        label=_("Police-only note"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("Kept apart from the contact: helpers never see it."),
    )

    def __init__(self, *args: Any, police: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not police:
            del self.fields["police_note"]


class PoliceNoteForm(VersionedForm):
    written_on = date_field(_("Date"), initial_today=True)
    text = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 4}))


class ReviewForm(VersionedForm):
    """The review: group, assessment, then one status per domain of need (prefilled with the current one)."""

    reviewed_on = date_field(_("Reviewed on"), initial_today=True)
    group = forms.ChoiceField(label=_("Classification group"), choices=Person.Classification.choices)
    summary = forms.CharField(
        label=_("Assessment"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Also recorded as the reasons for the classification."),
    )

    def __init__(self, *args: Any, needs: dict[str, Need], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.domains = []
        for domain in Need.Domain:
            need = needs.get(domain.value)
            status = forms.ChoiceField(
                label=domain.label,
                choices=[("", _("Not assessed"))] + list(Need.Status.choices),
                required=False,
                initial=need.status if need else "",
            )
            reason = forms.CharField(
                label=_("Reason for declining"),
                required=False,
                initial=need.declined_reason if need else "",
            )
            self.fields[f"need_{domain.value}"] = status
            self.fields[f"reason_{domain.value}"] = reason
            self.domains.append(domain.value)
        bootstrap(self)

    @property
    def need_rows(self) -> list[tuple[Any, Any]]:
        """(status field, reason field) of each domain, bound, for the table of the template."""
        return [(self[f"need_{d}"], self[f"reason_{d}"]) for d in self.domains]

    def needs_data(self) -> dict[str, dict[str, str]]:
        out = {}
        for domain in self.domains:
            status = self.cleaned_data.get(f"need_{domain}")
            if status:
                out[domain] = {
                    "status": status,
                    "declined_reason": self.cleaned_data.get(f"reason_{domain}", ""),
                }
        return out


def visit_help() -> str:
    days = policy_settings.visit_days()
    return str(
        _("Contacts are due every {a} days in group A, {b} in group B, {c} in group C (local setting).")
    ).format(a=days.get("A") or "—", b=days.get("B") or "—", c=days.get("C") or "—")

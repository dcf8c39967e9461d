"""Input forms of the access pages. They validate input only; services decide and write.

Unit and organisation choices are limited to the actor's own areas, so the lists stay short and
nobody is offered what the service would refuse anyway.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from hoanhap.access import policy, selectors
from hoanhap.access.models import Organisation
from hoanhap.access.roles import ROLE_SPECS, Cap, Role, Scoping
from hoanhap.geo.models import Commune


def bootstrap(form: forms.BaseForm, *, small: bool = False) -> forms.BaseForm:
    """Give every widget of ``form`` its Bootstrap 5 class."""
    size = " form-control-sm" if small else ""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput):
            css = "form-check-input"
        elif isinstance(widget, forms.Select):
            css = "form-select" + (" form-select-sm" if small else "")
        else:
            css = "form-control" + size
        widget.attrs["class"] = (widget.attrs.get("class", "") + " " + css).strip()
    return form


def add_service_errors(form: forms.BaseForm, exc: ValidationError) -> None:
    """Show a service's ValidationError on the matching fields (or on the form)."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


class BootstrapMixin:
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bootstrap(self)


class UnitFieldsMixin:
    """A province select and a commune select whose options follow the chosen province."""

    unit_capability = Cap.MANAGE_ORGANISATIONS

    def setup_units(self, actor: Any, province_field: str = "province") -> None:
        self.fields[province_field].queryset = selectors.province_choices(
            actor=actor, cap=self.unit_capability
        )
        self.fields[province_field].widget.attrs.update(
            {
                "hx-get": reverse("access:commune-options") + "?" + urlencode({"cap": self.unit_capability}),
                "hx-target": "#" + self["commune"].auto_id,
                "hx-trigger": "change",
            }
        )
        province = self.data.get(self.add_prefix(province_field)) if self.is_bound else None
        province = province or self.initial.get(province_field)
        province = getattr(province, "pk", province)
        try:
            code = int(province) if province else None
        except (TypeError, ValueError):
            code = None
        commune = self.data.get(self.add_prefix("commune")) if self.is_bound else None
        if code is None and commune and str(commune).isdigit():
            # A commune chosen without its province (API-like posts): take the commune's province.
            code = Commune.objects.filter(pk=int(commune)).values_list("province_id", flat=True).first()
        self.fields["commune"].queryset = selectors.commune_choices(
            actor=actor, cap=self.unit_capability, province=code
        )


class SignInForm(BootstrapMixin, AuthenticationForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs.update({"autocomplete": "username", "autocapitalize": "none"})
        self.fields["password"].widget.attrs.update({"autocomplete": "current-password"})


class OwnPasswordChangeForm(BootstrapMixin, PasswordChangeForm):
    """Django's form (old password + two new ones, checked against the password rules)."""


class TokenForm(BootstrapMixin, forms.Form):
    token = forms.CharField(
        label=_("Six-digit code"),
        min_length=6,
        max_length=8,
        widget=forms.TextInput(
            attrs={
                "inputmode": "numeric",
                "autocomplete": "one-time-code",
                "pattern": "[0-9]*",
                "autofocus": True,
            }
        ),
    )

    def clean_token(self) -> str:
        return self.cleaned_data["token"].replace(" ", "")


class OrganisationForm(UnitFieldsMixin, BootstrapMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=255)
    kind = forms.ChoiceField(label=_("Kind"), choices=Organisation.Kind.choices)
    province = forms.ModelChoiceField(label=_("Province"), queryset=None)
    commune = forms.ModelChoiceField(
        label=_("Commune"),
        queryset=Commune.objects.none(),
        required=False,
        help_text=_("Leave empty for a body of the whole province."),
    )
    address = forms.CharField(label=_("Address"), max_length=255, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args: Any, actor: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.setup_units(actor)

    @staticmethod
    def initial_from(organisation: Organisation) -> dict[str, Any]:
        return {
            "name": organisation.name,
            "kind": organisation.kind,
            "province": organisation.province_id,
            "commune": organisation.commune_id,
            "address": organisation.address,
            "phone": organisation.phone,
            "is_active": organisation.is_active,
        }


class _OrganisationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Organisation) -> str:
        unit = obj.commune.name if obj.commune_id else obj.province.name
        return f"{obj.name} — {unit}"


class UserForm(BootstrapMixin, forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    organisation = _OrganisationChoiceField(label=_("Organisation"), queryset=None, required=False)

    def __init__(self, *args: Any, actor: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = selectors.organisation_choices(
            actor=actor, cap=Cap.MANAGE_ACCOUNTS
        )
        if not policy.scope_for(actor, Cap.MANAGE_ACCOUNTS).everything:
            self.fields["organisation"].required = True


class TemporaryPasswordMixin:
    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("password") and cleaned.get("password") != cleaned.get("password_again"):
            self.add_error("password_again", _("The two passwords differ."))
        return cleaned


class UserCreateForm(TemporaryPasswordMixin, UserForm):
    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        help_text=_("Letters, digits and @/./+/-/_ only; used to sign in."),
        widget=forms.TextInput(attrs={"autocapitalize": "none", "autocomplete": "off"}),
    )
    password = forms.CharField(
        label=_("Temporary password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Give it to the person in private; they must choose their own at first sign-in."),
    )
    password_again = forms.CharField(
        label=_("Temporary password again"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    field_order = ["username", "full_name", "phone", "organisation", "password", "password_again"]


class PasswordResetForm(TemporaryPasswordMixin, BootstrapMixin, forms.Form):
    password = UserCreateForm.base_fields["password"]
    password_again = UserCreateForm.base_fields["password_again"]


def _role_label(role: str) -> str:
    scoping = ROLE_SPECS[role].scoping
    return f"{Role(role).label} ({Scoping(scoping).label})"


class RoleGrantForm(UnitFieldsMixin, BootstrapMixin, forms.Form):
    unit_capability = Cap.MANAGE_ACCOUNTS

    role = forms.ChoiceField(label=_("Role"))
    province = forms.ModelChoiceField(
        label=_("Province"),
        queryset=None,
        required=False,
        help_text=_("For province roles; for commune roles it narrows the list of communes."),
    )
    commune = forms.ModelChoiceField(
        label=_("Commune"), queryset=Commune.objects.none(), required=False, help_text=_("For commune roles.")
    )
    organisation = _OrganisationChoiceField(
        label=_("Organisation"),
        queryset=None,
        required=False,
        help_text=_("Required for helpers, fund officers and detention facilities."),
    )
    starts_on = forms.DateField(
        label=_("Starts on"), required=False, help_text=_("dd/mm/yyyy; today when empty.")
    )
    ends_on = forms.DateField(
        label=_("Ends on"), required=False, help_text=_("dd/mm/yyyy; open-ended when empty.")
    )

    def __init__(self, *args: Any, actor: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        everything = policy.scope_for(actor, Cap.MANAGE_ACCOUNTS).everything
        self.fields["role"].choices = [("", "---------")] + [
            (role.value, _role_label(role.value))
            for role in Role
            if everything or ROLE_SPECS[role.value].scoping != Scoping.GLOBAL
        ]
        self.fields["organisation"].queryset = selectors.organisation_choices(
            actor=actor, cap=Cap.MANAGE_ACCOUNTS
        )
        self.setup_units(actor)

"""Input forms of the intake pages. They validate input only; ``services`` decide and write.

Every form of a step on a person carries the person's ``version`` (hidden), so that a step taken
on a stale page is refused with a clear message instead of overwriting someone else's change.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hoanhap.access import policy
from hoanhap.access.forms import bootstrap
from hoanhap.access.models import Organisation
from hoanhap.access.roles import Cap
from hoanhap.geo.forms import CommuneChoiceField
from hoanhap.geo.models import Commune
from hoanhap.intake.models import CalendarDay, ManagementEnd, ReleaseKind, ReleaseNotice
from hoanhap.people.models import Person

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _date_field(
    label, *, required: bool = True, initial_today: bool = False, help_text: str = ""
) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        widget=DATE_WIDGET,
        initial=timezone.localdate if initial_today else None,
        help_text=help_text,
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
    )


class _Form(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bootstrap(self)


class VersionedForm(_Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


# -- notices ---------------------------------------------------------------------------------------


class NoticeForm(_Form):
    """A release notice, with the person's identity when the person is not registered yet.

    A facility account chooses any commune in the country; a commune officer only those of their
    areas, and names the sender of the paper notice.
    """

    full_name = forms.CharField(label=gettext_lazy("Full name"), max_length=150)
    sex = forms.ChoiceField(label=gettext_lazy("Sex"), choices=[("", "---------"), *Person.Sex.choices])
    birth_year = forms.IntegerField(label=gettext_lazy("Year of birth"), required=False, min_value=1900)
    birth_month = forms.IntegerField(
        label=gettext_lazy("Month of birth"), required=False, min_value=1, max_value=12
    )
    birth_day = forms.IntegerField(
        label=gettext_lazy("Day of birth"), required=False, min_value=1, max_value=31
    )
    personal_id = forms.CharField(
        label=gettext_lazy("Personal identification number"),
        max_length=12,
        required=False,
        help_text=gettext_lazy(
            "12 digits. A person already registered with this number is linked, not created twice."
        ),
    )
    expected_release_date = _date_field(gettext_lazy("Expected release date"))
    release_kind = forms.ChoiceField(label=gettext_lazy("Release kind"), choices=ReleaseKind.choices)
    sentence_summary = forms.CharField(
        label=gettext_lazy("Result of serving the sentence"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    additional_penalties = forms.CharField(
        label=gettext_lazy("Additional penalties still to be served"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    commune = CommuneChoiceField(label=gettext_lazy("Expected commune of residence"), search=True)
    address = forms.CharField(label=gettext_lazy("Expected address"), max_length=255, required=False)
    reference = forms.CharField(label=gettext_lazy("Notice number"), max_length=60, required=False)
    received_on = _date_field(gettext_lazy("Received on"), initial_today=True)
    facility = forms.ModelChoiceField(
        label=gettext_lazy("Detention facility"),
        queryset=Organisation.objects.filter(kind=Organisation.Kind.DETENTION_FACILITY, is_active=True),
        required=False,
    )
    sender_name = forms.CharField(
        label=gettext_lazy("Sender, if the facility is not in the list"), max_length=255, required=False
    )

    def __init__(self, *args: Any, actor: Any, for_facility: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.for_facility = for_facility
        if for_facility:
            del self.fields["facility"]
            del self.fields["sender_name"]
            del self.fields["received_on"]
        else:
            self.fields["commune"].limit_to_scope(policy.scope_for(actor, Cap.EDIT_CASEWORK))

    def service_data(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        commune = data.pop("commune")
        data["commune"] = commune.pk
        data["province"] = commune.province_id
        if data.get("facility") is not None:
            data["facility"] = data["facility"].pk
        return data


@dataclass
class BulkRow:
    line: int
    data: dict[str, Any]
    errors: list[str] = field(default_factory=list)


BULK_COLUMNS = (
    "full_name",
    "sex",
    "birth_year",
    "personal_id",
    "expected_release_date",
    "release_kind",
    "commune_code",
    "address",
    "sentence_summary",
    "additional_penalties",
)

SEX_WORDS = {
    "nam": "male",
    "male": "male",
    "m": "male",
    "nữ": "female",
    "nu": "female",
    "female": "female",
    "f": "female",
}
KIND_WORDS = {
    "completed_term": ReleaseKind.COMPLETED_TERM,
    "het_an": ReleaseKind.COMPLETED_TERM,
    "amnesty": ReleaseKind.AMNESTY,
    "dac_xa": ReleaseKind.AMNESTY,
    "conditional_release": ReleaseKind.CONDITIONAL_RELEASE,
    "tha_tu_truoc_thoi_han": ReleaseKind.CONDITIONAL_RELEASE,
}


def _parse_date(text: str) -> dt.date | None:
    for fmt in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()  # noqa: DTZ007 - a calendar date, no time
        except ValueError:
            continue
    return None


class BulkNoticeForm(_Form):
    """A whole list of notices at once (an amnesty round): CSV pasted or uploaded, one person a line.

    Columns, in this order (a header line with these names is allowed): full name; sex (nam/nữ);
    year of birth; identification number; expected release date (dd/mm/yyyy); release kind
    (completed_term, amnesty or conditional_release); commune code; address; result of serving the
    sentence; additional penalties. Nothing is filed until every line is valid.
    """

    rows_text = forms.CharField(
        label=gettext_lazy("Lines (CSV)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 12, "class": "font-monospace", "spellcheck": "false"}),
    )
    upload = forms.FileField(label=gettext_lazy("Or a CSV file"), required=False)
    release_kind = forms.ChoiceField(
        label=gettext_lazy("Release kind for lines that give none"), choices=ReleaseKind.choices
    )
    reference = forms.CharField(label=gettext_lazy("Notice number"), max_length=60, required=False)

    MAX_ROWS = 2000

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        text = cleaned.get("rows_text") or ""
        upload = cleaned.get("upload")
        if upload:
            raw = upload.read()
            try:
                text = raw.decode("utf-8-sig")
            except UnicodeDecodeError as exc:
                raise ValidationError(_("The file is not UTF-8 text (save it as CSV UTF-8).")) from exc
        if not text.strip():
            raise ValidationError(_("Paste the lines or choose a CSV file."))
        cleaned["rows"] = self.parse(text, default_kind=cleaned.get("release_kind") or "")
        if len(cleaned["rows"]) > self.MAX_ROWS:
            raise ValidationError(_("At most {n} lines at once.").format(n=self.MAX_ROWS))
        return cleaned

    @staticmethod
    def parse(text: str, *, default_kind: str) -> list[BulkRow]:
        sample = text[:2000]
        delimiter = ";" if sample.count(";") > sample.count(",") else ("\t" if "\t" in sample else ",")
        rows = []
        communes = {}
        for number, cells in enumerate(csv.reader(io.StringIO(text), delimiter=delimiter), start=1):
            cells = [c.strip() for c in cells]
            if not any(cells):
                continue
            if number == 1 and cells[0].lower() in {"full_name", "họ tên", "ho ten", "họ và tên"}:
                continue
            cells += [""] * (len(BULK_COLUMNS) - len(cells))
            raw = dict(zip(BULK_COLUMNS, cells, strict=False))
            row = BulkRow(line=number, data={})
            data = row.data
            data["full_name"] = raw["full_name"]
            if not raw["full_name"]:
                row.errors.append(_("The full name is missing."))
            data["sex"] = SEX_WORDS.get(raw["sex"].lower(), "")
            if not data["sex"]:
                row.errors.append(_("The sex is missing or unknown (nam/nữ)."))
            if raw["birth_year"]:
                if raw["birth_year"].isdigit():
                    data["birth_year"] = int(raw["birth_year"])
                else:
                    row.errors.append(_("The year of birth is not a number."))
            data["personal_id"] = raw["personal_id"]
            release = _parse_date(raw["expected_release_date"])
            if release is None:
                row.errors.append(_("The expected release date is missing or not dd/mm/yyyy."))
            data["expected_release_date"] = release
            kind = KIND_WORDS.get(raw["release_kind"].lower(), "") if raw["release_kind"] else default_kind
            if not kind:
                row.errors.append(_("Unknown release kind."))
            data["release_kind"] = kind
            code = raw["commune_code"]
            if code.isdigit():
                if code not in communes:
                    communes[code] = (
                        Commune.objects.filter(pk=int(code)).values_list("province_id", flat=True).first()
                    )
                if communes[code] is None:
                    row.errors.append(_("No commune has the code {code}.").format(code=code))
                data["commune"], data["province"] = int(code), communes[code]
            else:
                row.errors.append(_("The commune code is missing."))
            data["address"] = raw["address"]
            data["sentence_summary"] = raw["sentence_summary"]
            data["additional_penalties"] = raw["additional_penalties"]
            rows.append(row)
        return rows


class VerifyForm(VersionedForm):
    result = forms.ChoiceField(
        label=gettext_lazy("Result"), choices=ReleaseNotice.Result.choices, widget=forms.RadioSelect
    )
    verified_on = _date_field(gettext_lazy("Verified on"), initial_today=True)
    note = forms.CharField(
        label=gettext_lazy("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy(
            "When the address is wrong, say what the family told you: it goes into the HCD-03 letter."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["result"].widget.attrs["class"] = "form-check-input"


# -- steps on a person -----------------------------------------------------------------------------


class ReleaseForm(VersionedForm):
    release_date = _date_field(gettext_lazy("Release date"), required=False)
    kind = forms.ChoiceField(
        label=gettext_lazy("Release kind"), choices=[("", "---------"), *ReleaseKind.choices], required=False
    )
    certificate = forms.CharField(
        label=gettext_lazy("Certificate (number and date)"), max_length=120, required=False
    )
    probation_ends_on = _date_field(
        gettext_lazy("Probation ends on"),
        required=False,
        help_text=gettext_lazy("Conditional early release only: the end of the remaining term."),
    )


class ReceptionForm(VersionedForm):
    reported_on = _date_field(gettext_lazy("Reported on"), initial_today=True)
    commitment_signed = forms.BooleanField(label=gettext_lazy("Commitment signed (HCD-05)"), required=False)
    residence_registration_done = forms.BooleanField(
        label=gettext_lazy("Residence registration done"), required=False
    )
    identity_card_done = forms.BooleanField(label=gettext_lazy("Identity card done"), required=False)
    wants_job_info = forms.BooleanField(label=gettext_lazy("Wants information on jobs"), required=False)
    wants_loan_info = forms.BooleanField(
        label=gettext_lazy("Wants information on policy-bank loans"), required=False
    )
    notes = forms.CharField(
        label=gettext_lazy("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class EnterForm(VersionedForm):
    entered_on = _date_field(gettext_lazy("Enters management on"), initial_today=True)


class ClassifyForm(VersionedForm):
    group = forms.ChoiceField(label=gettext_lazy("Group"), choices=Person.Classification.choices)
    reasons = forms.CharField(label=gettext_lazy("Reasons"), widget=forms.Textarea(attrs={"rows": 3}))
    decided_on = _date_field(gettext_lazy("Decided on"), initial_today=True)
    next_review_on = _date_field(
        gettext_lazy("Next review on"),
        required=False,
        help_text=gettext_lazy("Empty: the review cycle from the settings."),
    )


class TransferForm(VersionedForm):
    to_commune = CommuneChoiceField(label=gettext_lazy("Commune the person moves to"), search=True)
    to_address = forms.CharField(label=gettext_lazy("New address"), max_length=255, required=False)
    reason = forms.CharField(
        label=gettext_lazy("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    sent_on = _date_field(gettext_lazy("Sent on"), initial_today=True)


class TransferConfirmForm(VersionedForm):
    received_on = _date_field(gettext_lazy("File received on"), required=False)
    confirmed_on = _date_field(gettext_lazy("Confirmed on"), initial_today=True)


class TransferReturnForm(VersionedForm):
    reason = forms.CharField(
        label=gettext_lazy("Reason for returning"), widget=forms.Textarea(attrs={"rows": 2})
    )
    returned_on = _date_field(gettext_lazy("Returned on"), initial_today=True)


class MissingForm(VersionedForm):
    noted_on = _date_field(gettext_lazy("Date"), initial_today=True)
    note = forms.CharField(
        label=gettext_lazy("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class FoundForm(VersionedForm):
    found_on = _date_field(gettext_lazy("Found on"), initial_today=True)
    note = forms.CharField(
        label=gettext_lazy("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class EndForm(VersionedForm):
    ground = forms.ChoiceField(label=gettext_lazy("Ground"), choices=ManagementEnd.Ground.choices)
    ended_on = _date_field(gettext_lazy("Ended on"), initial_today=True)
    note = forms.CharField(
        label=gettext_lazy("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


# -- calendar --------------------------------------------------------------------------------------


class CalendarDayForm(_Form):
    date = _date_field(gettext_lazy("Date"))
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=CalendarDay.Kind.choices)
    name = forms.CharField(label=gettext_lazy("Name"), max_length=150)
    note = forms.CharField(label=gettext_lazy("Note"), max_length=255, required=False)

"""``notices``: release notices typed from paper lists, filed through ``intake.services.notice_receive``.

The person is found by record code, identification number or a preview decision; else as the person
an earlier row of the same file named (``same_person_keys``), else by the same name, year of birth
and commune. A notice already filed for the person with the same expected release date and date
of receipt is left alone. A new person is registered by the notice service itself, after the
duplicate check — with the row's record code when it gives one unknown here (``create_person``).

A file may carry two notices for one person (a corrected notice with another expected release
date): both are filed in the order of the file — the intake workflow takes a new notice while the
person is "notice received". A repeated row (same person, expected release date and date of
receipt) is left alone. Staging warns about both on the later row (``loading._notice_repeats``).
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from hoanhap.access import policy
from hoanhap.access.roles import Cap
from hoanhap.imports.kinds.base import (
    PERSON_FIELD_COLUMNS,
    Adapter,
    ApplyContext,
    Outcome,
    RowInput,
    check_duplicates,
    check_record_code,
    create_person,
    exact_match,
    facility,
    find_person,
    person_values,
    residence,
    same_person_keys,
)
from hoanhap.imports.reading import specs
from hoanhap.imports.reading.addresses import RESOLVED
from hoanhap.intake import deadlines, workflow
from hoanhap.intake import services as intake
from hoanhap.intake.models import ReleaseNotice

NOTICE_COLUMNS = {
    **PERSON_FIELD_COLUMNS,
    "facility": "facility",
    "sender_name": "facility",
    "reference": "reference",
    "expected_release_date": "expected_release_date",
    "release_kind": "release_kind",
    "received_on": "received_on",
    "sentence_summary": "sentence_summary",
    "additional_penalties": "additional_penalties",
}


class NoticesAdapter(Adapter):
    spec = specs.NOTICES
    field_columns = NOTICE_COLUMNS

    def apply(self, row: RowInput, ctx: ApplyContext) -> Outcome:
        values = row.values
        warnings: list = []
        province, commune, _pending = residence(row, required=True)
        keys = row_keys(values, row.address)
        person = find_person(values, row, ctx) or ctx.remembered(keys)
        data = person_values(values)
        data.update(province=province, commune=commune, address=values.get("address") or "")
        if person is None and row.decision != "new":
            person = exact_match(data, province, commune, ctx, record_code=values.get("record_code"))
            if person is not None and person.personal_id and data.get("personal_id"):
                person = None  # a number not registered yet: the duplicate check asks
        if person is not None:
            existing = ReleaseNotice.objects.filter(
                person=person,
                expected_release_date=values["expected_release_date"],
                received_on=values["received_on"],
            ).first()
            if existing is not None:
                ctx.remember(keys, person)
                return Outcome("skip", existing, warnings)
        elif values.get("record_code"):  # another installation's record (as persons): it keeps its code
            check_record_code(values["record_code"])
            person = create_person({**data, "status": workflow.IN_PRISON}, values["record_code"], ctx)
        elif row.decision != "new":
            check_duplicates(data, row, ctx)
        for key in (
            "expected_release_date",
            "release_kind",
            "received_on",
            "reference",
            "sentence_summary",
            "additional_penalties",
        ):
            if values.get(key) is not None:
                data[key] = values[key]
        place = facility(
            values.get("facility"),
            values.get("facility_unit"),
            ctx,
            warnings,
            province,
            register_without_unit=False,
        )
        if place is not None:
            data["facility"] = place.pk
        elif values.get("facility"):
            data["sender_name"] = values["facility"]  # a sender without an account, named in words
        if person is not None and not workflow.is_allowed("notice_receive", person.status):
            notice = _past_notice(person, data, place, ctx)
            warnings.append((None, _(PAST_NOTICE)))
        else:
            notice = intake.notice_receive(actor=ctx.actor, data=data, person=person)
        ctx.remember(keys, notice.person)
        return Outcome("create", notice, warnings)


def row_keys(values: dict, address: dict) -> list[tuple]:
    """``same_person_keys`` of a row whose address is staged (``codec.encode_address``)."""
    address = address or {}
    commune = address.get("commune") if address.get("status") == RESOLVED else None
    return same_person_keys(values, commune, address.get("text") or "")


PAST_NOTICE = gettext_noop(
    "The person is past this step: the notice is kept in their file without changing their status."
)


def _past_notice(person, data: dict, place, ctx: ApplyContext) -> ReleaseNotice:
    """A notice of the past (a list exported after the release): filed as a record, no workflow step.

    The documented import path (docs/import.md): ``notice_receive`` refuses a notice for a person
    already released or under management, yet the notice belongs to their file. The officer's right
    on the unit is checked as the service would; the audited model records the creation under the
    import's tag.
    """
    policy.ensure_unit_in_scope(
        ctx.actor, Cap.EDIT_CASEWORK, province=data["province"], commune=data["commune"]
    )
    received = data.get("received_on")
    return ReleaseNotice.objects.create(
        person=person,
        facility=place,
        sender_name="" if place else str(data.get("sender_name") or ""),
        reference=str(data.get("reference") or ""),
        expected_release_date=data["expected_release_date"],
        release_kind=data["release_kind"],
        sentence_summary=str(data.get("sentence_summary") or ""),
        additional_penalties=str(data.get("additional_penalties") or ""),
        province_id=data["province"],
        commune_id=data["commune"],
        address=data.get("address") or "",
        received_on=received,
        is_late=deadlines.notice_is_late(
            received_on=received, expected_release=data["expected_release_date"]
        ),
        verify_by=deadlines.verify_by(received),
    )

"""Writes planned lives as rows, as the people, justice and intake services would have written them.

``Writer`` holds one ``rows.Rows`` per table; ``Story`` replays one ``PersonPlan`` up to the day of
loading and queues its rows: the person, residence history, judgments and their lines, releases,
notices, receptions, classifications, transfers, ends, management events (with the status before
and after, in the unit where each happened, data as the services record it) and timeline entries
(worded with the services' own messages). ``Writer.flush`` inserts a batch in dependency order.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext

from hoanhap.core.text import canonical, fold, nfc
from hoanhap.demo import lifecycles, organisations
from hoanhap.demo.lifecycles import PersonPlan, Place, Step
from hoanhap.demo.rows import Rows
from hoanhap.geo.models import Commune, Province
from hoanhap.intake import deadlines, policy_settings
from hoanhap.intake.models import (
    Classification,
    ManagementEnd,
    ManagementEvent,
    Reception,
    ReleaseKind,
    ReleaseNotice,
    Transfer,
)
from hoanhap.justice import services as justice
from hoanhap.justice.models import AdditionalPenalty, Judgment, JudgmentOffence, Obligation, Offence, Release
from hoanhap.people.models import Person, ResidenceHistory, TimelineEntry, search_text_of, sort_key_of

K = ManagementEvent.Kind
S = Person.Status
Row = dict[str, Any]

# Tables in the order their rows are inserted (a row only refers to rows of earlier tables).
TABLES = (
    Person,
    ResidenceHistory,
    Judgment,
    JudgmentOffence,
    Obligation,
    AdditionalPenalty,
    Release,
    ReleaseNotice,
    Reception,
    Classification,
    Transfer,
    ManagementEnd,
    ManagementEvent,
    TimelineEntry,
)
RECEPTION_FLAGS = (
    "commitment_signed",
    "residence_registration_done",
    "identity_card_done",
    "wants_job_info",
    "wants_loan_info",
)
MARKER = 987654321
# Notes an officer keeps on the record of someone under management (about one in thirty of them).
PERSON_NOTES = (
    "Đang học nghề sửa xe máy tại xã.",
    "Gia đình khó khăn, cần hỗ trợ vốn.",
    "Làm thuê theo mùa vụ, thường đi làm xa.",
    "Sống cùng mẹ già đau ốm, là lao động chính trong nhà.",
    "Đã có việc làm ổn định tại cơ sở may trong xã.",
)
NOTE_SHARE = 1 / 30


def person_note(key: str, status: str) -> str:
    """The note of a person under management, if any: drawn from a generator of its own, so that the
    plans' draws — hence every figure of the demo — stay as they are."""
    if status not in (S.RECEIVED, S.IN_MANAGEMENT):
        return ""
    rng = random.Random(f"{lifecycles.SEED}:note:{key}")
    return rng.choice(PERSON_NOTES) if rng.random() < NOTE_SHARE else ""


_said: dict[str, str] = {}


def _(message: str) -> str:
    """``gettext``, remembered for one load (a load says the same sentences ~300,000 times, in one
    language; ``Writer`` forgets them when a new load starts)."""
    try:
        return _said[message]
    except KeyError:
        _said[message] = gettext(message)
        return _said[message]


def _url_template(model) -> str:
    """The URL of a row of ``model`` with ``{}`` for its id ('' when the model has no page)."""
    if not hasattr(model, "get_absolute_url"):
        return ""
    try:
        return model(pk=MARKER).get_absolute_url().replace(str(MARKER), "{}")
    except Exception:  # noqa: BLE001 - a page that needs more than the id: no link
        return ""


def _d(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


class Writer:
    """The rows of a batch of people, and what every story needs to look up."""

    def __init__(self, horizon: dt.date) -> None:
        _said.clear()
        now = timezone.now()
        self.horizon = horizon
        self.rows = {model: Rows(model, now=now) for model in TABLES}
        self.facilities = organisations.organisations(
            "facility:dinh_thanh", "facility:remand", "facility:cai_tau"
        )
        self.offences = dict(Offence.objects.filter(clause="").values_list("article", "pk"))
        self.communes = dict(Commune.objects.values_list("code", "name"))
        self.provinces = dict(Province.objects.values_list("code", "name"))
        self.judgment_numbers: Counter[tuple[str, int]] = Counter()
        self.escalation_days = policy_settings.transfer_escalation_days()
        self.urls = {m: _url_template(m) for m in TABLES}
        self.person_url = Person(record_code="00-000000").get_absolute_url().replace("00-000000", "{}")
        self.kind_labels = {k: str(v) for k, v in ReleaseKind.choices}
        self.release_labels = {k: str(v) for k, v in Release.Kind.choices}
        self.ground_labels = {k: str(v) for k, v in ManagementEnd.Ground.choices}
        self.cache: dict[tuple, Any] = {}

    def cached(self, key: tuple, compute) -> Any:
        """The same dates, names and penalties come back thousands of times: compute each once."""
        try:
            return self.cache[key]
        except KeyError:
            self.cache[key] = value = compute()
            return value

    def name_keys(self, name: str, other_names: str) -> dict[str, str]:
        """The derived name columns ``Person.save`` would fill."""
        return self.cached(
            ("name", name, other_names),
            lambda: {
                "name_folded": fold(name),
                "name_canonical": canonical(name),
                "sort_key": sort_key_of(name, other_names),
                "search_text": search_text_of(name, other_names),
            },
        )

    def judgment_title(self, values: dict[str, Any]) -> tuple[str, str]:
        """``str(judgment)`` and ``justice.services.judgment_summary(judgment)``, in the same words."""
        title = Judgment.text(_(Judgment.TEXT), values["judgment_number"], values["judgment_date"])
        years, months = values["main_penalty_years"], values["main_penalty_months"]
        penalty = self.cached(
            ("penalty", years, months),
            lambda: Judgment(main_penalty_type=Judgment.PenaltyType.IMPRISONMENT, main_penalty_years=years,
                             main_penalty_months=months).main_penalty_display,
        )  # fmt: skip
        return title, _(justice.JUDGMENT_SUMMARY).format(
            judgment=title, court=values["court_name"], penalty=penalty
        )

    def add(self, plan: PersonPlan, record_code: str) -> None:
        Story(self, plan, record_code).tell()

    def flush(self) -> dict[str, int]:
        return {model._meta.label_lower: self.rows[model].flush() for model in TABLES}

    # -- helpers for stories -----------------------------------------------------------------------

    def unit(self, province: int, commune: int | None) -> str:
        return ", ".join(x for x in (self.communes.get(commune, ""), self.provinces.get(province, "")) if x)

    def url(self, model, row: Row) -> str:
        if model is Person:
            return self.person_url.format(row["record_code"])
        template = self.urls[model]
        return template.format(row["id"]) if template else ""


class Story:
    """Replays one plan up to the horizon, keeping status, commune and history as the services do."""

    def __init__(self, writer: Writer, plan: PersonPlan, record_code: str) -> None:
        self.w = writer
        self.plan = plan
        who = plan.identity
        name = nfc(who.full_name)
        year, month, day = plan.birth
        self.p = writer.rows[Person].add(
            record_code=record_code,
            full_name=name,
            other_names=who.other_names,
            birth_year=year,
            birth_month=month,
            birth_day=day,
            sex=who.sex,
            ethnicity=who.ethnicity,
            religion=who.religion,
            personal_id=plan.personal_id,
            old_id_number=plan.old_id,
            province_id=plan.home.province,
            commune_id=plan.home.code,
            address=plan.address,
            status=S.IN_PRISON,
            classification="",
            **writer.name_keys(name, who.other_names),
        )
        self.residence: Row | None = None
        self.judgment: Row | None = None
        self.judgment_title = ""
        self.money: list[tuple[type, Row, int | None]] = []
        self.notice: Row | None = None
        self.reception: Row | None = None
        self.transfer: Row | None = None
        self.previous_status = ""

    # -- writing helpers ---------------------------------------------------------------------------

    def row(self, model, **values: Any) -> Row:
        return self.w.rows[model].add(**values)

    def note(self, day: dt.date, kind: str, summary: str, model=None, target: Row | None = None) -> None:
        values: dict[str, Any] = {"person_id": self.p["id"], "occurred_on": day, "kind": kind[:60]}
        values["summary"] = str(summary)[:500]
        if target is not None:
            values["target_type"] = model._meta.label_lower
            values["target_id"] = str(target["id"])
            values["url"] = self.w.url(model, target)
        self.row(TimelineEntry, **values)

    def event(self, what: str, day: dt.date, where: tuple[int, int], before: str, **data: Any) -> None:
        self.row(
            ManagementEvent,
            person_id=self.p["id"],
            kind=what,
            occurred_on=day,
            province_id=where[0],
            commune_id=where[1],
            status_before=before,
            status_after=self.p["status"],
            data={k: v.isoformat() if isinstance(v, dt.date) else v for k, v in data.items()},
        )

    def status(self, status: str) -> str:
        before = self.p["status"]
        self.p["status"] = status
        return before

    def tell(self) -> None:
        horizon = self.w.horizon
        steps = lifecycles.with_reviews(self.plan, horizon)
        for step, province, commune in lifecycles.replay(self.plan, steps):
            if step.day > horizon:
                break
            getattr(self, f"on_{step.what}")(step, (province, commune))
        if self.transfer is not None:  # still unanswered today
            self.escalate(horizon)
        self.p["note"] = person_note(self.plan.key, self.p["status"])

    # -- registration and judgments ----------------------------------------------------------------

    def on_registered(self, step: Step, where) -> None:
        p = self.p
        self.residence = self.row(
            ResidenceHistory,
            person_id=p["id"],
            province_id=p["province_id"],
            commune_id=p["commune_id"],
            address=p["address"],
            from_date=step.day,
        )
        summary = _("Record {code} opened.").format(code=p["record_code"])
        self.note(step.day, "people.person.registered", summary, Person, p)

    def on_judgment(self, step: Step, where) -> None:
        d = step.data
        year = d["judged_on"].year
        self.w.judgment_numbers[(d["court"], year)] += 1
        values = {
            "court_name": d["court"],
            "judgment_number": f"{self.w.judgment_numbers[(d['court'], year)]}/{year}/HS-ST",
            "judgment_date": d["judged_on"],
            "offence_committed_on": d["committed_on"],
            "main_penalty_type": Judgment.PenaltyType.IMPRISONMENT,
            "main_penalty_years": d["years"],
            "main_penalty_months": d["months"],
            "main_penalty_started_on": d["started_on"],
        }
        judgment = self.row(Judgment, person_id=self.p["id"], is_final=True, **values)
        self.judgment = judgment
        self.judgment_title, summary = self.w.judgment_title(values)
        for article, clause in d["offences"]:
            self.row(
                JudgmentOffence,
                judgment_id=judgment["id"],
                offence_id=self.w.offences[article],
                clause=clause,
            )
        self.money = []
        for o in d["obligations"]:
            line = self.row(
                Obligation,
                judgment_id=judgment["id"],
                kind=o["kind"],
                description=o["description"],
                amount_due=o["due"],
            )
            self.money.append((Obligation, line, o["paid_after"]))
        for a in d["additional"]:
            line = self.row(
                AdditionalPenalty,
                judgment_id=judgment["id"],
                type=a["type"],
                amount=a["amount"],
                starts_on=d["judged_on"],
            )
            self.money.append((AdditionalPenalty, line, a["paid_after"]))
        self.note(d["judged_on"], "justice.judgment.recorded", summary, Judgment, judgment)

    def settle_money(self, released: dt.date) -> None:
        """Court fees, compensation and fines paid by today get their day of completion."""
        for model, line, after in self.money:
            paid_on = released + dt.timedelta(days=after) if after is not None else None
            if paid_on is not None and paid_on <= self.w.horizon:
                line["completed_on"] = paid_on
                if model is Obligation:
                    line["amount_paid"] = line["amount_due"]
            elif model is Obligation and line["kind"] == Obligation.Kind.COMPENSATION:
                line["amount_paid"] = line["amount_due"] // 4

    # -- notice, release, reporting, entering --------------------------------------------------------

    def on_notice(self, step: Step, where) -> None:
        d = step.data
        facility = self.w.facilities[d["facility"]] if d["facility"] else None
        notice = self.row(
            ReleaseNotice,
            person_id=self.p["id"],
            facility_id=facility.pk if facility else None,
            sender_name=d["sender"],
            reference=d["reference"],
            expected_release_date=d["expected_on"],
            release_kind=d["release_kind"],
            sentence_summary=d["sentence_summary"],
            additional_penalties=d["additional_penalties"],
            province_id=where[0],
            commune_id=where[1],
            address=self.p["address"],
            received_on=step.day,
            is_late=self.w.cached(
                ("late", step.day, d["expected_on"]),
                lambda: deadlines.notice_is_late(received_on=step.day, expected_release=d["expected_on"]),
            ),
            verify_by=self.w.cached(("verify_by", step.day), lambda: deadlines.verify_by(step.day)),
        )
        self.notice = notice
        before = self.status(S.NOTIFIED)
        self.event(
            K.NOTICE_RECEIVED,
            step.day,
            where,
            before,
            notice=notice["id"],
            facility=facility.pk if facility else None,
            expected_release_date=d["expected_on"],
            release_kind=d["release_kind"],
            is_late=notice["is_late"],
            verify_by=notice["verify_by"],
        )
        summary = _("Release notice received from {sender}: release expected on {date}.").format(
            sender=facility.name if facility else d["sender"], date=_d(d["expected_on"])
        )
        if notice["is_late"]:
            summary += " " + _("The notice is late.")
        self.note(step.day, f"intake.{K.NOTICE_RECEIVED}", summary, ReleaseNotice, notice)

    def on_verified(self, step: Step, where) -> None:
        notice = self.notice
        notice["verified_on"] = step.day
        notice["verification_result"] = ReleaseNotice.Result.CONFIRMED
        self.event(
            K.NOTICE_VERIFIED,
            step.day,
            where,
            self.p["status"],
            notice=notice["id"],
            result=ReleaseNotice.Result.CONFIRMED.value,
            on_time=step.day <= notice["verify_by"],
            verify_by=notice["verify_by"],
        )
        self.note(
            step.day,
            f"intake.{K.NOTICE_VERIFIED}",
            _("Residence verified and confirmed."),
            ReleaseNotice,
            notice,
        )

    def on_release(self, step: Step, where) -> None:
        d = step.data
        amnesty = d["amnesty"]
        facility = self.w.facilities[d["facility"]]
        values = {
            "release_date": step.day,
            "kind": d["kind"],
            "amnesty_decision_number": amnesty.decision if amnesty else "",
            "amnesty_decision_date": amnesty.decided_on if amnesty else None,
            "probation_ends_on": d["probation_ends_on"],
            "certificate_number": d["certificate"],
            "certificate_date": step.day,
        }
        release = self.row(
            Release,
            person_id=self.p["id"],
            judgment_id=self.judgment["id"],
            facility_id=facility.pk,
            **values,
        )
        self.settle_money(step.day)
        summary = _(justice.RELEASE_SUMMARY).format(
            facility=facility.name, kind=self.w.release_labels[d["kind"]], judgment=self.judgment_title
        )
        self.note(step.day, "justice.release.recorded", summary, Release, release)
        before = self.status(S.RELEASED)
        self.event(
            K.RELEASED,
            step.day,
            where,
            before,
            kind=d["kind"],
            certificate=f"{d['certificate']} ({_d(step.day)})",
            probation_ends_on=d["probation_ends_on"],
            release_id=release["id"],
            source="justice",
        )
        summary = _("Released ({kind}) on {date}.").format(
            kind=self.w.kind_labels[d["kind"]], date=_d(step.day)
        )
        if d["probation_ends_on"]:
            summary += " " + _("Probation until {date}.").format(date=_d(d["probation_ends_on"]))
        self.note(step.day, f"intake.{K.RELEASED}", summary, Person, self.p)

    def on_reported(self, step: Step, where) -> None:
        flags = {flag: step.data[flag] for flag in RECEPTION_FLAGS}
        reception = self.row(
            Reception,
            person_id=self.p["id"],
            province_id=where[0],
            commune_id=where[1],
            reported_on=step.day,
            **flags,
        )
        self.reception = reception
        before = self.status(S.RECEIVED)
        self.event(K.REPORTED, step.day, where, before, reception=reception["id"], **flags)
        summary = _("Reported at the commune; reception record made.")
        self.note(step.day, f"intake.{K.REPORTED}", summary, Reception, reception)

    def on_entered(self, step: Step, where) -> None:
        before = self.status(S.IN_MANAGEMENT)
        self.event(K.ENTERED_MANAGEMENT, step.day, where, before, release_kind=step.data["release_kind"])
        model, target = (Reception, self.reception) if step.data["at_reception"] else (Person, self.p)
        self.note(
            step.day, f"intake.{K.ENTERED_MANAGEMENT}", _("Entered reintegration management."), model, target
        )

    # -- under management ----------------------------------------------------------------------------

    def on_classified(self, step: Step, where) -> None:
        group = step.data["group"]
        previous = self.p["classification"]
        review = self.w.cached(("review", step.day), lambda: deadlines.next_review_on(step.day))
        classification = self.row(
            Classification,
            person_id=self.p["id"],
            group=group,
            reasons=lifecycles.CLASSIFICATION_REASONS[group],
            decided_on=step.day,
            next_review_on=review,
        )
        self.p["classification"] = group
        self.event(
            K.CLASSIFIED,
            step.day,
            where,
            self.p["status"],
            group=group,
            previous=previous,
            next_review_on=review,
        )
        summary = _("Classified in group {group}; next review by {date}.").format(
            group=group, date=_d(review)
        )
        self.note(step.day, f"intake.{K.CLASSIFIED}", summary, Classification, classification)

    def on_transfer_sent(self, step: Step, where) -> None:
        target: Place = step.data["to"]
        transfer = self.row(
            Transfer,
            person_id=self.p["id"],
            from_province_id=where[0],
            from_commune_id=where[1],
            to_province_id=target.province,
            to_commune_id=target.code,
            to_address=step.data["to_address"],
            reason=step.data["reason"],
            sent_on=step.day,
            status=Transfer.Status.SENT,
        )
        self.transfer = transfer
        self.event(
            K.TRANSFER_SENT,
            step.day,
            where,
            self.p["status"],
            transfer=transfer["id"],
            to_commune=target.code,
        )
        summary = _("Management file sent to {commune}.").format(commune=target.name)
        self.note(step.day, f"intake.{K.TRANSFER_SENT}", summary, Transfer, transfer)

    def escalate(self, answered_on: dt.date) -> None:
        """The daily job flags a transfer left unanswered longer than the escalation period."""
        transfer = self.transfer
        flagged_on = transfer["sent_on"] + dt.timedelta(days=self.w.escalation_days + 1)
        if flagged_on > answered_on or transfer.get("escalated_on"):
            return
        transfer["escalated_on"] = flagged_on
        where = (transfer["from_province_id"], transfer["from_commune_id"])
        self.event(
            K.TRANSFER_ESCALATED,
            flagged_on,
            where,
            self.p["status"],
            transfer=transfer["id"],
            sent_on=transfer["sent_on"],
        )
        summary = _("Transfer to {commune} not confirmed since {date}: escalated.").format(
            commune=self.w.communes.get(transfer["to_commune_id"], ""), date=_d(transfer["sent_on"])
        )
        self.note(flagged_on, f"intake.{K.TRANSFER_ESCALATED}", summary, Transfer, transfer)

    def on_transfer_confirmed(self, step: Step, where) -> None:
        transfer = self.transfer
        self.escalate(step.day - dt.timedelta(days=1))
        transfer["status"] = Transfer.Status.CONFIRMED
        transfer["confirmed_on"] = step.day
        transfer["received_on"] = max(transfer["sent_on"], step.day - dt.timedelta(days=2))
        to = (transfer["to_province_id"], transfer["to_commune_id"])
        self.move(step.day, to, transfer["to_address"])
        data = {"transfer": transfer["id"], "from_commune": where[1], "to_commune": to[1]}
        self.event(K.TRANSFERRED_OUT, step.day, where, self.p["status"], **data)
        self.event(K.TRANSFERRED_IN, step.day, to, self.p["status"], **data)
        out = _("Transferred out of {commune}.").format(commune=self.w.communes.get(where[1], ""))
        self.note(step.day, f"intake.{K.TRANSFERRED_OUT}", out, Transfer, transfer)
        into = _("Transferred in to {commune}.").format(commune=self.w.communes.get(to[1], ""))
        self.note(step.day, f"intake.{K.TRANSFERRED_IN}", into, Transfer, transfer)
        self.transfer = None

    def move(self, day: dt.date, to: tuple[int, int], address: str) -> None:
        p = self.p
        if self.residence is not None:
            self.residence["to_date"] = day
        p["province_id"], p["commune_id"], p["address"] = to[0], to[1], address
        self.residence = self.row(
            ResidenceHistory,
            person_id=p["id"],
            province_id=to[0],
            commune_id=to[1],
            address=address,
            from_date=day,
        )
        summary = _("Residence changed to {unit}.").format(unit=self.w.unit(*to))
        self.note(day, "people.residence.changed", summary, Person, p)

    def on_transfer_returned(self, step: Step, where) -> None:
        transfer = self.transfer
        self.escalate(step.day - dt.timedelta(days=1))
        transfer["status"] = Transfer.Status.RETURNED
        transfer["return_reason"] = step.data["reason"]
        transfer["confirmed_on"] = step.day
        self.event(
            K.TRANSFER_RETURNED,
            step.day,
            where,
            self.p["status"],
            transfer=transfer["id"],
            reason=step.data["reason"],
        )
        summary = _("Transfer returned by {commune}: {reason}").format(
            commune=self.w.communes.get(transfer["to_commune_id"], ""), reason=step.data["reason"]
        )
        self.note(step.day, f"intake.{K.TRANSFER_RETURNED}", summary, Transfer, transfer)
        self.transfer = None

    def on_missing(self, step: Step, where) -> None:
        before = self.status(S.WHEREABOUTS_UNKNOWN)
        self.previous_status = before
        self.event(K.WHEREABOUTS_UNKNOWN, step.day, where, before, previous_status=before, note="")
        self.note(step.day, f"intake.{K.WHEREABOUTS_UNKNOWN}", _("Whereabouts unknown."), Person, self.p)

    def on_found(self, step: Step, where) -> None:
        before = self.status(self.previous_status or S.IN_MANAGEMENT)
        self.event(K.FOUND, step.day, where, before, note="")
        self.note(step.day, f"intake.{K.FOUND}", _("Found again."), Person, self.p)

    def on_ended(self, step: Step, where) -> None:
        ground = step.data["ground"]
        end = self.row(
            ManagementEnd,
            person_id=self.p["id"],
            ground=ground,
            ended_on=step.day,
            note=step.data["note"],
            province_id=where[0],
            commune_id=where[1],
        )
        before = self.status(S.ENDED)
        self.event(K.ENDED, step.day, where, before, ground=ground, note=step.data["note"])
        summary = _("Management ended: {ground}.").format(ground=self.w.ground_labels[ground])
        self.note(step.day, f"intake.{K.ENDED}", summary, ManagementEnd, end)

"""The lives of the demo population, planned in plain Python: seeded, deterministic, no database.

A ``PersonPlan`` is a person and the dated ``Step``s of their story, in the order the intake
services would record them: judgment, registration, release notice, residence check, release,
reporting at the commune, entering management (after the probation of a conditional release),
classifications, transfers, whereabouts unknown and found again, the end of management — and, for
those imprisoned again, a second judgment and a second release.

Each person draws from a ``random.Random`` of their own, seeded by their key, so a plan does not
depend on the day it is loaded: ``population.load`` keeps the steps up to today. The numbers of
people reporting each year are fixed (``RECEIVED``); 2022 and 2023 are made exact by adding people
once the plan is known (see ``plan``), so the demo's 2023 figures are stable.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from hoanhap.demo import names
from hoanhap.justice.rules.dates import add_months

SEED = "hoa-nhap-demo-an-giang"
D = dt.date

# People reporting for the first time after a release in the demo communes, by year. 2025 has the
# two big amnesty rounds; 2026 and the first half of 2027 are mostly still in prison at loading.
RECEIVED: dict[int, int] = {
    2015: 880, 2016: 860, 2017: 870, 2018: 900, 2019: 900, 2020: 880, 2021: 860, 2022: 830,
    2023: 1050, 2024: 990, 2025: 1700, 2026: 860, 2027: 420,
}  # fmt: skip
EXACT_YEARS = (2022, 2023)  # topped up to exactly RECEIVED[year] after planning
LAST_PLANNED_DAY = D(2027, 6, 30)
FROM_ELSEWHERE = 40  # people managed in another province who move into the demo communes


@dataclass(frozen=True)
class Amnesty:
    released_on: dt.date
    decision: str
    decided_on: dt.date
    people: int  # people of the demo communes released in this round


# Special amnesty rounds (the 2025 decisions are the published ones; earlier numbers are invented).
AMNESTIES = [
    Amnesty(D(2015, 8, 31), "2229/QĐ-CTN", D(2015, 8, 25), 260),
    Amnesty(D(2016, 9, 1), "1743/QĐ-CTN", D(2016, 8, 26), 70),
    Amnesty(D(2018, 8, 31), "1509/QĐ-CTN", D(2018, 8, 24), 120),
    Amnesty(D(2021, 9, 1), "1545/QĐ-CTN", D(2021, 8, 26), 50),
    Amnesty(D(2022, 9, 1), "1555/QĐ-CTN", D(2022, 8, 26), 45),
    Amnesty(D(2024, 8, 30), "1201/QĐ-CTN", D(2024, 8, 23), 60),
    Amnesty(D(2025, 4, 29), "767/QĐ-CTN", D(2025, 4, 25), 150),
    Amnesty(D(2025, 9, 1), "1693/QĐ-CTN", D(2025, 8, 29), 260),
]
# Conditional early release (Criminal Code Art. 66, from 2018): three rounds a year.
CONDITIONAL_ROUND_DAYS = ((1, 20), (4, 27), (8, 29))
CONDITIONAL_PER_ROUND = 24

# Offences of the catalogue: (article, weight, (min months, max months), clause-2 share, clause-2 range).
OFFENCES = [
    (173, 40, (6, 36), 0.15, (24, 84)),  # theft
    (249, 14, (12, 60), 0.10, (60, 120)),  # illegal possession of narcotics
    (251, 8, (24, 84), 0.20, (84, 180)),  # illegal trafficking of narcotics
    (134, 10, (6, 36), 0.25, (24, 72)),  # intentional injury
    (321, 7, (6, 24), 0.05, (36, 84)),  # gambling
    (260, 4, (12, 60), 0.10, (36, 120)),  # road traffic
    (171, 5, (12, 60), 0.20, (36, 120)),  # snatching
    (168, 3, (36, 120), 0.20, (84, 180)),  # robbery
    (174, 4, (6, 36), 0.20, (24, 84)),  # fraud
    (318, 2, (6, 24), 0.05, (24, 84)),  # public disorder
    (255, 2, (24, 84), 0.10, (84, 180)),  # organising the illegal use of narcotics
    (178, 1, (6, 36), 0.10, (24, 84)),  # destruction of property
]
# Women are convicted more often of drug offences, fraud and gambling than of violence.
OFFENCE_TABLES = {
    sex: tuple(
        (o, o[1] * (2.5 if sex == names.FEMALE and o[0] in (249, 251, 174, 321) else 1)) for o in OFFENCES
    )
    for sex in (names.MALE, names.FEMALE)
}
WITH_COMPENSATION = {173, 174, 171, 168, 134, 178, 260}
WITH_ADDITIONAL_FINE = {249, 251, 255, 321}
DRUGS = {249, 251, 255}

FACILITIES = [("facility:dinh_thanh", 50), ("facility:remand", 20), ("facility:cai_tau", 25), ("", 5)]
OWN_FACILITIES = FACILITIES[:3]  # releases are recorded from the demo facilities only
OTHER_SENDERS = ["Trại giam Xuân Lộc", "Trại giam Thủ Đức", "Trại giam Chợ Đồn"]
SENTENCE_SUMMARIES = [
    "Chấp hành tốt nội quy trại giam, xếp loại cải tạo khá.",
    "Chấp hành nội quy, tích cực lao động, xếp loại cải tạo tốt.",
    "Chấp hành án đầy đủ; có một lần bị kỷ luật khiển trách.",
    "Xếp loại cải tạo trung bình; đã học nghề may công nghiệp trong trại.",
]
END_NOTES = {
    "expunged": "Đương nhiên được xóa án tích; đã cấp phiếu lý lịch tư pháp.",
    "died": "Chết do bệnh.",
    "imprisoned": "Bị bắt tạm giam về hành vi phạm tội mới.",
    "moved_abroad": "Xuất cảnh sang Campuchia sinh sống.",
    "other": "Bản án bị hủy theo thủ tục giám đốc thẩm.",
}
CLASSIFICATION_REASONS = {
    "A": "Chấp hành tốt pháp luật, có việc làm ổn định, gia đình quan tâm giúp đỡ.",
    "B": "Chấp hành pháp luật nhưng chưa có việc làm ổn định, hoàn cảnh kinh tế khó khăn.",
    "C": "Có biểu hiện vi phạm, giao du với đối tượng xấu; cần tăng cường giám sát, giáo dục.",
    "D": "Đang bị tạm giữ hoặc áp dụng biện pháp đưa vào cơ sở cai nghiện bắt buộc.",
}
TRANSFER_REASONS = [
    "Chuyển về sống cùng gia đình vợ.",
    "Chuyển đến nơi làm việc mới.",
    "Về ở với cha mẹ già.",
    "Mua nhà, chuyển nơi cư trú.",
]
RETURN_REASON = "Người này không có mặt, không cư trú tại địa chỉ đã báo."
FIRST_GROUPS = {
    False: (("A", 40), ("B", 40), ("C", 14), ("D", 3)),
    True: (("A", 30), ("B", 40), ("C", 26), ("D", 4)),
}
HAMLETS = ["Tân Thành", "Bình Hòa", "Phú Hữu", "Mỹ Thạnh", "Vĩnh Lợi", "Long Hòa", "Hòa Thuận", "Trung An",
           "Đông Sơn", "Sơn Hòa", "Tây Bình", "An Thạnh", "Phước Lộc", "Hòa Long"]  # fmt: skip


@dataclass(frozen=True)
class Place:
    """A commune where demo people live, with its district court before the 2025 reform."""

    code: int
    province: int
    name: str
    is_ward: bool
    court: str
    weight: float = 1.0
    communities: tuple[tuple[int, float], ...] = ((names.KINH, 1.0),)


@dataclass
class Step:
    """One dated thing in a person's story; ``what`` names the record the writer makes of it."""

    day: dt.date
    what: str
    commune: int
    province: int
    data: dict[str, Any] = field(default_factory=dict)


@dataclass
class PersonPlan:
    key: str
    identity: names.Identity
    birth: tuple[int, int | None, int | None]
    personal_id: str
    old_id: str
    home: Place
    address: str
    record_province: int
    steps: list[Step] = field(default_factory=list)

    @property
    def registered_on(self) -> dt.date:
        return next(s.day for s in self.steps if s.what == "registered")


Places = tuple[tuple[Place, float], ...]  # places with the weight of being chosen


@dataclass(frozen=True)
class Spec:
    """What the cohort decides about one person before their own draws: when and how released."""

    key: str
    kind: str
    release_on: dt.date | None = None
    report_on: dt.date | None = None
    amnesty: Amnesty | None = None
    origin: Place | None = None  # managed elsewhere first (people who move into the demo communes)
    recidivism: bool = True
    top_up: bool = False  # added to make a year exact: reports for sure, never reoffends
    featured: tuple[str, str, int] | None = None


# -- small helpers ---------------------------------------------------------------------------------


def days(n: float) -> dt.timedelta:
    return dt.timedelta(days=int(n))


def uniform_day(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + days(rng.randint(0, max((end - start).days, 0)))


def expo_days(rng: random.Random, per_year: float) -> float:
    """Days until an event that happens ``per_year`` times a year on average (inf when never)."""
    return math.inf if per_year <= 0 else rng.expovariate(per_year / 365.25)


weighted = names.weighted


# -- cohorts ---------------------------------------------------------------------------------------


def cohort(year: int, count: int, rng: random.Random) -> list[Spec]:
    """``count`` people reporting in ``year``: the amnesty rounds, conditional releases, the rest at term."""
    specs: list[Spec] = []
    for amnesty in (a for a in AMNESTIES if a.released_on.year == year):
        specs += [Spec(f"{year}:a{amnesty.released_on:%m%d}:{i}", "amnesty", amnesty.released_on, amnesty=amnesty)
                  for i in range(amnesty.people)]  # fmt: skip
    if year >= 2019:
        for month, day in CONDITIONAL_ROUND_DAYS:
            released = D(year, month, day)
            if released <= LAST_PLANNED_DAY:
                specs += [Spec(f"{year}:c{month:02d}:{i}", "conditional_release", released)
                          for i in range(CONDITIONAL_PER_ROUND)]  # fmt: skip
    last = D(year, 12, 31) if year < LAST_PLANNED_DAY.year else LAST_PLANNED_DAY
    for i in range(max(count - len(specs), 0)):
        specs.append(Spec(f"{year}:t{i}", "completed_term", report_on=uniform_day(rng, D(year, 1, 1), last)))
    return specs


def all_specs(places_elsewhere: list[Place]) -> list[Spec]:
    rng = random.Random(f"{SEED}:cohorts")
    specs: list[Spec] = []
    for year, count in RECEIVED.items():
        margin = 200 if year in EXACT_YEARS else 0  # second releases and the top-up fill the rest
        specs += cohort(year, count - margin, rng)
    featured = iter(names.FEATURED)
    for index in range(0, len(specs), 500):  # spread the featured names over the years
        person = next(featured, None)
        if person is None:
            break
        specs[index] = dataclasses.replace(specs[index], featured=person)
    for i in range(FROM_ELSEWHERE if places_elsewhere else 0):
        year = 2016 + i % 9
        specs.append(
            Spec(
                f"elsewhere:{i}",
                "completed_term",
                report_on=uniform_day(rng, D(year, 1, 1), D(year, 12, 31)),
                origin=places_elsewhere[i % len(places_elsewhere)],
                recidivism=False,
            )
        )
    return specs


# -- one person ------------------------------------------------------------------------------------


class Life:
    """Plans the steps of one person; every draw comes from the person's own random generator."""

    def __init__(self, spec: Spec, places: Places, destinations: Places, taken: set[str]) -> None:
        self.spec = spec
        self.rng = random.Random(f"{SEED}:{spec.key}")
        self.reviews = random.Random(f"{SEED}:{spec.key}:reviews")
        self.places = places
        self.destinations = destinations
        self.taken = taken
        self.steps: list[Step] = []
        self.place = spec.origin or weighted(self.rng, places)
        self.sex = names.MALE

    # -- who ---------------------------------------------------------------------------------------

    def person(self) -> PersonPlan:
        rng, spec = self.rng, self.spec
        if spec.featured:
            name, sex, ethnicity = spec.featured
        else:
            name = ""
            sex = names.MALE if rng.random() < 0.92 else names.FEMALE
            ethnicity = weighted(rng, self.place.communities)
        self.sex = sex
        who = names.identity_of(rng, ethnicity=ethnicity, sex=sex, featured=name)
        article, months, clause = self.offence(sex)
        release, start, probation_end = self.sentence(months)
        committed = start - days(rng.randint(0, 45))
        age = round(rng.triangular(18, 62, 27))
        birth_year = committed.year - age
        precision = rng.random()
        month = rng.randint(1, 12) if precision < 0.85 else None
        day = rng.randint(1, 28) if precision < 0.8 else None
        plan = PersonPlan(
            key=spec.key,
            identity=who,
            birth=(birth_year, month, day),
            personal_id=names.personal_id(
                rng, sex=sex, birth_year=birth_year, ethnicity=ethnicity, taken=self.taken
            ),
            old_id=names.old_id_number(rng) if birth_year < 1990 and rng.random() < 0.5 else "",
            home=self.place,
            address=self.address(self.place),
            record_province=self.place.province,
        )
        judged = self.judgment(committed, start, release, article, months, clause)
        self.cycle(judged, release, probation_end, cycle=1)
        plan.steps = sorted(self.steps, key=lambda s: s.day)  # stable: same-day steps keep their order
        return plan

    def address(self, place: Place) -> str:
        group = self.rng.randint(1, 24)
        if place.is_ward:
            return f"Tổ {group}, khóm {self.rng.randint(1, 9)}"
        return f"Tổ {group}, ấp {self.rng.choice(HAMLETS)}"

    def offence(self, sex: str) -> tuple[int, int, str]:
        rng = self.rng
        article, _w, (low, high), second_share, (low2, high2) = weighted(rng, OFFENCE_TABLES[sex])
        if rng.random() < second_share:
            return article, rng.randint(low2, high2), "2"
        return article, rng.randint(low, high), "1"

    # -- the sentence ------------------------------------------------------------------------------

    def sentence(self, months: int) -> tuple[dt.date, dt.date, dt.date | None]:
        """(release day, first day in custody, end of probation) for the spec's kind of release."""
        rng, spec = self.rng, self.spec
        term_days = (add_months(D(2000, 1, 1), months) - D(2000, 1, 1)).days
        if spec.kind == "amnesty":
            release = spec.release_on
            served = max(int(term_days * rng.uniform(0.4, 0.85)), 300)
            return release, release - days(served), None
        if spec.kind == "conditional_release":
            release = spec.release_on
            served = max(int(term_days * rng.uniform(0.5, 0.8)), 240)
            start = release - days(served)
            probation_end = max(add_months(start, months), release + days(90))
            return release, start, probation_end
        report = spec.report_on
        release = report - days(rng.choice((1, 1, 2, 2, 3, 4, 5, 6, 8, 10)))
        remission = int(term_days * rng.uniform(0, 0.08)) if months > 24 else 0
        return release, release - days(term_days - remission), None

    def judgment(self, committed, start, release, article, months, clause, *, second: bool = False) -> dict:
        rng = self.rng
        judged = start + days(rng.randint(60, 240))
        if judged >= release - days(20):
            judged = start + (release - start) / 2
        offences = [(article, clause)]
        if rng.random() < 0.06:
            offences.append((134 if article != 134 else 173, "1"))
        obligations = [
            {"kind": "court_fee", "description": "Án phí hình sự sơ thẩm", "due": 200_000,
             "paid_after": rng.randint(10, 200) if rng.random() < 0.92 else None},
        ]  # fmt: skip
        if article in WITH_COMPENSATION and rng.random() < 0.6:
            share = rng.random()
            paid_after = (
                rng.randint(0, 365) if share < 0.4 else rng.randint(366, 2000) if share < 0.7 else None
            )
            obligations.append({"kind": "compensation", "description": "Bồi thường thiệt hại cho bị hại",
                                "due": rng.randint(4, 160) * 500_000, "paid_after": paid_after})  # fmt: skip
        additional = []
        if article in WITH_ADDITIONAL_FINE and rng.random() < 0.5:
            share = rng.random()
            paid_after = rng.randint(30, 700) if share < 0.65 else None
            additional.append(
                {"type": "fine", "amount": rng.randint(5, 30) * 1_000_000, "paid_after": paid_after}
            )
        return {
            "court": self.court(judged),
            "committed_on": committed,
            "judged_on": judged,
            "started_on": start,
            "years": months // 12,
            "months": months % 12,
            "offences": offences,
            "obligations": obligations,
            "additional": additional,
            "second": second,
        }

    def court(self, judged: dt.date) -> str:
        if judged >= D(2025, 7, 1):
            return "Tòa án nhân dân tỉnh An Giang"
        return self.place.court

    # -- a cycle: prison, release, reporting, management -------------------------------------------

    def add(self, day: dt.date, what: str, place: Place | None = None, **data: Any) -> Step:
        place = place or self.place
        step = Step(day, what, place.code, place.province, data)
        self.steps.append(step)
        return step

    def cycle(self, judged: dict, release: dt.date, probation_end: dt.date | None, *, cycle: int) -> None:
        rng, spec = self.rng, self.spec
        kind = spec.kind if cycle == 1 else judged["release_kind"]
        self.add(judged["judged_on"], "judgment", **judged)
        has_notice = rng.random() < 0.95 or cycle > 1  # a release from ENDED needs a new notice
        received = self.notice_day(release, kind) if has_notice else None
        if cycle == 1 and kind == "completed_term" and spec.report_on:
            reported = spec.report_on
        else:
            reported = release + days(rng.choice((1, 1, 2, 2, 3, 3, 4, 5, 7)))
        never_arrives = rng.random() < 0.012 and not spec.top_up
        if cycle == 1:
            first_known = received or (release + days(20) if never_arrives else reported)
            if rng.random() < 0.12:  # registered from the facility's list well before the release
                first_known = min(judged["judged_on"] + days(rng.randint(20, 120)), first_known)
            self.add(first_known, "registered")
        if has_notice:
            facility = weighted(rng, FACILITIES)
            self.add(
                received,
                "notice",
                facility=facility,
                sender=rng.choice(OTHER_SENDERS) if not facility else "",
                expected_on=release,
                release_kind=kind,
                reference=f"{rng.randint(10, 999)}/TB-{received.year}",
                sentence_summary=rng.choice(SENTENCE_SUMMARIES),
                additional_penalties="Phạt tiền bổ sung chưa nộp." if judged["additional"] else "",
            )
            verified = received + days(rng.choice((0, 1, 1, 2, 2, 3, 3, 5, 8)))
            self.add(min(verified, release), "verified")
        self.add(
            release,
            "release",
            kind=kind,
            facility=weighted(rng, OWN_FACILITIES),
            amnesty=spec.amnesty if cycle == 1 else judged.get("amnesty"),
            probation_ends_on=probation_end,
            certificate=f"{rng.randint(1, 1500)}/GCN",
        )
        if never_arrives:
            self.add(release + days(rng.randint(8, 30)), "missing", previous_status="released")
            return
        self.add(
            reported,
            "reported",
            commitment_signed=rng.random() < 0.97,
            residence_registration_done=rng.random() < 0.8,
            identity_card_done=rng.random() < 0.7,
            wants_job_info=rng.random() < 0.5,
            wants_loan_info=rng.random() < 0.3,
        )
        if kind == "conditional_release":
            if rng.random() < 0.01:
                self.add(
                    reported + days(rng.randint(30, 200)), "ended", ground="died", note=END_NOTES["died"]
                )
                return
            entered = probation_end + days(rng.randint(0, 12))
            self.add(entered, "entered", at_reception=False, release_kind=kind)
        else:
            entered = reported
            self.add(entered, "entered", at_reception=True, release_kind=kind)
        self.management(judged, entered, release, probation_end or release, cycle=cycle)

    def notice_day(self, release: dt.date, kind: str) -> dt.date:
        rng = self.rng
        if kind == "amnesty":
            return release - days(rng.randint(3, 12))  # amnesty lists come late
        if rng.random() < 0.85:
            return release - days(rng.randint(60, 80))
        return release - days(rng.randint(8, 55))

    def management(
        self, judged: dict, entered: dt.date, release: dt.date, completion: dt.date, *, cycle: int
    ) -> None:
        """Competing ends: expungement (once the period ran and everything was paid), death, a new
        offence, emigration; meanwhile perhaps a spell of unknown whereabouts and a move."""
        rng = self.rng
        months = judged["years"] * 12 + judged["months"]
        period = 2 if months <= 60 else 3 if months <= 180 else 5
        paid = [o["paid_after"] for o in judged["obligations"]] + [
            a["paid_after"] for a in judged["additional"]
        ]
        expunged = None
        if None not in paid:
            settled = max((release + days(p) for p in paid), default=release)
            expunged = max(add_months(completion, 12 * period), settled)
        drugs = any(article in DRUGS for article, _clause in judged["offences"])
        reoffends = 0.0 if not self.spec.recidivism or cycle >= 3 else (0.055 if drugs else 0.03)
        risks = {
            "expunged": (expunged - entered).days + rng.randint(50, 870) if expunged else math.inf,
            "died": expo_days(rng, 0.012 if drugs else 0.006),
            "imprisoned": expo_days(rng, reoffends),
            "moved_abroad": expo_days(rng, 0.004),
            "other": expo_days(rng, 0.0008),
        }
        ground = min(risks, key=risks.get)
        end = None if risks[ground] == math.inf else entered + days(max(risks[ground], 1))
        if end is not None and end > LAST_PLANNED_DAY + days(3650):
            end = None
        until = end or LAST_PLANNED_DAY + days(3650)
        missing = self.missing_spells(entered, until)
        self.transfers(entered, until, missing)
        self.classifications(entered, until, missing, drugs)
        if end is None:
            return
        if ground == "imprisoned":
            committed = end - days(rng.randint(5, 60))
            self.add(end, "ended", ground=ground, note=END_NOTES[ground], new_offence_on=committed)
            self.second_cycle(committed, end, cycle)
        else:
            self.add(end, "ended", ground=ground, note=END_NOTES[ground])

    def missing_spells(self, entered: dt.date, until: dt.date) -> list[tuple[dt.date, dt.date | None]]:
        rng = self.rng
        wait = expo_days(rng, 0.02)
        if wait == math.inf or entered + days(wait + 30) >= until:
            return []
        lost = entered + days(wait + 30)
        found = lost + days(rng.randint(30, 300)) if rng.random() < 0.65 else None
        if found is not None and found >= until:
            found = None
        self.add(lost, "missing", previous_status="in_management")
        if found:
            self.add(found, "found")
        return [(lost, found)]

    def transfers(self, entered: dt.date, until: dt.date, missing: list) -> None:
        rng = self.rng
        forced = self.spec.origin is not None
        wait = rng.randint(60, 500) if forced else expo_days(rng, 0.025)
        if wait == math.inf:
            return
        sent = entered + days(wait)
        confirmed = sent + days(rng.randint(3, 20))
        if confirmed + days(30) >= until or any(
            lost <= confirmed and (found is None or found >= sent) for lost, found in missing
        ):
            return
        if forced:
            target = weighted(rng, self.places)
        else:
            target = weighted(rng, self.destinations)
            while target.code == self.place.code:
                target = weighted(rng, self.destinations)
        self.add(
            sent,
            "transfer_sent",
            to=target,
            to_address=self.address(target),
            reason=rng.choice(TRANSFER_REASONS),
        )
        if not forced and rng.random() < 0.07:
            self.add(confirmed, "transfer_returned", reason=RETURN_REASON)
            return
        self.add(confirmed, "transfer_confirmed", to=target)
        self.place = target

    def classifications(self, entered: dt.date, until: dt.date, missing: list, drugs: bool) -> None:
        """The first decision soon after entering; the six-monthly reviews are drawn by ``with_reviews``
        once the day of loading is known (only the last two before it are kept)."""
        rng = self.reviews
        group = weighted(rng, FIRST_GROUPS[drugs])
        first = entered + days(rng.randint(3, 25))
        if first < until and not _missing_on(first, missing):
            reviews = {"until": until, "missing": tuple(missing), "seed": f"{SEED}:{self.spec.key}:{entered}"}
            self.add(first, "classified", group=group, reviews=reviews)

    def second_cycle(self, committed: dt.date, arrested: dt.date, cycle: int) -> None:
        """Imprisoned again: a new judgment, and a new release if it comes before the plan ends."""
        rng = self.rng
        article, months, clause = self.offence(self.sex)
        term_days = (add_months(D(2000, 1, 1), months) - D(2000, 1, 1)).days
        release = arrested + days(term_days - (int(term_days * rng.uniform(0, 0.08)) if months > 24 else 0))
        kind, amnesty, probation_end = "completed_term", None, None
        eligible = arrested + days(term_days // 2)
        amnesties = [a for a in AMNESTIES if eligible <= a.released_on < release]
        rounds = [
            D(year, month, day)
            for year in range(eligible.year, release.year + 1)
            for month, day in CONDITIONAL_ROUND_DAYS
            if eligible <= D(year, month, day) < release - days(90) and year >= 2019
        ]
        if amnesties and rng.random() < 0.4:
            amnesty = amnesties[0]
            kind, release = "amnesty", amnesty.released_on
        elif rounds and rng.random() < 0.25:
            kind, probation_end, release = "conditional_release", release, rounds[0]
        judged = self.judgment(committed, arrested, release, article, months, clause, second=True)
        judged["release_kind"] = kind
        judged["amnesty"] = amnesty
        if release > LAST_PLANNED_DAY:
            self.add(judged["judged_on"], "judgment", **judged)
            return
        self.cycle(judged, release, probation_end, cycle=cycle + 1)


# -- the whole population --------------------------------------------------------------------------


def _missing_on(day: dt.date, spells) -> bool:
    return any(lost <= day and (found is None or day <= found) for lost, found in spells)


def with_reviews(person: PersonPlan, horizon: dt.date) -> list[Step]:
    """The person's steps with the last two six-monthly classification reviews before ``horizon``
    (or before the end of management) of each spell of management."""
    extra: list[Step] = []
    for step in person.steps:
        spec = step.data.get("reviews") if step.what == "classified" else None
        if not spec:
            continue
        cutoff = min(spec["until"] - days(1), horizon)
        rng = random.Random(spec["seed"])
        group, kept, number = step.data["group"], [], 0
        while True:
            number += 1
            day = step.day + days(182.62 * number + rng.randint(-10, 20))
            if rng.random() < 0.35:
                group = rng.choice("AABBC")
            if day > cutoff:
                break
            if not _missing_on(day, spec["missing"]):
                kept.append(Step(day, "classified", step.commune, step.province, {"group": group}))
        extra += kept[-2:]
    return sorted(person.steps + extra, key=lambda s: s.day)


def replay(person: PersonPlan, steps: list[Step] | None = None) -> Iterator[tuple[Step, int, int]]:
    """Each step with the (province, commune) where the person lives when it happens.

    A notice places the person in the commune it names; a confirmed transfer moves them after the
    step (the transfer out happens in the old commune). Everything else happens where they live.
    """
    province, commune = person.home.province, person.home.code
    for step in person.steps if steps is None else steps:
        if step.what == "notice":
            province, commune = step.province, step.commune
        yield step, province, commune
        if step.what == "transfer_confirmed":
            province, commune = step.data["to"].province, step.data["to"].code


def first_reports(plans: list[PersonPlan], *, province: int) -> dict[int, set[str]]:
    """People with a first reporting after a release in ``province``, by year of that reporting."""
    out: dict[int, set[str]] = {}
    for person in plans:
        reported = False
        for step, where, _commune in replay(person):
            if step.what == "release":
                reported = False
            elif step.what == "reported" and not reported:
                reported = True
                if where == province:
                    out.setdefault(step.day.year, set()).add(person.key)
    return out


def plan(
    places: list[Place], destinations: list[Place], elsewhere: list[Place], *, province: int
) -> list[PersonPlan]:
    """Every person of the demo, in the order their records are opened."""
    taken: set[str] = set()
    home: Places = tuple((p, p.weight) for p in places)
    moves: Places = home + tuple((d, 3.0) for d in destinations)  # a move leaves the demo communes in 1 of 4
    plans = [Life(spec, home, moves, taken).person() for spec in all_specs(elsewhere)]
    by_year = first_reports(plans, province=province)
    rng = random.Random(f"{SEED}:top-up")
    for year in EXACT_YEARS:
        count, number = len(by_year.get(year, set())), 0
        if count > RECEIVED[year]:
            raise ValueError(
                f"The demo plan has {count - RECEIVED[year]} people too many reporting in {year}."
            )
        while count < RECEIVED[year]:
            report_on = uniform_day(rng, D(year, 1, 1), D(year, 12, 31))
            spec = Spec(
                f"{year}:extra{number}", "completed_term", report_on=report_on, recidivism=False, top_up=True
            )
            person = Life(spec, home, moves, taken).person()
            number += 1
            if person.key in first_reports([person], province=province).get(year, set()):
                plans.append(person)
                count += 1
    plans.sort(key=lambda p: (p.registered_on, p.key))
    return plans

"""Demo step "support": the help given in the demo communes, 2019 to today, and a policy-bank round.

What An Giang reported for 2023 (legal brief §0.1) comes out of the data: some 120 returnees helped
with loans, vocational training and jobs, and exactly 48 children of prisoners given health and
accident insurance, bicycles and notebooks (``support summary --scope province:91``). The other
years carry believable help too, fewer in the early years, every kind of the catalogue used.

Who gets what is planned in plain Python from the population plan (``population.population_plan``):
a returnee is helped only while received or under management in a commune of province 91, and only
if they never leave the province (the summary counts by the person's current unit, so the 2023
figures do not depend on the day of loading); a child's parent is in prison on the day (2023) or in
prison or back home (other years). Each year draws from its own seeded generator.

The ~3,000 support actions, their children and timeline entries are written in bulk
(``hoanhap.demo.rows``) with the services' invariants: one beneficiary per action, values in whole
đồng, job follow-ups only once due, a ``support.action.recorded`` (and ``support.job.followed_up``)
timeline entry worded as ``support.services`` words it for support to a person, none for a
child; one ``demo.support.batch`` audit entry stands for the rows (bulk inserts bypass the
automatic audit). The Form 01 list of Xã Thoại Sơn and its policy-bank referrals go through the
support services (rules checked, audited), dated relative to the day of loading.

Idempotent: actions are matched on (beneficiary, kind, date, item), children on (parent, name),
the Form 01 list on its commune and certification reference, referrals on (person, purpose).
"""

from __future__ import annotations

import datetime as dt
import heapq
import random
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from hoanhap.access.models import Organisation
from hoanhap.access.policy import SYSTEM
from hoanhap.audit import services as audit
from hoanhap.core.text import fold
from hoanhap.demo import lifecycles, names, organisations, population
from hoanhap.demo import province as demo
from hoanhap.demo.rows import Rows, reset_sequences
from hoanhap.geo.models import Commune
from hoanhap.justice.rules.dates import add_months
from hoanhap.people.models import Person, TimelineEntry
from hoanhap.support import selectors, services
from hoanhap.support.models import (
    Child,
    Form01List,
    FundingSource,
    PolicyBankReferral,
    SupportAction,
    SupportKind,
)

SEED = "hoa-nhap-demo-support"
D = dt.date
FAR = D(2100, 1, 1)
FIRST_YEAR, LAST_YEAR = 2019, 2027

# Returnees helped with loans, training or jobs (distinct people) and children helped, by year.
# 2023 is the report's: "hơn 100" people and 48 pupils who are children of prisoners.
HELPED = {2019: 40, 2020: 50, 2021: 55, 2022: 75, 2023: 118, 2024: 125, 2025: 140, 2026: 130, 2027: 70}
CHILDREN = {2019: 12, 2020: 15, 2021: 18, 2022: 22, 2023: 48, 2024: 40, 2025: 45, 2026: 42, 2027: 20}
LOAN_AND_JOB_KINDS = (
    "policy_bank_loan",
    "fund_loan",
    "vocational_training",
    "job_introduction",
    "job_placement",
    "self_employment",
)
CHILD_2023_KINDS = ("health_insurance", "accident_insurance", "gift_in_kind")
# Other help to returnees in a full year (scaled by SCALE): Tết gifts, insurance, houses, advice.
OTHER = {"gift_in_kind": 70, "health_insurance": 22, "accident_insurance": 8, "hardship_cash": 16,
         "house_repair": 4, "house_building": 1, "legal_aid": 10, "counselling": 14}  # fmt: skip
SCALE = {2019: 0.5, 2020: 0.6, 2021: 0.6, 2022: 0.8, 2023: 1.0, 2024: 1.1, 2025: 1.2, 2026: 1.1, 2027: 0.5}
TET = {2019: D(2019, 2, 5), 2020: D(2020, 1, 25), 2021: D(2021, 2, 12), 2022: D(2022, 2, 1),
       2023: D(2023, 1, 22), 2024: D(2024, 2, 10), 2025: D(2025, 1, 29), 2026: D(2026, 2, 17),
       2027: D(2027, 2, 6)}  # fmt: skip
# Base salary (lương cơ sở) from each date: a health-insurance card costs 4.5 % of it for 12 months.
BASE_SALARY = ((D(2019, 7, 1), 1_490_000), (D(2023, 7, 1), 1_800_000), (D(2024, 7, 1), 2_340_000))
PRISON_MODEL = "Lực lượng phòng, chống tội phạm chăm lo cho con can, phạm nhân"
TRI_TON_FUND = "Quỹ Doanh nhân với an ninh trật tự"
HOA_HAO_MODEL = "2 An (an ninh trật tự, an sinh xã hội)"
REUNION_MODEL = "Họp mặt người hoàn lương"
TRADES = [("Sửa chữa xe máy", 3), ("May công nghiệp", 3), ("Hàn điện", 3), ("Điện dân dụng", 3),
          ("Kỹ thuật trồng nấm rơm", 2), ("Nuôi cá lóc trong vèo", 2), ("Sửa chữa điện thoại di động", 3),
          ("Nấu ăn", 2), ("Lái xe ô tô hạng B", 3)]  # fmt: skip
SMALL_EMPLOYERS = ["Cơ sở mộc Tấn Phát", "Xưởng cơ khí Minh Tâm", "Cơ sở xay xát Phú Hòa",
                   "Cửa hàng sửa xe Thanh Bình", "Hợp tác xã dịch vụ nông nghiệp Tân Tiến"]  # fmt: skip
JOBS = ["Công nhân xay xát", "Công nhân may", "Công nhân chế biến thủy sản", "Thợ phụ", "Bốc xếp hàng hóa",
        "Bảo vệ", "Phụ bếp"]  # fmt: skip
SELF_EMPLOYMENT = ["Hỗ trợ mua xe đẩy bán hàng", "Hỗ trợ con giống (heo, gà)", "Hỗ trợ dụng cụ cắt tóc",
                   "Hỗ trợ máy may gia đình", "Hỗ trợ xuồng, lưới đánh bắt cá"]  # fmt: skip
LEGAL_AID = ["Tư vấn thủ tục xóa án tích", "Tư vấn về nghĩa vụ bồi thường dân sự",
             "Tư vấn tranh chấp đất đai trong gia đình", "Tư vấn thủ tục ly hôn, nuôi con"]  # fmt: skip
PAPERS = ["Hỗ trợ làm thủ tục cấp thẻ căn cước", "Hỗ trợ đăng ký thường trú",
          "Hỗ trợ làm lại giấy khai sinh", "Hỗ trợ đăng ký kết hôn"]  # fmt: skip
GUARDIANS = {"father": [("Mẹ", names.FEMALE), ("Bà nội", names.FEMALE), ("Ông nội", names.MALE)],
             "mother": [("Cha", names.MALE), ("Bà ngoại", names.FEMALE), ("Dì", names.FEMALE)]}  # fmt: skip

# The Form 01 list of Xã Thoại Sơn (its certification reference is its natural key).
FORM01_REFERENCE = "Số 152/XN-UBND"
FORM01_LEFT_OUT = [
    "Có biểu hiện vi phạm pháp luật, đang bị xem xét xử lý hành chính.",
    "Đi làm ăn xa, không có mặt tại địa phương.",
]

Spell = tuple[dt.date, dt.date, int]  # from (inclusive), until (exclusive), commune
Row = dict[str, Any]


# -- who: the lives of the population plan, as spells ------------------------------------------------


@dataclass
class Track:
    """One person of the plan: where and when received or under management, when in prison."""

    key: str
    personal_id: str
    full_name: str
    sex: str
    ethnicity: int
    birth_year: int
    address: str
    registered_on: dt.date
    managed: list[Spell] = field(default_factory=list)
    prison: list[Spell] = field(default_factory=list)
    reported: list[tuple[dt.date, int]] = field(default_factory=list)
    stays: bool = True  # lives in province 91 throughout


def track(plan: lifecycles.PersonPlan) -> Track:
    who = plan.identity
    t = Track(
        plan.key,
        plan.personal_id,
        who.full_name,
        who.sex,
        who.ethnicity,
        plan.birth[0],
        plan.address,
        plan.registered_on,
    )
    managed_from: tuple[dt.date, int] | None = None
    prison_from: dt.date | None = None
    lost_while_managed = False

    def close(day: dt.date) -> None:
        nonlocal managed_from
        if managed_from is not None and managed_from[0] < day:
            t.managed.append((managed_from[0], day, managed_from[1]))
        managed_from = None

    for step, province, commune in lifecycles.replay(plan):
        t.stays = t.stays and province == demo.PROVINCE
        what = step.what
        if what == "judgment":
            close(step.day)
            prison_from = step.data["started_on"]
        elif what == "release" and prison_from is not None:
            t.prison.append((prison_from, step.day, commune))
            prison_from = None
        elif what == "reported":
            managed_from = (step.day, commune)
            t.reported.append((step.day, commune))
        elif what == "missing":
            lost_while_managed = managed_from is not None
            close(step.day)
        elif what == "found" and lost_while_managed:
            managed_from = (step.day, commune)
        elif what == "ended":
            close(step.day)
        elif what == "transfer_confirmed" and managed_from is not None:
            close(step.day)
            managed_from = (step.day, step.data["to"].code)
            t.stays = t.stays and step.data["to"].province == demo.PROVINCE
    close(FAR)
    if prison_from is not None:
        t.prison.append((prison_from, FAR, plan.home.code))
    return t


def windows(spells: list[Spell], *, margin: int) -> dict[int, Spell]:
    """For each year of 2019–2027, the longest stretch (a month at least) inside one of ``spells``,
    starting ``margin`` days into the spell."""
    out: dict[int, Spell] = {}
    for start, until, commune in spells:
        first = start + dt.timedelta(days=margin)
        for year in range(max(first.year, FIRST_YEAR), min(until.year, LAST_YEAR) + 1):
            lo, hi = max(first, D(year, 1, 1)), min(until, D(year + 1, 1, 1))
            if (hi - lo).days >= 30 and (year not in out or hi - lo > out[year][1] - out[year][0]):
                out[year] = (lo, hi, commune)
    return out


def day_in(rng: random.Random, lo: dt.date, hi: dt.date) -> dt.date:
    """A day in [lo, hi)."""
    return lo + dt.timedelta(days=rng.randrange(max((hi - lo).days, 1)))


def sample(rng: random.Random, items: list, weights: list[float], k: int) -> list:
    """``k`` items without replacement, weighted (Efraimidis–Spirakis); deterministic for a seed."""
    keyed = heapq.nlargest(k, ((rng.random() ** (1 / w), i) for i, w in enumerate(weights)))
    return [items[i] for _key, i in keyed]


def thousand(rng: random.Random, low: int, high: int, step: int = 100_000) -> int:
    return rng.randrange(low // step, high // step + 1) * step


def health_card(day: dt.date, *, pupil: bool = False) -> int:
    """A year of health insurance: 4.5 % of the base salary for 12 months (pupils pay 70 % of it)."""
    base = 1_390_000
    for since, salary in BASE_SALARY:
        if day >= since:
            base = salary
    value = base * 12 * 45 // 1000
    return value * 7 // 10 if pupil else value


# -- what: planned support (plain values; the writer turns them into rows) -------------------------


@dataclass
class Planned:
    kind: str
    given_on: dt.date
    provider: str  # an organisation key of hoanhap.demo.organisations
    person: Track | None = None
    child: PlannedChild | None = None
    value: int | None = None
    basis: str = "cash"
    quantity: int = 1
    item: str = ""
    source: str = ""
    model: str = ""
    description: str = ""
    outcome: str = ""
    employer: str = ""
    job_start_on: dt.date | None = None


@dataclass
class PlannedChild:
    parent: Track
    relation: str
    full_name: str
    birth_date: dt.date
    sex: str
    commune: int
    guardian: tuple[str, str]

    def age(self, day: dt.date) -> int:
        return (
            day.year
            - self.birth_date.year
            - ((day.month, day.day) < (self.birth_date.month, self.birth_date.day))
        )

    def grade(self, day: dt.date) -> int:
        """Grade in the school year of ``day`` (grade 1 the year the child turns six)."""
        school_year = day.year if day.month >= 9 else day.year - 1
        return school_year - self.birth_date.year - 5


class Planner:
    """Plans every support action of 2019–2027 from the population's tracks (no database)."""

    def __init__(self, tracks: list[Track], tri_ton_area: set[int]) -> None:
        self.tracks = [t for t in tracks if t.stays]
        self.tri_ton_area = tri_ton_area
        self.actions: list[Planned] = []
        self.children: dict[str, list[PlannedChild]] = {}
        # Who may be helped each year, and when: returnees while managed; parents (for their
        # children) in prison once their record exists (2023), or in prison or managed (other years).
        self.pools: dict[int, list[tuple[Track, Spell]]] = {y: [] for y in HELPED}
        self.parents: dict[int, list[tuple[Track, Spell]]] = {y: [] for y in HELPED}
        for t in self.tracks:
            for year, w in windows(t.managed, margin=14).items():
                self.pools[year].append((t, w))
            prison = [(max(a, t.registered_on), b, c) for a, b, c in t.prison if b > t.registered_on]
            for year, w in windows(prison + t.managed, margin=30).items():
                if year != 2023:
                    self.parents[year].append((t, w))
            if w := windows(prison, margin=30).get(2023):
                self.parents[2023].append((t, w))

    def plan(self) -> list[Planned]:
        for year in range(FIRST_YEAR, LAST_YEAR + 1):
            self.helped(year)
            self.other(year)
            self.papers(year)
            self.for_children(year)
        return self.actions

    def add(self, **values: Any) -> None:
        self.actions.append(Planned(**values))

    # -- returnees ---------------------------------------------------------------------------------

    @staticmethod
    def weight(commune: int) -> float:
        if commune == demo.THOAI_SON:
            return 4.0  # the demo commune: its branches and the Hòa Hảo council are active
        return 2.0 if commune in demo.BRANCH_COMMUNES else 1.0

    def helped(self, year: int) -> None:
        """Loans, training and jobs, all within ``year`` (so each year's count is its own)."""
        rng = random.Random(f"{SEED}:{year}:helped")
        pool = self.pools[year]
        chosen = sample(rng, pool, [self.weight(w[2]) for _t, w in pool], HELPED[year])
        for t, (lo, hi, commune) in chosen:
            day = day_in(rng, lo, hi)
            roll = rng.random()
            if commune in self.tri_ton_area and roll < 0.45:
                self.fund_loan(rng, t, day, commune)
            elif roll < 0.4:
                self.training(rng, t, day, commune)
                later = day + dt.timedelta(days=rng.randint(95, 130))
                if later < hi and rng.random() < 0.5:
                    self.job(rng, t, later, commune)
            elif roll < 0.6:
                self.bank_loan(rng, t, day, commune)
                if rng.random() < 0.2:
                    self.self_employment(rng, t, day, commune)
            elif roll < 0.88:
                self.job(rng, t, day, commune)
            else:
                self.self_employment(rng, t, day, commune)

    def branch(self, kind: str, commune: int) -> str:
        return f"{kind}:{commune}" if commune in demo.BRANCH_COMMUNES else f"province:{kind}"

    def training(self, rng: random.Random, t: Track, day: dt.date, commune: int) -> None:
        trade, months = rng.choice(TRADES)
        near = commune in (demo.THOAI_SON, demo.OC_EO, demo.DINH_MY)
        self.add(
            kind="vocational_training", given_on=day, person=t,
            provider="training:thoai_son" if near else "training:college",
            value=thousand(rng, 3_000_000, 6_000_000), source="state_budget" if rng.random() < 0.8 else "donors",
            description=f"Khóa đào tạo nghề {trade.lower()}, {months} tháng (trình độ sơ cấp).",
            outcome="Hoàn thành khóa học, được cấp chứng chỉ sơ cấp." if rng.random() < 0.85 else "",
        )  # fmt: skip

    def job(self, rng: random.Random, t: Track, day: dt.date, commune: int) -> None:
        if commune == demo.THOAI_SON or commune == demo.OC_EO:
            employer = "employer:thoai_son_rice"
        elif commune in self.tri_ton_area:
            employer = "employer:tri_ton_garments"
        else:
            employer = "employer:long_xuyen_seafood"
        if rng.random() < 0.45:  # taken on by a demo employer
            self.add(kind="job_placement", given_on=day, person=t, provider=employer, employer=employer,
                     job_start_on=day, description=rng.choice(JOBS[:3]) + ".")  # fmt: skip
            return
        provider = rng.choice([self.branch("womens_union", commune), self.branch("fatherland_front", commune)]
                              + ([f"youth_union:{demo.THOAI_SON}"] if commune == demo.THOAI_SON else []))  # fmt: skip
        where = rng.choice([employer, employer, rng.choice(SMALL_EMPLOYERS)])
        self.add(kind="job_introduction", given_on=day, person=t, provider=provider, employer=where,
                 job_start_on=day + dt.timedelta(days=rng.randint(3, 20)),
                 description=f"Giới thiệu việc làm: {rng.choice(JOBS).lower()}.")  # fmt: skip

    def bank_loan(self, rng: random.Random, t: Track, day: dt.date, commune: int) -> None:
        # The bank lends through the mass organisations it entrusts (hội đoàn thể nhận ủy thác).
        entrusted = [self.branch("womens_union", commune), "province:farmers_union", "province:veterans"]
        if commune == demo.THOAI_SON:
            entrusted += [f"farmers_union:{demo.THOAI_SON}", f"veterans:{demo.THOAI_SON}"]
        decision22 = day >= D(2023, 10, 10)
        value = thousand(rng, 20_000_000, 100_000_000 if decision22 else 50_000_000, 5_000_000)
        self.add(
            kind="policy_bank_loan", given_on=day, person=t, provider=rng.choice(entrusted), value=value,
            source="policy_bank",
            description="Vay vốn sản xuất, kinh doanh theo Quyết định 22/2023/QĐ-TTg." if decision22
            else "Vay vốn giải quyết việc làm (Nghị định 61/2015/NĐ-CP).",
        )  # fmt: skip

    def fund_loan(self, rng: random.Random, t: Track, day: dt.date, commune: int) -> None:
        self.add(kind="fund_loan", given_on=day, person=t, provider="fund:tri_ton", model=TRI_TON_FUND,
                 value=thousand(rng, 10_000_000, 20_000_000, 1_000_000), source="revolving_fund",
                 description="Vay vốn quay vòng, không lãi, thời hạn 24 tháng.")  # fmt: skip

    def self_employment(self, rng: random.Random, t: Track, day: dt.date, commune: int) -> None:
        self.add(kind="self_employment", given_on=day, person=t,
                 provider=rng.choice([self.branch("womens_union", commune), self.branch("fatherland_front", commune)]),
                 value=thousand(rng, 2_000_000, 5_000_000), source=rng.choice(["donors", "state_budget"]),
                 description=rng.choice(SELF_EMPLOYMENT) + ".")  # fmt: skip

    def other(self, year: int) -> None:
        """Tết gifts, insurance, cash, houses, advice: help that is not a loan, training or a job."""
        rng = random.Random(f"{SEED}:{year}:other")
        pool = self.pools[year]
        kinds = [k for k, per_year in OTHER.items() for _i in range(max(1, round(per_year * SCALE[year])))]
        chosen = sample(rng, pool, [self.weight(w[2]) for _t, w in pool], len(kinds))
        for kind, (t, (lo, hi, commune)) in zip(kinds, chosen, strict=True):
            self.one_other(rng, kind, t, lo, hi, commune, year)

    def one_other(self, rng, kind: str, t: Track, lo: dt.date, hi: dt.date, commune: int, year: int) -> None:
        day = day_in(rng, lo, hi)
        values: dict[str, Any] = {"kind": kind, "person": t, "given_on": day}
        if kind == "gift_in_kind":
            tet = TET[year]
            day = tet - dt.timedelta(days=rng.randint(5, 20))
            if not lo <= day < hi:
                return
            hoa_hao = commune == demo.THOAI_SON and rng.random() < 0.5
            values.update(given_on=day, item="Quà Tết", value=thousand(rng, 300_000, 500_000, 50_000),
                          basis="estimate", source="donors",
                          provider="hoa_hao:thoai_son" if hoa_hao else self.branch("fatherland_front", commune),
                          model=HOA_HAO_MODEL if hoa_hao else "",
                          description="Quà Tết Nguyên đán (gạo, dầu ăn, bánh mứt).")  # fmt: skip
        elif kind in ("health_insurance", "accident_insurance"):
            values.update(basis="estimate", source=rng.choice(["state_budget", "donors"]),
                          provider=self.branch("fatherland_front", commune),
                          value=health_card(day) if kind == "health_insurance" else 200_000,
                          description="Thẻ bảo hiểm y tế 12 tháng." if kind == "health_insurance"
                          else "Bảo hiểm tai nạn 12 tháng.")  # fmt: skip
        elif kind == "hardship_cash":
            facility = rng.random() < 0.2
            values.update(value=thousand(rng, 500_000, 2_000_000),
                          source="prison_fund" if facility else "state_budget",
                          provider="facility:dinh_thanh" if facility else f"commune_committee:{commune}",
                          description="Trợ cấp khó khăn đột xuất.")  # fmt: skip
        elif kind == "house_repair":
            values.update(value=thousand(rng, 15_000_000, 30_000_000, 1_000_000), source="donors",
                          provider=self.branch("fatherland_front", commune),
                          description="Hỗ trợ sửa chữa nhà ở (mái, vách).")  # fmt: skip
        elif kind == "house_building":
            values.update(value=thousand(rng, 50_000_000, 70_000_000, 5_000_000), source="donors",
                          provider=self.branch("fatherland_front", commune), model="Nhà Đại đoàn kết",
                          description="Xây nhà Đại đoàn kết từ Quỹ Vì người nghèo.")  # fmt: skip
        elif kind == "legal_aid":
            values.update(provider=f"commune_committee:{commune}", description=rng.choice(LEGAL_AID) + ".")
        elif kind == "counselling":
            if commune == demo.THOAI_SON:
                values.update(provider="hoa_hao:thoai_son", model=REUNION_MODEL,
                              description="Họp mặt, động viên, tư vấn tâm lý cho người hoàn lương.")  # fmt: skip
            else:
                values.update(provider=self.branch("womens_union", commune),
                              description="Thăm hỏi, tư vấn tâm lý tại nhà.")  # fmt: skip
        self.add(**values)

    def papers(self, year: int) -> None:
        """Help with papers (identity card, residence) in the first weeks after reporting."""
        rng = random.Random(f"{SEED}:{year}:papers")
        for t in self.tracks:
            for reported_on, commune in t.reported:
                if reported_on.year == year and rng.random() < 0.15:
                    self.add(kind="papers_help", person=t, provider=f"commune_police:{commune}",
                             given_on=reported_on + dt.timedelta(days=rng.randint(2, 20)),
                             description=rng.choice(PAPERS) + ".")  # fmt: skip

    # -- children ----------------------------------------------------------------------------------

    def kids_of(self, t: Track, commune: int) -> list[PlannedChild]:
        """The parent's children (drawn once, the first year the parent could be helped); unnamed
        until one of them is chosen (``name``), which keeps planning fast."""
        if t.key not in self.children:
            rng = random.Random(f"{SEED}:children:{t.key}")
            relation = "father" if t.sex == names.MALE else "mother"
            self.children[t.key] = [
                PlannedChild(
                    t,
                    relation,
                    "",
                    D(t.birth_year + rng.randint(20, 38), rng.randint(1, 12), rng.randint(1, 28)),
                    names.MALE if rng.random() < 0.52 else names.FEMALE,
                    commune,
                    ("", ""),
                )  # fmt: skip
                for _i in range(1 + (rng.random() < 0.35))
            ]
        return self.children[t.key]

    @staticmethod
    def name(kids: list[PlannedChild]) -> None:
        """Names for a parent's children and their guardian (the family name is the father's)."""
        if not kids or kids[0].full_name:
            return
        t = kids[0].parent
        rng = random.Random(f"{SEED}:child-names:{t.key}")
        taken: set[str] = set()
        for kid in kids:
            while not kid.full_name or kid.full_name in taken:
                kid.full_name = names.full_name(rng, kid.sex, t.ethnicity)
                if kid.relation == "father" and t.ethnicity in (names.KINH, names.HOA):
                    kid.full_name = " ".join([t.full_name.split()[0], *kid.full_name.split()[1:]])
            taken.add(kid.full_name)
            who, guardian_sex = rng.choice(GUARDIANS[kid.relation])
            kid.guardian = (names.full_name(rng, guardian_sex, t.ethnicity), who)

    def for_children(self, year: int) -> None:
        """2023: only children of people in prison, only insurance, bicycles and notebooks (the report's
        48); other years also children of people back home, Tết gifts and scholarships."""
        rng = random.Random(f"{SEED}:{year}:children")
        pool: list[tuple[PlannedChild, Spell]] = []
        for t, w in self.parents[year]:
            for kid in self.kids_of(t, w[2]):
                if kid.age(w[0]) >= 6 and kid.age(w[1] - dt.timedelta(days=1)) <= 16:
                    pool.append((kid, w))
        chosen = sample(rng, pool, [2.0 if w[2] == demo.THOAI_SON else 1.0 for _k, w in pool], CHILDREN[year])
        for kid, (lo, hi, _commune) in chosen:
            self.name(self.children[kid.parent.key])
            gifts = self.school_gifts(rng, kid, lo, hi, year)
            if year != 2023:
                gifts += self.more_for_children(rng, kid, lo, hi, year)
            if not gifts:  # keep every chosen child: notebooks on a day the window allows
                gifts = [Planned(kind="gift_in_kind", given_on=day_in(rng, lo, hi), provider="province_police",
                                 child=kid, item="Vở học sinh", quantity=20, value=thousand(rng, 200_000, 500_000, 10_000),
                                 basis="estimate", source="donors", model=PRISON_MODEL)]  # fmt: skip
            self.actions += gifts

    def school_gifts(self, rng, kid: PlannedChild, lo: dt.date, hi: dt.date, year: int) -> list[Planned]:
        out = []
        start = D(year, 8, 15)  # "tiếp sức đến trường", before the school year

        def when(preferred: dt.date) -> dt.date | None:
            return preferred if lo <= preferred < hi else None

        provider = rng.choice(["province_police", "province_police", self.branch("womens_union", kid.commune),
                               "province:youth_union"])  # fmt: skip
        model = PRISON_MODEL if provider == "province_police" else ""
        common = {"child": kid, "provider": provider, "model": model, "basis": "estimate", "source": "donors"}
        if (day := when(start + dt.timedelta(days=rng.randint(0, 20)))) and rng.random() < 0.8:
            n = rng.choice((15, 20))
            out.append(Planned(kind="gift_in_kind", given_on=day, item="Vở học sinh", quantity=n,
                               value=n * rng.choice((15_000, 20_000, 25_000)), **common))  # fmt: skip
        if (day := when(start + dt.timedelta(days=rng.randint(0, 20)))) and rng.random() < 0.35:
            out.append(Planned(kind="gift_in_kind", given_on=day, item="Xe đạp",
                               value=thousand(rng, 1_500_000, 2_500_000), **common))  # fmt: skip
        if (day := when(D(year, 9, 1) + dt.timedelta(days=rng.randint(5, 40)))) and rng.random() < 0.45:
            out.append(Planned(kind="health_insurance", given_on=day, value=health_card(day, pupil=True),
                               description="Thẻ bảo hiểm y tế học sinh, năm học.", **common))  # fmt: skip
        if (day := when(D(year, 9, 1) + dt.timedelta(days=rng.randint(5, 40)))) and rng.random() < 0.3:
            out.append(Planned(kind="accident_insurance", given_on=day, value=rng.choice((100_000, 150_000)),
                               description="Bảo hiểm tai nạn học sinh, năm học.", **common))  # fmt: skip
        return out

    def more_for_children(self, rng, kid: PlannedChild, lo: dt.date, hi: dt.date, year: int) -> list[Planned]:
        out = []
        tet = TET[year] - dt.timedelta(days=rng.randint(5, 15))
        if lo <= tet < hi and rng.random() < 0.5:
            out.append(Planned(kind="gift_in_kind", given_on=tet, child=kid, item="Quà Tết", basis="estimate",
                               value=thousand(rng, 300_000, 500_000, 50_000), source="donors",
                               provider="province_police", model=PRISON_MODEL))  # fmt: skip
        day = D(year, 11, 20)  # Vietnamese Teachers' Day: scholarships handed out at school
        if lo <= day < hi and rng.random() < 0.25:
            out.append(Planned(kind="scholarship", given_on=day, child=kid, provider="province:youth_union",
                               value=thousand(rng, 1_000_000, 2_000_000, 500_000), source="donors",
                               description="Học bổng \"Vượt khó học tốt\".", outcome=""))  # fmt: skip
        return out


# -- the writer ------------------------------------------------------------------------------------


class Lookups:
    """The catalogue rows, the demo organisations and the people in the database (a few queries)."""

    def __init__(self) -> None:
        self.kinds = {k.code: k for k in SupportKind.objects.all()}
        self.sources = dict(FundingSource.objects.values_list("code", "pk"))
        specs = organisations.organisation_specs()
        found = {
            (kind, name, province, commune): pk
            for pk, kind, name, province, commune in Organisation.objects.filter(
                name__in={s.name for s in specs}
            ).values_list("pk", "kind", "name", "province_id", "commune_id")
        }
        self.orgs: dict[str, Organisation | int] = {}
        missing = []
        for s in specs:
            if s.natural_key in found:
                self.orgs[s.key] = found[s.natural_key]
            else:
                missing.append(s.key)
        for key, org in organisations.organisations(*missing).items() if missing else ():
            self.orgs[key] = org.pk
        self.names = {s.key: s.name for s in specs}
        self.communes = dict(
            Commune.objects.filter(province_id=demo.PROVINCE).values_list("code", "short_name")
        )
        self.people = {
            pid: (pk, province, commune)
            for pid, pk, province, commune in Person.objects.exclude(personal_id=None).values_list(
                "personal_id", "pk", "province_id", "commune_id"
            )
        }


def _url_template() -> str:
    return SupportAction(pk=987654321).get_absolute_url().replace("987654321", "{}")


def tri_ton_area() -> set[int]:
    """The current communes of old Tri Tôn district, where the district's loan fund lends."""
    return set(
        Commune.objects.filter(
            province_id=demo.PROVINCE, predecessions__legacy_commune__district__name__endswith="Tri Tôn"
        ).values_list("code", flat=True)
    )


def plan_support() -> list[Planned]:
    """Every planned support action (the same on every machine and every day)."""
    early = D(FIRST_YEAR - 1, 1, 1)  # lives whose story ended before 2018 need no tracking
    plans = population.population_plan()
    tracks = [track(p) for p in plans if p.steps[-1].day >= early or p.steps[-1].what != "ended"]
    return Planner(tracks, tri_ton_area()).plan()


def follow_ups(rng: random.Random, action: Planned, managed: list[Spell], horizon: dt.date) -> list:
    """(months, employed, recorded on) of the follow-ups already made: each some days after it is
    due; the ones due in the last six weeks are still open (the worklist shows them)."""
    out: list[tuple[int, bool, dt.date]] = []
    employed = True
    for months in (3, 6, 12):
        due = add_months(action.job_start_on, months)
        recorded = due + dt.timedelta(days=rng.randint(0, 20))
        if due > horizon - dt.timedelta(days=45) or recorded > horizon or rng.random() < 0.04:
            break
        still_managed = any(start <= due < until for start, until, _c in managed)
        employed = employed and still_managed and rng.random() < (0.85 if months == 3 else 0.8)
        out.append((months, employed, recorded))
    return out


def load() -> dict[str, int]:
    """Create the demo support not yet in the database (today's cut of the plan)."""
    horizon = timezone.localdate()
    planned = [a for a in plan_support() if a.given_on <= horizon]
    look = Lookups()
    created = {"children": 0, "support_actions": 0}
    now = timezone.now()
    rows = {model: Rows(model, now=now) for model in (Child, SupportAction, TimelineEntry)}
    existing_children = {(p, n): pk for pk, p, n in Child.objects.values_list("pk", "parent_id", "full_name")}
    existing_actions = set(
        SupportAction.objects.values_list("person_id", "child_id", "kind__code", "given_on", "item")
    )
    url = _url_template()
    last_support: dict[int, dt.date] = {}
    child_rows: dict[int, tuple[Row, PlannedChild]] = {}
    for action in planned:
        if action.child is not None:
            kid = action.child
            parent = look.people.get(kid.parent.personal_id)
            if parent is None:
                continue
            child_id = existing_children.get((parent[0], kid.full_name))
            if child_id is None:
                row = rows[Child].add(**_child_values(kid, parent[0]))
                child_id = existing_children[(parent[0], kid.full_name)] = row["id"]
                child_rows[child_id] = (row, kid)
                created["children"] += 1
            last_support[child_id] = max(last_support.get(child_id, action.given_on), action.given_on)
            key = (None, child_id, action.kind, action.given_on, action.item)
            person_id = None
        else:
            person = look.people.get(action.person.personal_id)
            if person is None:
                continue
            person_id, child_id = person[0], None
            key = (person_id, None, action.kind, action.given_on, action.item)
        if key in existing_actions:
            continue
        existing_actions.add(key)
        row, made = _action_row(rows[SupportAction], action, look, person_id, child_id, horizon)
        created["support_actions"] += 1
        if person_id is not None:
            _timeline(rows[TimelineEntry], row, made, action, look, url, person_id)
    for child_id, (row, kid) in child_rows.items():
        _school(row, kid, last_support[child_id], look)
    inserted = {m._meta.label_lower: rows[m].flush() for m in (Child, SupportAction, TimelineEntry)}
    if any(inserted.values()):
        audit.record(
            "demo.support.batch",
            target_type="demo.step",
            target_id="support",
            target_repr=_("Demo support given, 2019 to today"),
            data={
                "rows": {table: n for table, n in inserted.items() if n},
                "bulk": True,
                "note": "Inserted in bulk by the demo loader, which bypasses the automatic audit of each "
                "row; this entry stands for the rows counted here.",
            },
            province=demo.PROVINCE,
        )
        reset_sequences([Child, SupportAction, TimelineEntry])
        _analyze()
    created.update(policy_bank_round(horizon))
    return created


def _child_values(kid: PlannedChild, parent_id: int) -> Row:
    guardian, relation = kid.guardian
    return {
        "parent_id": parent_id,
        "parent_relation": kid.relation,
        "full_name": kid.full_name,
        "name_folded": fold(kid.full_name),
        "birth_date": kid.birth_date,
        "sex": kid.sex,
        "guardian_name": guardian,
        "guardian_relation": relation,
        "province_id": demo.PROVINCE,
        "commune_id": kid.commune,
        "address": kid.parent.address,
    }


def _school(row: Row, kid: PlannedChild, day: dt.date, look: Lookups) -> None:
    """School and grade as of the child's latest support (the record was kept up to date then)."""
    grade = kid.grade(day)
    if 1 <= grade <= 12:
        level = "Tiểu học" if grade <= 5 else "THCS" if grade <= 9 else "THPT"
        row["school"] = f"Trường {level} {look.communes.get(kid.commune, '')}".strip()
        row["grade"] = str(grade)


def _action_row(
    table: Rows, a: Planned, look: Lookups, person_id: int | None, child_id: int | None, horizon: dt.date
) -> tuple[Row, list[tuple[int, bool, dt.date]]]:
    kind = look.kinds[a.kind]
    values: Row = {
        "kind_id": kind.pk,
        "person_id": person_id,
        "child_id": child_id,
        "given_on": a.given_on,
        "provider_id": look.orgs.get(a.provider),
        "community_model_name": a.model,
        "value": a.value,
        "value_basis": a.basis,
        "quantity": a.quantity,
        "item": a.item,
        "funding_source_id": look.sources.get(a.source) if a.source else None,
        "description": a.description,
        "outcome": a.outcome,
        "employer": look.names.get(a.employer, a.employer),
    }
    made: list[tuple[int, bool, dt.date]] = []
    if kind.tracks_employment and a.job_start_on:  # may start after today: no follow-up is due yet
        values["job_start_on"] = a.job_start_on
        rng = random.Random(f"{SEED}:follow-up:{a.person.key}:{a.given_on}")
        made = follow_ups(rng, a, a.person.managed, horizon)
        for months, employed, _on in made:
            values[f"employed_{months}m"] = employed
    return table.add(**values), made


def _timeline(table: Rows, row: Row, made: list, a: Planned, look: Lookups, url: str, person_id: int) -> None:
    """The entries ``services.action_record`` and ``services.action_follow_up`` would add."""
    shown = SupportAction(kind=look.kinds[a.kind], item=a.item, quantity=a.quantity, value=a.value)
    common = {"person_id": person_id, "target_type": "support.supportaction", "target_id": str(row["id"])}
    common["url"] = url.format(row["id"])
    table.add(
        occurred_on=a.given_on, kind="support.action.recorded", summary=services._summary(shown), **common
    )
    for months, employed, on in made:
        message = (
            _("Still employed {months} months after starting the job")
            if employed
            else _("No longer employed {months} months after starting the job")
        )
        table.add(
            occurred_on=on, kind="support.job.followed_up", summary=message.format(months=months), **common
        )


def _analyze() -> None:
    tables = [m._meta.db_table for m in (Child, SupportAction)]
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")


# -- the policy-bank round of Xã Thoại Sơn (through the services) -----------------------------------


def policy_bank_round(horizon: dt.date) -> dict[str, int]:
    """Xã Thoại Sơn's Form 01 list, prepared ten weeks ago and certified, and four referrals from it:
    two loans approved, one rejected, one awaiting the bank's decision."""
    commune = Commune.objects.get(code=demo.THOAI_SON)
    if Form01List.objects.filter(commune=commune, certificate_reference=FORM01_REFERENCE).exists():
        return {"form01_lists": 0, "referrals": 0}
    days = dt.timedelta
    listing = services.form01_generate(actor=SYSTEM, commune=commune, prepared_on=horizon - days(70))
    entries = list(listing.entries.select_related("person").order_by("position"))
    if not entries:
        return {"form01_lists": 1, "referrals": 0}
    rng = random.Random(f"{SEED}:form01")
    left_out = rng.sample(entries, min(len(FORM01_LEFT_OUT), len(entries) - 1))
    for entry, reason in zip(left_out, FORM01_LEFT_OUT, strict=False):
        services.form01_set_entry(actor=SYSTEM, entry=entry, included=False, reason=reason)
    services.form01_certify(
        actor=SYSTEM, listing=listing, certified_on=horizon - days(60), reference=FORM01_REFERENCE
    )
    plans = [
        # purpose, amount, months, referred (days ago), decision, decided (days ago), approved
        ("business", 50_000_000, None, 50, "approved", 30, 50_000_000),
        ("training", 12_000_000, 3, 45, "approved", 25, 12_000_000),
        ("business", 80_000_000, None, 40, "rejected", 20, None),
        ("business", 30_000_000, None, 8, "", 0, None),
    ]
    included = [e.person for e in entries if e not in left_out]
    rng.shuffle(included)
    referrals = 0
    for person in included:
        if not plans:
            break
        purpose, amount, months, ago, decision, decided_ago, approved = plans[0]
        if PolicyBankReferral.objects.filter(person=person, purpose=purpose).exists():
            continue
        referred_on = horizon - days(ago)
        if not selectors.eligibility(
            person, purpose=purpose, amount=amount, months=months, apply_on=referred_on
        ).eligible:
            continue
        plans.pop(0)
        referral = services.referral_create(
            actor=SYSTEM,
            person=person,
            purpose=purpose,
            amount=amount,
            months=months,
            referred_on=referred_on,
        )
        referrals += 1
        if decision:
            services.referral_decide(
                actor=SYSTEM,
                referral=referral,
                status=decision,
                decided_on=horizon - days(decided_ago),
                approved_amount=approved,
                reference=f"HĐTD {rng.randint(100, 999)}/{horizon.year}" if approved else "",
                note="" if approved else "Chưa có phương án sản xuất, kinh doanh khả thi.",
            )
    return {"form01_lists": 1, "referrals": referrals}

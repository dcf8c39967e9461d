"""Demo step "casework": helpers, needs, plans, contacts and reviews of the people under management.

Runs after "population" and works from what it wrote: each person under management (or whose
whereabouts are unknown) in province 91 gets, from a generator seeded by their personal
identification number, the case work a commune would have recorded since they entered management
(or moved into the commune):

* **helpers** — for about 88 % of the people under management, an individual (the head of their
  hamlet, a relative) or a branch of the commune's mass organisations with one of its members; some
  earlier assignments ended (the helper moved away, the person moved in from another commune); the
  Women's Union of Xã Thoại Sơn helps a dozen or so people today (the account ``hoiphunu.thoaison``);
* **needs** in the seven domains, recorded at the review at entry into management, then met,
  in progress or declined with a reason as time went by, each with one or two **plan actions**
  (done, not done, or open with due dates around today);
* **contacts** over the last six months at the interval of the person's group
  (``casework.policy_settings``), a few late, some recorded by the helpers; a few **police notes**;
* a **review** for each classification intake already holds for the current spell of management:
  the review is recorded at the classification's date and points to it (the combined review form
  would have made that classification; calling ``intake.services.classify`` again would duplicate
  it and move the next review date), with the needs and plan as they stood that day.

The rows are written in bulk (``demo.rows``), like the population, keeping what the case-work
services keep: timeline entries with their ``casework.`` kinds and words (a police note leaves only
``casework_police.note.added``, "Police note recorded."), needs recorded at a review without an entry
of their own, one ``demo.casework.batch`` audit entry per batch standing for the rows it inserted.

Idempotent: a person who already has any case work (an assignment, a need, a contact or a review) is
left alone. Dates follow the day of loading (Asia/Ho_Chi_Minh): contacts cover the six months before
it and open actions fall due around it, so a demo loaded on any day has work due that week; on the
same day and data a load always writes the same rows.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
import re
from collections import defaultdict
from typing import Any

from django.db import connection
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from hoanhap.access.models import User
from hoanhap.audit import services as audit
from hoanhap.casework import policy_settings
from hoanhap.casework.models import Contact, HelperAssignment, Need, PlanAction, PoliceNote, Review
from hoanhap.demo import lifecycles, names, organisations
from hoanhap.demo import province as demo
from hoanhap.demo.rows import Rows, reset_sequences
from hoanhap.geo.models import Commune
from hoanhap.intake.models import Classification, ManagementEvent, Reception
from hoanhap.justice.models import JudgmentOffence
from hoanhap.people.models import Person, TimelineEntry

SEED = f"{lifecycles.SEED}:casework"
BATCH_PEOPLE = 2500
CONTACT_WINDOW_DAYS = 183  # contacts are written for the last six months
STATUSES = (Person.Status.IN_MANAGEMENT, Person.Status.WHEREABOUTS_UNKNOWN)
TABLES = (HelperAssignment, Need, PlanAction, Contact, PoliceNote, Review, TimelineEntry)
COUNTED = {
    "helper_assignments": "casework.helperassignment",
    "needs": "casework.need",
    "plan_actions": "casework.planaction",
    "contacts": "casework.contact",
    "police_notes": "casework.policenote",
    "reviews": "casework.review",
}
COUNT_KEYS = tuple(COUNTED)
WOMENS_UNION_SHARE = 0.2  # of Thoại Sơn's people under management, within WOMENS_UNION_RANGE
WOMENS_UNION_RANGE = (10, 16)
POLICE_ACCOUNTS = {demo.THOAI_SON: "canbo.thoaison", demo.TRI_TON: "canbo.triton"}
HELPER_ACCOUNT = "hoiphunu.thoaison"
Row = dict[str, Any]
D = Need.Domain
# Plain strings for the choices written tens of thousands of times (enum members are slow to read).
NO_NEED, IDENTIFIED, IN_PROGRESS, MET, DECLINED = (s.value for s in Need.Status)
OPEN_NEEDS = {IDENTIFIED, IN_PROGRESS}
OPEN, DONE, NOT_DONE = (s.value for s in PlanAction.Status)
HOME, OFFICE, PHONE, MEETING = (k.value for k in Contact.Kind)
ENTRY, PERIODIC = (k.value for k in Review.Kind)
DOMAINS = (D.ACCOMMODATION.value, D.PAPERS.value, D.WORK.value, D.MONEY.value, D.HEALTH.value, D.FAMILY.value,
           D.ATTITUDES.value)  # fmt: skip

# -- the words of the demo (data in Vietnamese, as a commune would write it) -------------------------

MEMBER_ROLES = {
    "womens_union": "Chi hội trưởng Chi hội Phụ nữ {hamlet}",
    "fatherland_front": "Trưởng Ban Công tác Mặt trận {hamlet}",
    "youth_union": "Bí thư Chi đoàn {hamlet}",
    "veterans": "Chi hội trưởng Chi hội Cựu chiến binh {hamlet}",
    "farmers_union": "Chi hội trưởng Chi hội Nông dân {hamlet}",
    "hoa_hao": "Trưởng Ban Trị sự Phật giáo Hòa Hảo {hamlet}",
    "head": "Trưởng {hamlet}",
    "group": "Tổ trưởng tổ nhân dân tự quản {group}",
}
RELATIVES = [("Mẹ ruột", names.FEMALE, False), ("Anh ruột", names.MALE, True), ("Chị ruột", names.FEMALE, True),
             ("Cha ruột", names.MALE, True), ("Chú ruột", names.MALE, True), ("Cậu ruột", names.MALE, False)]  # fmt: skip
SPOUSE = {names.MALE: ("Vợ", names.FEMALE), names.FEMALE: ("Chồng", names.MALE)}
END_NOTES = [
    "Người giúp đỡ chuyển đi nơi khác sinh sống.",
    "Người giúp đỡ đi làm ăn xa, không còn điều kiện giúp đỡ.",
    "Phân công lại người giúp đỡ theo đề nghị của gia đình.",
    "Người giúp đỡ tuổi cao, sức yếu.",
]
MOVED_NOTE = "Người được giúp đỡ chuyển nơi cư trú."
NEED_TEXTS = {
    D.ACCOMMODATION: ["Chưa có chỗ ở ổn định, đang ở nhờ nhà người quen.",
                      "Nhà tạm dột nát, cần hỗ trợ sửa chữa trước mùa mưa.",
                      "Gia đình chưa cho về ở cùng, đang ở trọ."],
    D.PAPERS: ["Chưa đăng ký thường trú lại sau khi chấp hành xong án phạt tù.",
               "Chưa làm thẻ căn cước.", "Cần phiếu lý lịch tư pháp và xác nhận để xin việc."],
    D.WORK: ["Chưa có việc làm, muốn học nghề sửa xe máy.", "Cần việc làm ổn định; có thể làm thợ hồ.",
             "Muốn học nghề may công nghiệp.", "Làm thuê theo mùa vụ, thu nhập bấp bênh."],
    D.MONEY: ["Muốn vay vốn Ngân hàng Chính sách xã hội để nuôi bò.",
              "Cần vốn mua xuồng, lưới để đánh bắt cá.", "Muốn vay vốn mở tiệm sửa xe nhỏ tại nhà."],
    D.HEALTH: ["Có tiền sử sử dụng ma túy, cần tư vấn và theo dõi điều trị.",
               "Sức khỏe yếu, chưa có thẻ bảo hiểm y tế.", "Cần điều trị nghiện bằng thuốc Methadone."],
    D.FAMILY: ["Quan hệ vợ chồng căng thẳng sau thời gian chấp hành án.",
               "Con đang tuổi đi học, gia đình khó khăn về học phí.", "Mẹ già bệnh, không có người chăm sóc."],
    D.ATTITUDES: ["Còn tụ tập uống rượu, cần tăng cường giáo dục.",
                  "Tâm lý mặc cảm, ít giao tiếp với hàng xóm.", "Hay nóng nảy, cần được khuyên giải."],
}  # fmt: skip
DECLINED_REASONS = {
    D.ACCOMMODATION: "Muốn tự lo chỗ ở, không nhận hỗ trợ.",
    D.PAPERS: "Chưa muốn làm thủ tục vì sắp đi làm ăn xa.",
    D.WORK: "Đã có việc làm thời vụ, không muốn học nghề.",
    D.MONEY: "Không muốn vay vốn vì sợ không trả được nợ.",
    D.HEALTH: "Không đồng ý tham gia điều trị Methadone.",
    D.FAMILY: "Gia đình tự lo, không muốn nhận hỗ trợ.",
    D.ATTITUDES: "Không đồng ý tham gia sinh hoạt tại ấp.",
}
# (action, who carries it out: helper | police | committee | health | training, result when done)
ACTIONS = {
    D.ACCOMMODATION: [("Vận động gia đình, người thân cho về ở cùng", "helper", "Gia đình đã đồng ý cho về ở cùng."),
                      ("Đề nghị hỗ trợ sửa nhà từ Quỹ Vì người nghèo", "committee", "Đã được hỗ trợ sửa nhà.")],
    D.PAPERS: [("Hướng dẫn đăng ký thường trú", "police", "Đã đăng ký thường trú."),
               ("Hướng dẫn làm thẻ căn cước", "police", "Đã được cấp thẻ căn cước.")],
    D.WORK: [("Giới thiệu học nghề ngắn hạn", "training", "Đã học xong khóa sơ cấp nghề."),
             ("Giới thiệu việc làm tại doanh nghiệp địa phương", "helper", "Đã có việc làm ổn định.")],
    D.MONEY: [("Hướng dẫn lập hồ sơ vay vốn Ngân hàng Chính sách xã hội", "helper",
               "Đã được giải ngân khoản vay 50 triệu đồng."),
              ("Giới thiệu tổ tiết kiệm và vay vốn của ấp", "helper", "Đã tham gia tổ vay vốn.")],
    D.HEALTH: [("Giới thiệu điều trị tại cơ sở điều trị Methadone", "health", "Đang điều trị đều đặn."),
               ("Hỗ trợ làm thẻ bảo hiểm y tế", "committee", "Đã được cấp thẻ bảo hiểm y tế.")],
    D.FAMILY: [("Hòa giải, vận động gia đình quan tâm, động viên", "helper", "Quan hệ gia đình đã cải thiện."),
               ("Đề nghị hỗ trợ học bổng cho con", "committee", "Con được nhận học bổng của xã.")],
    D.ATTITUDES: [("Gặp gỡ, trò chuyện, khuyên giải định kỳ", "helper", "Đã tiến bộ, không còn tụ tập."),
                  ("Mời tham gia sinh hoạt đoàn thể tại ấp", "helper", "Đã tham gia sinh hoạt đều đặn.")],
}  # fmt: skip
NOT_DONE_RESULT = "Chưa thực hiện được; chuyển sang biện pháp khác."
DECLINED_RESULT = "Người được giúp đỡ không đồng ý; đã ghi nhận lý do."
# Days from identification to the need being met (or declined), by domain.
RESOLVE_DAYS = {D.ACCOMMODATION: (60, 240), D.PAPERS: (20, 90), D.WORK: (60, 400), D.MONEY: (90, 360),
                D.HEALTH: (150, 600), D.FAMILY: (90, 360), D.ATTITUDES: (180, 720)}  # fmt: skip
KINDS = [(HOME, 45), (OFFICE, 25), (PHONE, 20), (MEETING, 10)]  # fmt: skip
OBSERVATIONS = {
    HOME: ["Có mặt tại nhà, nhà cửa gọn gàng; thái độ hợp tác.",
                              "Không có mặt tại nhà (đi làm ruộng); đã gặp gia đình.",
                              "Đang làm thuê gần nhà, có thu nhập ổn định.",
                              "Sức khỏe bình thường, tinh thần ổn định; gia đình hòa thuận."],
    OFFICE: ["Đến trụ sở đúng hẹn, báo cáo tình hình chấp hành pháp luật.",
                          "Đến trụ sở theo giấy mời; đã trao đổi về việc làm.",
                          "Đến làm thủ tục giấy tờ; thái độ nghiêm túc."],
    PHONE: ["Liên lạc qua điện thoại; đang làm thuê ở Bình Dương, hẹn về báo cáo.",
                         "Gọi điện hỏi thăm; cho biết đang đi làm, sức khỏe tốt.",
                         "Gọi điện nhắc lịch đến trụ sở làm việc."],
    MEETING: ["Dự buổi sinh hoạt của ấp; tham gia phát biểu.",
                           "Gặp tại buổi họp tổ nhân dân tự quản; có mặt đầy đủ."],
}  # fmt: skip
NOTES = ["Nhắc nhở chấp hành tốt quy định về cư trú.", "Động viên tích cực lao động, tránh xa tệ nạn xã hội.",
         "Đã trao đổi về thủ tục vay vốn.", "Gia đình đề nghị hỗ trợ tìm việc làm.",
         "Hẹn lần gặp sau tại nhà.", "", ""]  # fmt: skip
FAMILY_PRESENT = {names.MALE: ["vợ", "mẹ", "cha", "chị gái", "con trai"],
                  names.FEMALE: ["chồng", "mẹ", "cha", "anh trai", "con gái"]}  # fmt: skip
# Only the police read these (PoliceNote): never in a contact, a note or a "casework." timeline entry.
POLICE_NOTES = [
    "Qua nắm tình hình: có dấu hiệu tụ tập với nhóm sử dụng ma túy ở ấp bên; đề nghị tổ công tác theo dõi.",
    "Nguồn tin cơ sở cho biết thường đi về khuya, nghi liên quan đến tụ điểm cờ bạc.",
    "Đề nghị kiểm tra cư trú vào ban đêm trong tháng tới.",
    "Có thông tin dự định xuất cảnh trái phép sang Campuchia; báo cáo Công an tỉnh.",
    "Bị hàng xóm phản ánh gây gổ khi say rượu; đã nhắc nhở, cần tiếp tục theo dõi.",
]
REVIEW_TEXTS = {
    "A": "Chấp hành tốt pháp luật, có việc làm ổn định; tiếp tục duy trì giúp đỡ.",
    "B": "Chấp hành pháp luật, đời sống còn khó khăn; tiếp tục hỗ trợ việc làm và vốn.",
    "C": "Còn biểu hiện giao du với đối tượng xấu; tăng cường gặp gỡ, giáo dục.",
    "D": "Đang bị tạm giữ hoặc cai nghiện bắt buộc; tạm dừng các biện pháp giúp đỡ tại địa phương.",
}
REVIEW_PREFIX = {ENTRY: "Đánh giá khi tiếp nhận: ", PERIODIC: "Đánh giá định kỳ: "}
_said: dict[str, str] = {}


def _(message: str) -> str:
    """``gettext``, remembered for one load (the same sentences come back tens of thousands of times)."""
    try:
        return _said[message]
    except KeyError:
        _said[message] = gettext(message)
        return _said[message]


_dates: dict[dt.date, str] = {}


def _d(day: dt.date) -> str:
    """dd/mm/yyyy (the same few hundred days come back thousands of times)."""
    try:
        return _dates[day]
    except KeyError:
        _dates[day] = text = day.strftime("%d/%m/%Y")
        return text


def days(n: float) -> dt.timedelta:
    return dt.timedelta(days=round(n))


# -- what the population says about each person ------------------------------------------------------


@dataclasses.dataclass
class Facts:
    id: int
    record_code: str
    seed: str
    name: str
    sex: str
    birth_year: int | None
    ethnicity: int | None
    religion: str
    address: str
    commune: int
    status: str
    group: str
    entered_on: dt.date
    here_since: dt.date  # entry into management, or the transfer into today's commune
    came_from: int | None  # the commune they were transferred from, if they were
    missing_on: dt.date | None
    classifications: list[tuple[int, str, dt.date, dt.date]]  # (id, group, decided, next review)
    flags: dict[str, bool]
    drugs: bool


def candidates() -> Any:
    """People of the province under management (or missing) with no case work recorded yet."""
    has = {
        model: Exists(model.objects.filter(person=OuterRef("pk")))
        for model in (HelperAssignment, Need, Contact, Review)
    }
    return (
        Person.objects.filter(province_id=demo.PROVINCE, status__in=STATUSES)
        .exclude(commune_id=None)
        .filter(*[~e for e in has.values()])
    )


def gather() -> list[Facts]:
    """The facts of every candidate (five queries, whatever their number)."""
    people = list(
        candidates()
        .order_by("pk")
        .values_list("pk", "record_code", "personal_id", "full_name", "sex", "birth_year", "ethnicity",
                     "religion", "address", "commune_id", "status", "classification")
    )  # fmt: skip
    if not people:
        return []
    within = {"person__province_id": demo.PROVINCE, "person__status__in": STATUSES}
    K = ManagementEvent.Kind
    entered: dict[int, dt.date] = {}
    moved_in: dict[int, tuple[dt.date, int | None]] = {}
    missing: dict[int, dt.date] = {}
    events = (
        ManagementEvent.objects.filter(
            kind__in=[K.ENTERED_MANAGEMENT, K.TRANSFERRED_IN, K.WHEREABOUTS_UNKNOWN], **within
        )
        .order_by("occurred_on", "pk")
        .values_list("person_id", "kind", "occurred_on", "data")
    )
    for person, kind, day, data in events:
        if kind == K.ENTERED_MANAGEMENT:
            entered[person] = day
            moved_in.pop(person, None)
        elif kind == K.TRANSFERRED_IN:
            moved_in[person] = (day, (data or {}).get("from_commune"))
        else:
            missing[person] = day
    classifications: dict[int, list] = defaultdict(list)
    rows = Classification.objects.filter(**within).order_by("decided_on", "pk")
    for pk, person, group, decided, review in rows.values_list(
        "pk", "person_id", "group", "decided_on", "next_review_on"
    ):
        classifications[person].append((pk, group, decided, review))
    flags: dict[int, dict[str, bool]] = {}
    for person, *values in (
        Reception.objects.filter(**within)
        .order_by("reported_on", "pk")
        .values_list("person_id", "identity_card_done", "residence_registration_done", "wants_job_info",
                     "wants_loan_info")
    ):  # fmt: skip
        flags[person] = dict(zip(("card", "residence", "job", "loan"), values, strict=True))
    drugs = set(
        JudgmentOffence.objects.filter(
            judgment__person__province_id=demo.PROVINCE,
            judgment__person__status__in=STATUSES,
            offence__article__in=lifecycles.DRUGS,
        ).values_list("judgment__person_id", flat=True)
    )
    facts = []
    for pk, code, pid, name, sex, year, ethnicity, religion, address, commune, status, group in people:
        if pk not in entered:
            continue
        since, came_from = moved_in.get(pk, (entered[pk], None))
        facts.append(
            Facts(
                id=pk, record_code=code, seed=pid or code, name=name, sex=sex, birth_year=year,
                ethnicity=ethnicity, religion=religion, address=address, commune=commune, status=status,
                group=group, entered_on=entered[pk], here_since=max(since, entered[pk]), came_from=came_from,
                missing_on=missing.get(pk) if status == Person.Status.WHEREABOUTS_UNKNOWN else None,
                classifications=[c for c in classifications[pk] if c[2] >= entered[pk]],
                flags=flags.get(pk, {}), drugs=pk in drugs,
            )
        )  # fmt: skip
    return facts


# -- the writer ------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Place:
    officer: str  # "Huỳnh Văn Tâm (Công an xã Thoại Sơn)": who does the commune's case work
    committee: str
    health: str
    training: str
    orgs: dict[str, Any]  # the commune's helping organisations by kind
    org_names: dict[int, str]


class Writer:
    """The rows of a batch, and what every story looks up (organisations, accounts, names, words)."""

    def __init__(self, today: dt.date) -> None:
        _said.clear()
        self.today = today
        self.rows = {model: Rows(model, now=timezone.now()) for model in TABLES}
        self.communes = {c.code: c for c in Commune.objects.filter(province_id=demo.PROVINCE)}
        # The helping organisations the demo has, by commune and kind (organisations.py).
        wanted = [
            (code, kind) for code in demo.BRANCH_COMMUNES for kind in ("womens_union", "fatherland_front")
        ]
        wanted += [(demo.THOAI_SON, kind) for kind in ("youth_union", "veterans", "farmers_union")]
        keys = {f"{kind}:{code}": (code, kind) for code, kind in wanted}
        keys |= {
            "hoa_hao:thoai_son": (demo.THOAI_SON, "hoa_hao"),
            "training:thoai_son": (demo.THOAI_SON, "training"),
        }
        self.orgs: dict[int, dict[str, Any]] = defaultdict(dict)
        for key, org in organisations.organisations(*keys).items():
            code, kind = keys[key]
            self.orgs[code][kind] = org
        users = User.objects.in_bulk([*POLICE_ACCOUNTS.values(), HELPER_ACCOUNT], field_name="username")
        self.police_accounts = {c: users[u] for c, u in POLICE_ACCOUNTS.items() if u in users}
        self.helper_account = users.get(HELPER_ACCOUNT)
        self.people_by_name: dict[tuple, str] = {}
        self.case_file_url = reverse("casework:case-file", args=["00-000000"]).replace("00-000000", "{}")
        self.labels = {
            **{d.value: str(d.label) for d in Need.Domain},
            **{f"need:{s.value}": str(s.label) for s in Need.Status},
            **{f"plan:{s.value}": str(s.label) for s in PlanAction.Status},
            **{f"contact:{k.value}": str(k.label) for k in Contact.Kind},
        }
        self.target_types = {model: model._meta.label_lower for model in TABLES}
        self.timeline = self.rows[TimelineEntry]
        self.places: dict[int, Place] = {}
        self.visit_days = policy_settings.visit_days()

    def flush(self) -> dict[str, int]:
        return {model._meta.label_lower: self.rows[model].flush() for model in TABLES}

    # -- places and people -----------------------------------------------------------------------

    def place(self, commune: int) -> Place:
        """The words of one commune's case work (computed once per commune)."""
        try:
            return self.places[commune]
        except KeyError:
            pass
        c = self.communes.get(commune)
        here = demo.in_running_text(c) if c else ""
        account = self.police_accounts.get(commune)
        officer = account.full_name if account else self.named(("officer", commune), names.MALE, names.KINH)
        orgs = self.orgs.get(commune, {})
        self.places[commune] = place = Place(
            officer=f"{officer} (Công an {here})",
            committee=f"Ủy ban nhân dân {here}",
            health=f"Trạm Y tế {here}",
            training=orgs["training"].name if "training" in orgs else "",
            orgs=orgs,
            org_names={o.pk: o.name for o in orgs.values()},
        )
        return place

    def named(self, key: tuple, sex: str, ethnicity: int) -> str:
        """A name that stays the same for the same key (the head of a hamlet helps all its people)."""
        try:
            return self.people_by_name[key]
        except KeyError:
            rng = random.Random(f"{SEED}:name:{key}")
            self.people_by_name[key] = name = names.full_name(rng, sex, ethnicity)
            return name

    def police_account(self, commune: int, day: dt.date) -> User | None:
        return self.police_accounts.get(commune) if day >= demo.GRANTS_START else None

    # -- rows ------------------------------------------------------------------------------------

    def add(self, model, **values: Any) -> Row:
        return self.rows[model].add(**values)

    def note(self, f: Facts, day: dt.date, kind: str, summary: str, model, target: Row, by=None) -> None:
        """A timeline entry as ``people.services.timeline_add`` writes it, linking to the case file."""
        self.timeline.add(
            person_id=f.id,
            occurred_on=day,
            kind=kind,
            summary=summary[:500],
            target_type=self.target_types[model],
            target_id=str(target["id"]),
            url=self.case_file_url.format(f.record_code),
            created_by_id=by.pk if by is not None else None,
        )


# -- one person's case work ------------------------------------------------------------------------


@dataclasses.dataclass
class PlannedNeed:
    row: Row
    history: list[tuple[dt.date, str]]  # (day, status) after identification


@dataclasses.dataclass
class Helper:
    row: Row
    label: str  # "name (role)" or the organisation, as written in a contact's participants
    by: User | None = None  # the account that records this helper's contacts


class Story:
    """Writes one person's case work up to today (or until their whereabouts became unknown)."""

    def __init__(self, w: Writer, f: Facts, *, womens_union: bool) -> None:
        self.w, self.f = w, f
        self.rng = random.Random(f"{SEED}:{f.seed}")
        self.today = w.today
        self.end = f.missing_on or w.today
        self.womens_union = womens_union
        self.place = w.place(f.commune)
        self.helpers: list[Helper] = []
        self.needs: list[PlannedNeed] = []
        self.actions: list[Row] = []
        hamlet = re.search(r"(ấp [^,]+|khóm [^,]+)$", f.address or "")
        group = re.match(r"Tổ (\d+)", f.address or "")
        self.hamlet = hamlet.group(1) if hamlet else "ấp"
        self.group = f"tổ {group.group(1)}" if group else "tổ"

    def tell(self) -> None:
        self.assign_helpers()
        self.needs_and_plan()
        self.contacts()
        self.reviews()

    def group_on(self, day: dt.date) -> str:
        group = ""
        for _pk, g, decided, _next in self.f.classifications:
            if decided <= day:
                group = g
        return group

    # -- helpers ---------------------------------------------------------------------------------

    def assign_helpers(self) -> None:
        f, rng, today = self.f, self.rng, self.today
        if f.came_from and (f.here_since - f.entered_on).days > 40 and rng.random() < 0.6:
            start = f.entered_on + days(rng.randint(5, 30))
            hamlet = f"ấp {rng.choice(lifecycles.HAMLETS)}"
            self.helper(start, f.here_since - days(1), commune=f.came_from, hamlet=hamlet, note=MOVED_NOTE)
        tenure = (self.end - f.here_since).days
        first = min(f.here_since + days(rng.randint(3, 40)), today)
        if not self.womens_union and rng.random() < (0.55 if tenure < 45 else 0.1):
            if tenure > 240 and rng.random() < 0.5:  # a helper who left and was not replaced yet
                ended = max(first, today - days(rng.randint(5, 150)))
                self.helper(first, ended, note=rng.choice(END_NOTES))
            return
        if tenure > 500 and rng.random() < 0.2:  # history: a first helper, replaced later
            ended = first + days(rng.randint(150, tenure - 150))
            self.helper(first, ended, note=rng.choice(END_NOTES))
            first = ended + days(1)
        self.helper(first, None, kind="womens_union" if self.womens_union else "")

    def helper_kind(self, commune: int) -> str:
        f, rng = self.f, self.rng
        orgs = self.w.orgs.get(commune, {})
        age = self.today.year - (f.birth_year or 1980)
        options = [("head", 3.0), ("relative", 2.0), ("group", 1.0)]
        if "fatherland_front" in orgs:
            options.append(("fatherland_front", 3.0))
        if "womens_union" in orgs and commune != demo.THOAI_SON:  # Thoại Sơn's are chosen by the writer
            options.append(("womens_union", 3.0 if f.sex == names.FEMALE else 1.5))
        if "youth_union" in orgs and age < 35:
            options.append(("youth_union", 3.0))
        if "veterans" in orgs and f.sex == names.MALE and age >= 45:
            options.append(("veterans", 2.0))
        if "farmers_union" in orgs and self.hamlet.startswith("ấp"):
            options.append(("farmers_union", 1.5))
        if "hoa_hao" in orgs and f.religion == "hoa_hao":
            options.append(("hoa_hao", 2.5))
        return rng.choices([k for k, _w in options], [w for _k, w in options])[0]

    def helper(
        self,
        start: dt.date,
        end: dt.date | None,
        *,
        commune: int | None = None,
        hamlet: str = "",
        note: str = "",
        kind: str = "",
    ) -> None:
        """Queue one assignment and its timeline entries; remember it when it is in today's commune."""
        f, rng, w = self.f, self.rng, self.w
        commune = commune or f.commune
        hamlet = hamlet or self.hamlet
        kind = kind or self.helper_kind(commune)
        org = w.orgs.get(commune, {}).get(kind)
        values: dict[str, Any] = {"organisation_id": org.pk if org else None}
        by = None
        ethnicity = f.ethnicity or names.KINH
        if kind == "relative":
            spouse = rng.random() < 0.35
            role, sex, family = (*SPOUSE[f.sex], False) if spouse else rng.choice(RELATIVES)
            name = names.full_name(rng, sex, ethnicity)
            if family and ethnicity == names.KINH:
                name = " ".join([f.name.split()[0], *name.split()[1:]])
            values.update(helper_name=name, helper_role=role)
        elif (
            kind == "womens_union" and commune == demo.THOAI_SON and w.helper_account and rng.random() < 0.25
        ):
            # The Women's Union officer with the demo account helps some people herself.
            values.update(user_id=w.helper_account.pk, helper_role="Cán bộ Hội Liên hiệp Phụ nữ xã")
        elif org is None or rng.random() < 0.75:
            sex = (
                names.FEMALE if kind == "womens_union" else names.MALE if rng.random() < 0.7 else names.FEMALE
            )
            place = self.group if kind == "group" else hamlet
            name = w.named(
                (kind, commune, hamlet, place), sex, names.KINH if rng.random() < 0.7 else ethnicity
            )
            role = MEMBER_ROLES[kind].format(hamlet=place, group=place)
            values.update(helper_name=name, helper_role=role)
        if kind == "womens_union" and commune == demo.THOAI_SON and w.helper_account is not None:
            by = w.helper_account
        row = w.add(HelperAssignment, person_id=f.id, start_date=start, end_date=end, note=note, **values)
        who = values.get("helper_name") or (w.helper_account.full_name if values.get("user_id") else "")
        display = " — ".join(x for x in (who, org.name if org else "") if x)
        label = f"{who} ({values.get('helper_role')})" if who else display
        w.note(f, start, "casework.helper.assigned", _("Helper assigned: {name}.").format(name=display),
               HelperAssignment, row)  # fmt: skip
        if end is not None:
            summary = _("Helper assignment ends on {date}: {name}.").format(date=_d(end), name=display)
            w.note(f, end, "casework.helper.ended", summary, HelperAssignment, row)
        if commune == f.commune:
            self.helpers.append(Helper(row, label, by))

    def helper_on(self, day: dt.date) -> Helper | None:
        for h in self.helpers:
            if h.row["start_date"] <= day and (h.row["end_date"] is None or h.row["end_date"] >= day):
                return h
        return None

    # -- needs and plan --------------------------------------------------------------------------

    def need_chances(self) -> tuple[float, ...]:
        """The chance of a need in each domain (``DOMAINS`` order), from what reception recorded."""
        f, flags = self.f, self.f.flags
        papers_missing = not (flags.get("card", True) and flags.get("residence", True))
        return (
            0.12,  # accommodation
            0.7 if papers_missing else 0.1,  # papers
            0.75 if flags.get("job") else 0.35,  # work
            0.7 if flags.get("loan") else 0.15,  # money
            0.75 if f.drugs else 0.12,  # health and addiction
            0.25,  # family
            0.8 if any(c[1] == "C" for c in f.classifications) else 0.1,  # attitudes
        )

    def owner(self, who: str, day: dt.date) -> str:
        place = self.place
        helper = self.helper_on(day)
        if who == "helper" and helper is not None:
            org = helper.row["organisation_id"]
            return place.org_names.get(org, helper.label) if org else helper.label
        if who == "training" and place.training:
            return place.training
        if who == "health":
            return place.health
        if who == "committee":
            return place.committee
        return place.officer

    def needs_and_plan(self) -> None:
        f, rng, w = self.f, self.rng, self.w
        if not f.classifications:
            return  # needs are recorded at the review at entry, not made yet
        identified = f.classifications[0][2]
        for domain, chance in zip(DOMAINS, self.need_chances(), strict=True):
            if rng.random() >= chance:
                row = w.add(Need, person_id=f.id, domain=domain, status=NO_NEED, status_since=identified)
                self.needs.append(PlannedNeed(row, []))
                continue
            history: list[tuple[dt.date, str]] = []
            declined = rng.random() < 0.07
            progress_on = identified + days(rng.randint(3, 30))
            low, high = RESOLVE_DAYS[domain]
            resolved_on = identified + days(rng.randint(low, high))
            if progress_on <= self.end and not declined:
                history.append((progress_on, IN_PROGRESS))
            if resolved_on <= self.end:
                history.append((resolved_on, DECLINED if declined else MET))
            status, since = history[-1][::-1] if history else (IDENTIFIED, identified)
            row = w.add(
                Need,
                person_id=f.id,
                domain=domain,
                status=status,
                status_since=since,
                description=rng.choice(NEED_TEXTS[domain]),
                declined_reason=DECLINED_REASONS[domain] if status == DECLINED else "",
            )
            self.needs.append(PlannedNeed(row, history))
            for day, s in history:
                summary = _("Need “{domain}”: {status}.").format(
                    domain=w.labels[domain], status=w.labels[f"need:{s}"]
                )
                w.note(f, day, "casework.need.updated", summary, Need, row)
            self.plan(row, identified, status, since)

    def plan(self, need: Row, identified: dt.date, status: str, since: dt.date) -> None:
        f, rng, w, today = self.f, self.rng, self.w, self.today
        templates = ACTIONS[need["domain"]]
        chosen = templates if rng.random() < 0.3 else [rng.choice(templates)]
        for number, (what, who, done) in enumerate(chosen):
            values: dict[str, Any] = {"description": what, "owner": self.owner(who, identified)}
            if status == MET:
                finished = since if number == 0 else max(identified, since - days(rng.randint(0, 30)))
                ok = number == 0 or rng.random() < 0.8
                values.update(
                    due_on=max(identified + days(14), finished + days(rng.randint(-20, 15))),
                    status=DONE if ok else NOT_DONE,
                    result=done if ok else NOT_DONE_RESULT,
                    result_on=finished,
                )
            elif status == DECLINED:
                values.update(
                    due_on=since + days(rng.randint(-30, 0)),
                    status=NOT_DONE,
                    result=DECLINED_RESULT,
                    result_on=since,
                )
            else:
                values["due_on"] = max(identified + days(14), today + days(rng.randint(-25, 150)))
            values["due_on"] = max(values["due_on"], identified)
            row = w.add(PlanAction, person_id=f.id, need_id=need["id"], **values)
            self.actions.append({**row, "domain": need["domain"], "added_on": identified})
            summary = _("Plan action added: {action} (by {date}).").format(
                action=what, date=_d(row["due_on"])
            )
            w.note(f, identified, "casework.plan.added", summary, PlanAction, row)
            if row.get("result_on"):
                summary = _("Plan action “{action}”: {status}.").format(
                    action=what, status=w.labels[f"plan:{row['status']}"]
                )
                w.note(f, row["result_on"], "casework.plan.result", summary, PlanAction, row)

    # -- contacts --------------------------------------------------------------------------------

    def contacts(self) -> None:
        f, rng = self.f, self.rng
        window = self.today - days(CONTACT_WINDOW_DAYS)
        if f.here_since >= window:
            day = f.here_since + days(rng.randint(2, 12))
        else:
            day = window + days(rng.randint(0, 60))
        while day <= self.end:
            days_by_group = self.w.visit_days
            interval = days_by_group.get(self.group_on(day) or policy_settings.UNCLASSIFIED)
            if interval is None:  # group D: in custody or compulsory treatment, no visits
                day += days(30)
                continue
            self.contact(day)
            late = rng.random() < 0.05
            day += days(interval * (rng.uniform(1.02, 1.3) if late else rng.uniform(0.55, 0.95)))

    def contact(self, day: dt.date) -> None:
        f, rng, w = self.f, self.rng, self.w
        kind = names.pick(rng, KINDS)
        helper = self.helper_on(day)
        officer = self.place.officer
        by_helper = helper is not None and kind != OFFICE and rng.random() < 0.3
        if by_helper:
            participants, by = [helper.label], helper.by if day >= demo.GRANTS_START else None
        else:
            participants, by = [officer], w.police_account(f.commune, day)
            if helper is not None and kind in (HOME, MEETING) and rng.random() < 0.5:
                participants.append(helper.label)
        if kind == HOME and rng.random() < 0.6:
            participants.append(rng.choice(FAMILY_PRESENT.get(f.sex, FAMILY_PRESENT[names.MALE])))
        row = w.add(
            Contact,
            person_id=f.id,
            occurred_on=day,
            kind=kind,
            participants="; ".join(participants)[:255],
            observations=rng.choice(OBSERVATIONS[kind]),
            note=rng.choice(NOTES),
            recorded_by_id=getattr(by, "pk", None),
        )
        summary = _("{kind} recorded.").format(kind=w.labels[f"contact:{kind}"])
        w.note(f, day, "casework.contact.recorded", summary, Contact, row, by)
        if not by_helper and rng.random() < 0.04:
            note = w.add(
                PoliceNote,
                person_id=f.id,
                written_on=day,
                text=rng.choice(POLICE_NOTES),
                contact_id=row["id"],
                written_by_id=getattr(by, "pk", None),
            )
            # Outside "casework.": helpers do not learn that a police note exists.
            w.note(f, day, "casework_police.note.added", _("Police note recorded."), PoliceNote, note, by)

    # -- reviews ---------------------------------------------------------------------------------

    def reviews(self) -> None:
        f, w = self.f, self.w
        for number, (pk, group, decided, next_review) in enumerate(f.classifications):
            kind = ENTRY if number == 0 else PERIODIC
            needs = [self.need_on(n, decided) for n in self.needs]
            plan = [self.action_on(a, decided) for a in self.actions if a["added_on"] <= decided]
            by = w.police_account(f.commune, decided) if decided >= f.here_since else None
            row = w.add(
                Review,
                person_id=f.id,
                kind=kind,
                reviewed_on=decided,
                classification_id=pk,
                summary=REVIEW_PREFIX[kind] + REVIEW_TEXTS[group],
                next_review_on=next_review,
                needs_snapshot=needs,
                plan_snapshot=plan,
                reviewed_by_id=getattr(by, "pk", None),
            )
            statuses = [n["status"] for n in needs]
            summary = _("Needs and plan reviewed: {open} open, {met} met; next review by {date}.").format(
                open=sum(1 for s in statuses if s in OPEN_NEEDS),
                met=statuses.count(MET),
                date=_d(next_review),
            )
            w.note(f, decided, "casework.review.recorded", summary, Review, row, by)

    @staticmethod
    def need_on(need: PlannedNeed, day: dt.date) -> dict[str, Any]:
        row = need.row
        status = row["status"] if not need.history else IDENTIFIED
        for when, s in need.history:
            if when <= day:
                status = s
        return {
            "domain": row["domain"],
            "status": str(status),
            "description": row.get("description", ""),
            "declined_reason": row.get("declined_reason", "") if status == DECLINED else "",
        }

    @staticmethod
    def action_on(action: Row, day: dt.date) -> dict[str, Any]:
        finished = action.get("result_on") is not None and action["result_on"] <= day
        return {
            "id": action["id"],
            "need": action["domain"],
            "description": action["description"],
            "owner": action["owner"],
            "due_on": action["due_on"].isoformat(),
            "status": str(action["status"]) if finished else OPEN,
            "result": action["result"] if finished else "",
        }


# -- the step --------------------------------------------------------------------------------------


def womens_union_people(facts: list[Facts], today: dt.date) -> set[int]:
    """Thoại Sơn's people under management whom the commune's Women's Union helps today.

    A fixed share of the commune (within ``WOMENS_UNION_RANGE``, counting those it already helps),
    women first, then in a seeded order; so ``hoiphunu.thoaison`` has a list of their own.
    """
    here = [f for f in facts if f.commune == demo.THOAI_SON and f.status == Person.Status.IN_MANAGEMENT]
    total = Person.objects.filter(commune_id=demo.THOAI_SON, status=Person.Status.IN_MANAGEMENT).count()
    low, high = WOMENS_UNION_RANGE
    wanted = min(high, max(low, round(total * WOMENS_UNION_SHARE)))
    already = (
        HelperAssignment.objects.filter(
            organisation=organisations.organisation(f"womens_union:{demo.THOAI_SON}"),
            person__status=Person.Status.IN_MANAGEMENT,
            start_date__lte=today,
        )
        .exclude(end_date__lt=today)
        .values("person_id")
        .distinct()
        .count()
    )
    order = sorted(here, key=lambda f: (f.sex != names.FEMALE, random.Random(f"{SEED}:wu:{f.seed}").random()))
    return {f.id for f in order[: max(0, wanted - already)]}


def load() -> dict[str, int]:
    """Write the case work of the people under management who have none yet, up to today."""
    today = timezone.localdate()
    created = dict.fromkeys(COUNT_KEYS, 0)
    facts = gather()
    if not facts:
        return created
    writer = Writer(today)
    chosen = womens_union_people(facts, today)
    for start in range(0, len(facts), BATCH_PEOPLE):
        batch = facts[start : start + BATCH_PEOPLE]
        for f in batch:
            Story(writer, f, womens_union=f.id in chosen).tell()
        inserted = writer.flush()
        audit.record(
            "demo.casework.batch",
            target_type="demo.step",
            target_id="casework",
            target_repr=gettext("Demo case work: {first} to {last}").format(
                first=batch[0].record_code, last=batch[-1].record_code
            ),
            data={
                "rows": {table: n for table, n in inserted.items() if n},
                "bulk": True,
                "note": "Inserted in bulk by the demo loader, which bypasses the automatic audit of each "
                "row; this entry stands for the rows counted here.",
            },
            province=demo.PROVINCE,
        )
        for key, table in COUNTED.items():
            created[key] += inserted.get(table, 0)
    reset_sequences(list(TABLES))
    refresh_statistics()
    return created


def refresh_statistics() -> None:
    """Planner statistics for the new rows (the worklist's subqueries read them on every page)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("ANALYZE")
        elif connection.vendor == "postgresql":
            tables = ", ".join(connection.ops.quote_name(m._meta.db_table) for m in TABLES)
            cursor.execute(f"ANALYZE {tables}")

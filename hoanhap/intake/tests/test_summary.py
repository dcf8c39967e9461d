"""The period summary counts the event records, each in the unit where it happened."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from hoanhap.access.models import Organisation
from hoanhap.access.policy import SYSTEM, AreaScope
from hoanhap.access.roles import Role
from hoanhap.audit import context
from hoanhap.core.testing import AN_GIANG, BA_DINH, CHAU_DOC, HA_NOI, THOAI_SON, make_organisation, make_user
from hoanhap.intake import services
from hoanhap.intake.models import ManagementEvent
from hoanhap.intake.summary import KEYS, intake_summary, previous_period
from hoanhap.justice.models import Judgment
from hoanhap.people.models import Person

pytestmark = pytest.mark.django_db

D = dt.date
K = ManagementEvent.Kind
PROVINCE_OF = {THOAI_SON: AN_GIANG, CHAU_DOC: AN_GIANG, BA_DINH: HA_NOI}
AN_GIANG_SCOPE = AreaScope(provinces=frozenset({AN_GIANG}))


def commune(code: int) -> AreaScope:
    return AreaScope(communes=frozenset({code}))


class Story:
    """Hand-built event records, written in the order they happen (as the services would)."""

    def __init__(self) -> None:
        self.transfers = 0

    def person(self, name: str, home: int = THOAI_SON) -> Person:
        return Person.objects.create(
            full_name=name, sex="male", birth_year=1980, province_id=PROVINCE_OF[home], commune_id=home
        )

    def event(self, person: Person, what: str, day: dt.date, where: int, **data) -> ManagementEvent:
        return ManagementEvent.objects.create(
            person=person,
            kind=what,
            occurred_on=day,
            province_id=PROVINCE_OF[where],
            commune_id=where,
            data=data,
        )

    def released(self, person, day, where, kind="completed_term", probation_ends_on=None):
        self.event(person, K.RELEASED, day, where, kind=kind, probation_ends_on=probation_ends_on)

    def reported(self, person, day, where):
        self.event(person, K.REPORTED, day, where)

    def entered(self, person, day, where):
        self.event(person, K.ENTERED_MANAGEMENT, day, where)

    def received_and_entered(self, person, day, where, kind="completed_term"):
        self.released(person, day - dt.timedelta(days=3), where, kind)
        self.reported(person, day, where)
        self.entered(person, day, where)

    def transferred(self, person, day, source, target):
        self.transfers += 1
        self.event(person, K.TRANSFERRED_OUT, day, source, transfer=self.transfers)
        self.event(person, K.TRANSFERRED_IN, day, target, transfer=self.transfers)

    def ended(self, person, day, where, ground):
        self.event(person, K.ENDED, day, where, ground=ground)

    def new_offence(self, person, committed_on):
        Judgment.objects.create(
            person=person,
            court_name="Tòa án nhân dân khu vực 5 - An Giang",
            judgment_number="12/2023/HS-ST",
            judgment_date=committed_on + dt.timedelta(days=60),
            offence_committed_on=committed_on,
            main_penalty_type="imprisonment",
            main_penalty_years=2,
        )


def summary(date_from, date_to, scope=AN_GIANG_SCOPE, actor=SYSTEM):
    return intake_summary(date_from=date_from, date_to=date_to, scope=scope, actor=actor)


def balances(figures: dict) -> bool:
    return (
        figures["under_management_start"]
        + figures["entered_management"]
        + figures["transfers_in"]
        - figures["transfers_out"]
        - sum(figures["managements_ended"].values())
        == figures["under_management_end"]
    )


@pytest.fixture
def year_2023():
    """Fourteen people whose stories cross 2023 in Thoại Sơn, Châu Đốc (province 91) and Ba Đình."""
    s = Story()
    a = s.person("Nguyễn Văn An")  # released end of 2022, reports in January 2023
    s.released(a, D(2022, 12, 28), THOAI_SON)
    s.reported(a, D(2023, 1, 3), THOAI_SON)
    s.entered(a, D(2023, 1, 3), THOAI_SON)
    b = s.person("Chau Sóc Kha")  # amnestied, reports twice: counted once, at the first reporting
    s.released(b, D(2023, 9, 1), THOAI_SON, "amnesty")
    s.reported(b, D(2023, 9, 5), THOAI_SON)
    s.entered(b, D(2023, 9, 5), THOAI_SON)
    s.reported(b, D(2023, 10, 10), THOAI_SON)
    c = s.person("Néang Sa Ry")  # conditional release in 2022, enters management when probation ends
    s.released(c, D(2022, 6, 1), THOAI_SON, "conditional_release", "2023-06-01")
    s.reported(c, D(2022, 6, 3), THOAI_SON)
    s.entered(c, D(2023, 6, 5), THOAI_SON)
    d = s.person("Lâm Quốc Cường")  # moves out of the province
    s.received_and_entered(d, D(2021, 4, 1), THOAI_SON)
    s.transferred(d, D(2023, 3, 1), THOAI_SON, BA_DINH)
    e = s.person("Mohamad Ysa", home=BA_DINH)  # moves into the province
    s.received_and_entered(e, D(2020, 2, 1), BA_DINH)
    s.transferred(e, D(2023, 4, 1), BA_DINH, CHAU_DOC)
    f = s.person("Trần Văn Hòa")  # moves inside the province
    s.received_and_entered(f, D(2021, 5, 1), THOAI_SON)
    s.transferred(f, D(2023, 5, 1), THOAI_SON, CHAU_DOC)
    for name, day, ground in [
        ("Lê Văn Hoa", D(2023, 2, 1), "expunged"),
        ("Phạm Văn Hóa", D(2023, 3, 1), "died"),
        ("Võ Văn Tâm", D(2023, 7, 1), "imprisoned"),
        ("Huỳnh Văn Phúc", D(2023, 8, 1), "moved_abroad"),
        ("Đặng Văn Lộc", D(2023, 11, 11), "other"),
    ]:
        person = s.person(name)
        s.received_and_entered(person, D(2021, 6, 1), THOAI_SON)
        if ground == "imprisoned":
            s.new_offence(person, D(2023, 5, 20))
        s.ended(person, day, THOAI_SON, ground)
    lost = s.person("Quách Văn Tài")  # whereabouts unknown: still under management
    s.received_and_entered(lost, D(2021, 7, 1), THOAI_SON)
    s.event(lost, K.WHEREABOUTS_UNKNOWN, D(2023, 5, 1), THOAI_SON)
    m = s.person("Ysa Ly")  # conditional release, dies on probation: never under management
    s.released(m, D(2023, 2, 1), THOAI_SON, "conditional_release", "2024-02-01")
    s.reported(m, D(2023, 2, 4), THOAI_SON)
    s.ended(m, D(2023, 8, 1), THOAI_SON, "died")
    n = s.person("Bùi Văn Nam")  # received in 2022
    s.received_and_entered(n, D(2022, 10, 1), THOAI_SON)
    return s


def test_a_calendar_year_in_the_province(year_2023):
    """Every figure of 2023 in province 91, from the stories of the fixture."""
    figures = summary(D(2023, 1, 1), D(2023, 12, 31))
    assert list(figures) == list(KEYS)
    assert figures == {
        "received": 3,  # An, Chau Sóc Kha (once), Ysa Ly
        "received_previous": 2,  # Néang Sa Ry, Bùi Văn Nam
        "received_change": 1,
        "received_by_release_kind": {"completed_term": 1, "amnesty": 1, "conditional_release": 1},
        "under_management_start": 9,
        "entered_management": 3,  # An, Chau Sóc Kha, Néang Sa Ry after probation
        "transfers_in": 1,  # Mohamad Ysa from Ba Đình; Trần Văn Hòa moved inside the province
        "transfers_out": 1,  # Lâm Quốc Cường to Ba Đình
        "managements_ended": {"expunged": 1, "died": 1, "imprisoned": 1, "moved_abroad": 1, "other": 1},
        "under_management_end": 7,
        "new_offences": 1,
    }
    assert balances(figures)


def test_communes_count_the_moves_between_them(year_2023):
    """Seen from one commune, a move inside the province is a transfer out of one and into the other."""
    thoai_son = summary(D(2023, 1, 1), D(2023, 12, 31), commune(THOAI_SON))
    chau_doc = summary(D(2023, 1, 1), D(2023, 12, 31), commune(CHAU_DOC))
    assert (thoai_son["transfers_in"], thoai_son["transfers_out"]) == (0, 2)
    assert (chau_doc["transfers_in"], chau_doc["transfers_out"]) == (2, 0)
    assert chau_doc["under_management_start"] == 0
    assert chau_doc["under_management_end"] == 2
    assert thoai_son["under_management_end"] == 5
    assert (thoai_son["received"], chau_doc["received"]) == (3, 0)
    assert balances(thoai_son)
    assert balances(chau_doc)


def test_later_moves_do_not_change_past_figures(year_2023):
    """A person moving in 2024 still counts where they were managed in 2023."""
    before = summary(D(2023, 1, 1), D(2023, 12, 31), commune(THOAI_SON))
    moving = Person.objects.get(full_name="Nguyễn Văn An")
    Story().transferred(moving, D(2024, 2, 1), THOAI_SON, CHAU_DOC)
    moving.commune_id = CHAU_DOC
    moving.save()
    assert summary(D(2023, 1, 1), D(2023, 12, 31), commune(THOAI_SON)) == before


def test_part_of_a_year_sees_a_conditional_release_still_on_probation(year_2023):
    """Until the probation ends the conditionally released person is received but not under management."""
    spring = summary(D(2023, 1, 1), D(2023, 5, 31))
    assert spring["under_management_end"] == 9 + 1 - 1 + 1 - 2  # An in, Lâm out, Mohamad in, two ends
    summer = summary(D(2023, 6, 1), D(2023, 6, 30))
    assert summer["entered_management"] == 1
    assert summer["under_management_end"] == spring["under_management_end"] + 1


def test_a_second_release_starts_a_new_first_reporting():
    """A person imprisoned again and released again is received again at the next first reporting."""
    s = Story()
    p = s.person("Thạch Văn Sơn")
    s.received_and_entered(p, D(2019, 3, 1), THOAI_SON)
    s.ended(p, D(2020, 1, 10), THOAI_SON, "imprisoned")
    s.released(p, D(2023, 4, 1), THOAI_SON, "amnesty")
    s.reported(p, D(2023, 4, 3), THOAI_SON)
    s.entered(p, D(2023, 4, 3), THOAI_SON)
    assert summary(D(2019, 1, 1), D(2019, 12, 31))["received"] == 1
    figures = summary(D(2023, 1, 1), D(2023, 12, 31))
    assert figures["received"] == 1
    assert figures["received_by_release_kind"]["amnesty"] == 1
    assert figures["under_management_end"] == 1


def test_previous_period_of_a_calendar_year_and_of_any_range():
    """A calendar year is compared with the year before, any other range with as many days before."""
    assert previous_period(D(2024, 1, 1), D(2024, 12, 31)) == (D(2023, 1, 1), D(2023, 12, 31))
    assert previous_period(D(2023, 3, 1), D(2023, 3, 31)) == (D(2023, 1, 29), D(2023, 2, 28))
    assert previous_period(D(2024, 3, 1), D(2024, 3, 1)) == (D(2024, 2, 29), D(2024, 2, 29))
    # Two calendar years are a range of 730 days, not a calendar year.
    assert previous_period(D(2022, 1, 1), D(2023, 12, 31)) == (D(2020, 1, 2), D(2021, 12, 31))


def test_received_previous_follows_the_previous_period_rule():
    """Reports just inside and just outside the previous period of a month-long range."""
    s = Story()
    for name, day in [
        ("Nguyễn Thị Hoa", D(2023, 1, 28)),  # before the previous period
        ("Nguyễn Văn Hòa", D(2023, 1, 29)),  # first day of the previous period
        ("Nguyễn Văn Hóa", D(2023, 2, 28)),  # last day of the previous period
        ("Sa Ri Da", D(2023, 3, 31)),  # in the period
    ]:
        s.received_and_entered(s.person(name), day, THOAI_SON)
    march = summary(D(2023, 3, 1), D(2023, 3, 31))
    assert (march["received"], march["received_previous"], march["received_change"]) == (1, 2, -1)
    year = summary(D(2023, 1, 1), D(2023, 12, 31))
    assert (year["received"], year["received_previous"], year["received_change"]) == (4, 0, 4)


def test_an_inverted_period_is_refused():
    with pytest.raises(ValidationError):
        summary(D(2023, 12, 31), D(2023, 1, 1))


def test_the_summary_is_limited_to_the_actors_areas(year_2023):
    """A commune officer gets the figures of their commune and is refused the province's."""
    officer = make_user(Role.COMMUNE_OFFICER, province=AN_GIANG, commune=THOAI_SON)
    assert summary(D(2023, 1, 1), D(2023, 12, 31), commune(THOAI_SON), officer)["received"] == 3
    with pytest.raises(PermissionDenied):
        summary(D(2023, 1, 1), D(2023, 12, 31), AN_GIANG_SCOPE, officer)
    with pytest.raises(PermissionDenied):
        summary(D(2023, 1, 1), D(2023, 12, 31), commune(CHAU_DOC), officer)
    helper = make_user(Role.HELPER, organisation=make_organisation(Organisation.Kind.WOMENS_UNION))
    with pytest.raises(PermissionDenied):
        summary(D(2023, 1, 1), D(2023, 12, 31), commune(THOAI_SON), helper)


def test_the_number_of_queries_does_not_grow_with_the_people(year_2023, django_assert_max_num_queries):
    """Aggregate queries only: a handful, however many people the area holds."""
    with django_assert_max_num_queries(6):
        summary(D(2023, 1, 1), D(2023, 12, 31))


# -- through the services --------------------------------------------------------------------------


def test_the_services_events_are_counted():
    """Notice, release, reception, transfer and end written by the intake services, then summarised."""
    today = timezone.localdate()
    officer = make_user(Role.PROVINCE_OFFICER, province=AN_GIANG)
    start = today - dt.timedelta(days=40)
    notice = services.notice_receive(
        actor=officer,
        data={
            "full_name": "Chau Phi Rum",
            "sex": "male",
            "birth_year": 1990,
            "expected_release_date": start,
            "release_kind": "amnesty",
            "commune": THOAI_SON,
            "received_on": start - dt.timedelta(days=5),
            "sender_name": "Trại giam Định Thành",
        },
    )
    person = services.release_confirm(actor=officer, person=notice.person, release_date=start, kind="amnesty")
    services.reception_record(
        actor=officer, person=person, data={"reported_on": start + dt.timedelta(days=2)}
    )
    person.refresh_from_db()
    transfer = services.transfer_send(
        actor=officer, person=person, to_commune=CHAU_DOC, sent_on=start + dt.timedelta(days=10)
    )
    services.transfer_confirm(actor=officer, transfer=transfer, confirmed_on=start + dt.timedelta(days=12))
    person.refresh_from_db()
    services.management_end(
        actor=officer, person=person, ground="died", ended_on=start + dt.timedelta(days=20)
    )
    period = (start - dt.timedelta(days=1), today)
    province = summary(*period)
    assert province["received"] == 1
    assert province["received_by_release_kind"]["amnesty"] == 1
    assert (province["entered_management"], province["transfers_in"], province["transfers_out"]) == (1, 0, 0)
    assert province["managements_ended"]["died"] == 1
    thoai_son, chau_doc = summary(*period, commune(THOAI_SON)), summary(*period, commune(CHAU_DOC))
    assert (
        thoai_son["entered_management"],
        thoai_son["transfers_out"],
        thoai_son["under_management_end"],
    ) == (
        1,
        1,
        0,
    )
    assert (chau_doc["transfers_in"], chau_doc["managements_ended"]["died"]) == (1, 1)
    assert all(balances(f) for f in (province, thoai_son, chau_doc))


# -- the command -----------------------------------------------------------------------------------


def run(*args: str) -> str:
    out = StringIO()
    call_command("intake", *args, stdout=out)
    return out.getvalue()


def test_command_prints_exactly_the_json_figures(year_2023):
    """--json prints one line with the keys in the documented order."""
    output = run("summary", "--from", "2023-01-01", "--to", "2023-12-31", "--scope", "province:91", "--json")
    assert output.count("\n") == 1
    figures = json.loads(output)
    assert list(figures) == list(KEYS)
    assert figures == summary(D(2023, 1, 1), D(2023, 12, 31))
    assert output.startswith('{"received": 3, "received_previous": 2, "received_change": 1, ')
    assert (
        '"managements_ended": {"expunged": 1, "died": 1, "imprisoned": 1, "moved_abroad": 1, "other": 1}'
        in output
    )


def test_command_prints_a_readable_table(year_2023):
    output = run("summary", "--from", "2023-01-01", "--to", "2023-12-31", "--scope", "commune:30682")
    assert "01/01/2023" in output
    assert "31/12/2023" in output
    assert "Received (first reporting after release): 3" in output
    assert "Management ended: 5" in output


def test_command_acts_as_the_user_and_refuses_a_wider_scope(year_2023):
    """--user narrows to that user's areas: a commune officer may not ask for the province."""
    officer = make_user(Role.COMMUNE_OFFICER, province=AN_GIANG, commune=THOAI_SON)
    with context.acting(source=context.SOURCE_CLI, user=officer):
        with pytest.raises(CommandError):
            run("summary", "--from", "2023-01-01", "--to", "2023-12-31", "--scope", "province:91", "--json")
        figures = json.loads(
            run("summary", "--from", "2023-01-01", "--to", "2023-12-31", "--scope", "commune:30682", "--json")
        )
    assert figures["received"] == 3


def test_command_refuses_bad_dates():
    with pytest.raises(CommandError):
        run("summary", "--from", "2023-13-01", "--to", "2023-12-31", "--scope", "province:91")
    with pytest.raises(CommandError):
        run("summary", "--from", "2023-12-31", "--to", "2023-01-01", "--scope", "province:91")

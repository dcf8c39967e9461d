"""Case-work sections of “Việc hôm nay”: contacts due, plan actions due, no helper, needs reviews."""

import datetime as dt

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from hoanhap.casework import selectors, services, worklist
from hoanhap.casework.testing import make_contact, make_helper_assignment, make_plan_action, make_review
from hoanhap.core.testing import sign_in
from hoanhap.intake import worklist as intake_worklist
from hoanhap.intake.models import ManagementEvent
from hoanhap.intake.testing import make_classification, make_person

from .conftest import OTHER_PLACE, PLACE

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def ago(days: int) -> dt.date:
    return TODAY - dt.timedelta(days=days)


def sections(actor):
    return {s.code: s for s in worklist.sections(actor, TODAY)}


def names(section):
    return [i.person.full_name for i in section.items]


def entered(person, on: dt.date):
    ManagementEvent.objects.create(
        person=person, kind="entered_management", occurred_on=on, province_id=PLACE[0], commune_id=PLACE[1]
    )


def test_contacts_due_follow_the_group_interval(officer):
    """Group C is due 30 days after the last contact, group A 90; group D is never listed."""
    c_late = make_person(PLACE, full_name="C Quá hạn", classification="C")
    make_contact(PLACE, person=c_late, occurred_on=ago(40))
    a_fine = make_person(PLACE, full_name="A Chưa đến", classification="A")
    make_contact(PLACE, person=a_fine, occurred_on=ago(40))
    d_custody = make_person(PLACE, full_name="D Tạm giam", classification="D")
    entered(d_custody, ago(400))
    never = make_person(PLACE, full_name="B Chưa gặp", classification="B")
    entered(never, ago(58))  # due in 2 days: inside the week's horizon
    make_person(OTHER_PLACE, full_name="Xã khác", classification="C")
    section = sections(officer)["casework_visits"]
    assert names(section) == ["C Quá hạn", "B Chưa gặp"]
    late, soon = section.items
    assert late.due_on == ago(10)
    assert late.overdue
    assert soon.due_on == TODAY + dt.timedelta(days=2)
    assert not soon.overdue
    assert late.url == reverse("casework:contact-create", args=[c_late.record_code])


@override_settings(HOANHAP_CASEWORK_VISIT_DAYS={"A": 30})
def test_visit_interval_is_a_setting(officer):
    a = make_person(PLACE, full_name="A Theo cài đặt", classification="A")
    make_contact(PLACE, person=a, occurred_on=ago(40))
    assert names(sections(officer)["casework_visits"]) == ["A Theo cài đặt"]


def test_plan_actions_due_or_overdue(officer):
    overdue = make_plan_action(PLACE, person=make_person(PLACE, full_name="Quá hạn"), due_on=ago(3))
    make_plan_action(
        PLACE, person=make_person(PLACE, full_name="Còn lâu"), due_on=TODAY + dt.timedelta(days=30)
    )
    make_plan_action(PLACE, person=make_person(PLACE, full_name="Xong"), due_on=ago(3), status="done")
    section = sections(officer)["casework_plan"]
    assert names(section) == ["Quá hạn"]
    assert section.items[0].url == reverse("casework:plan-result", args=[overdue.pk])


def test_people_without_a_current_helper(officer):
    helped = make_person(PLACE, full_name="Có người giúp")
    make_helper_assignment(PLACE, person=helped, start_date=ago(10))
    lapsed = make_person(PLACE, full_name="Hết phân công")
    make_helper_assignment(PLACE, person=lapsed, start_date=ago(100), end_date=ago(1))
    make_person(PLACE, full_name="Chưa phân công")
    make_person(PLACE, full_name="Đã kết thúc", status="ended")
    assert sorted(names(sections(officer)["casework_no_helper"])) == ["Chưa phân công", "Hết phân công"]


def test_needs_review_at_entry_and_at_the_cycle(officer):
    """No review yet → due at entry; reviewed → due with the next review or intake's classification."""
    new = make_person(PLACE, full_name="Mới vào")
    entered(new, ago(3))
    reviewed = make_person(PLACE, full_name="Đã đánh giá")
    make_review(PLACE, person=reviewed, reviewed_on=ago(30), next_review_on=TODAY + dt.timedelta(days=150))
    due = make_person(PLACE, full_name="Đến hạn")
    make_review(PLACE, person=due, reviewed_on=ago(180), next_review_on=TODAY + dt.timedelta(days=5))
    reclassified = make_person(PLACE, full_name="Phân loại sớm")
    make_review(
        PLACE, person=reclassified, reviewed_on=ago(30), next_review_on=TODAY + dt.timedelta(days=150)
    )
    make_classification(
        PLACE, person=reclassified, decided_on=ago(10), next_review_on=TODAY + dt.timedelta(days=3)
    )  # reclassified through intake alone, with an early review
    section = sections(officer)["casework_reviews"]
    items = {i.person.full_name: i for i in section.items}
    assert set(items) == {"Mới vào", "Đến hạn", "Phân loại sớm"}
    assert items["Mới vào"].due_on == ago(3)
    assert items["Phân loại sớm"].due_on == TODAY + dt.timedelta(days=3)
    assert items["Đến hạn"].url == reverse("casework:review-create", args=[due.record_code])


def test_a_review_clears_both_its_item_and_intakes_classification_item(officer, person):
    """The combined form classifies through intake: neither list names the person afterwards.

    In the worklist the combined section replaces intake's own ``reviews`` section, so nobody is
    listed twice; intake's section is still computed here to check the classification was made.
    """
    entered(person, ago(3))
    codes = {s.code: s for s in intake_worklist.worklist(actor=officer, today=TODAY, expungement=False)}
    assert "reviews" not in codes
    assert person in [i.person for i in intake_worklist.reviews(officer, TODAY).items]
    assert person in [i.person for i in codes["casework_reviews"].items]
    services.review_record(actor=officer, person=person, group="A", summary="Ổn định")
    codes = {s.code: s for s in intake_worklist.worklist(actor=officer, today=TODAY, expungement=False)}
    assert person not in [i.person for i in intake_worklist.reviews(officer, TODAY).items]
    assert person not in [i.person for i in codes["casework_reviews"].items]


def test_no_sections_without_casework(helper, committee):
    assert worklist.sections(helper, TODAY) == []
    assert worklist.sections(committee, TODAY) == []


def test_sections_show_on_the_today_page(client, officer, person):
    sign_in(client, officer)
    body = client.get(reverse("intake:today")).content.decode()
    for code in ("casework_visits", "casework_plan", "casework_no_helper", "casework_reviews"):
        assert f'data-testid="section-{code}"' in body


@pytest.mark.parametrize("size", [2, 10])
def test_sections_cost_the_same_queries_whatever_the_rows(officer, django_assert_num_queries, size):
    for i in range(size):
        p = make_person(PLACE, full_name=f"Người {i}", classification="C")
        entered(p, ago(100))
        make_contact(PLACE, person=p, occurred_on=ago(45))
        make_plan_action(PLACE, person=p, due_on=ago(1))
        make_review(PLACE, person=p)
    officer.active_assignments()  # the grants are cached on the actor, as during a request
    with django_assert_num_queries(4):  # one per section
        result = worklist.sections(officer, TODAY)
    assert all(len(s.items) == size for s in result)


def test_figures_for_the_reports(officer, union):
    helped = make_person(PLACE)
    make_helper_assignment(PLACE, person=helped, organisation=union, start_date=ago(10))
    make_person(PLACE)
    make_contact(PLACE, person=helped, occurred_on=ago(5))
    make_contact(PLACE, person=helped, occurred_on=ago(50))
    services.need_save(actor=officer, person=helped, domain="papers", status="met")
    figures = selectors.figures(actor=officer, start=ago(30), end=TODAY)
    assert (figures.under_management, figures.with_helper) == (2, 1)
    assert (figures.contacts, figures.people_contacted, figures.needs_met) == (1, 1, 1)

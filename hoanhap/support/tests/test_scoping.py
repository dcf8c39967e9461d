"""Who sees what: children only by police roles and their supporters; helpers only their people's support."""

import pytest
from django.urls import reverse

from hoanhap.access.models import Organisation
from hoanhap.access.roles import Role
from hoanhap.casework.testing import make_helper_assignment
from hoanhap.core.testing import AN_GIANG, make_organisation, make_user, sign_in
from hoanhap.intake.testing import make_person
from hoanhap.support import selectors
from hoanhap.support.testing import make_action, make_child, make_referral

from .conftest import ELSEWHERE, PLACE

pytestmark = pytest.mark.django_db


def visible_children(actor):
    return set(selectors.child_scope(actor))


def test_police_roles_of_the_area_see_children_and_the_committee_does_not(
    officer, other_officer, leader, committee
):
    child = make_child(PLACE)
    assert child in visible_children(officer)
    assert child in visible_children(leader)
    assert child not in visible_children(other_officer)
    assert child not in visible_children(committee)


def test_the_parents_helper_does_not_see_the_child(helper, union):
    """The child's area never names the parent: a helper assigned to the parent gets nothing through it."""
    child = make_child(PLACE)
    make_helper_assignment(PLACE, person=child.parent, organisation=union)
    assert visible_children(helper) == set()
    assert selectors.children_of(actor=helper, person=child.parent).count() == 0


def test_an_organisation_that_supported_a_child_sees_it_and_its_support(helper, union):
    child = make_child(PLACE)
    other = make_child(PLACE)
    action = make_action(PLACE, child=child, provider=union, kind="gift_in_kind", item="Vở")
    make_action(PLACE, child=other, kind="scholarship")
    assert visible_children(helper) == {child}
    assert set(selectors.action_scope(helper)) == {action}


def test_support_to_a_child_follows_the_child_not_the_person(officer, committee, helper, union):
    child = make_child(PLACE)
    to_child = make_action(PLACE, child=child, kind="scholarship")
    make_helper_assignment(PLACE, person=child.parent, organisation=union)
    to_parent = make_action(PLACE, person=child.parent)
    assert set(selectors.action_scope(officer)) == {to_child, to_parent}
    assert set(selectors.action_scope(committee)) == {to_parent}  # view_people, not view_children
    assert set(selectors.action_scope(helper)) == {to_parent}


def test_a_helper_sees_the_support_of_assigned_people_only(helper, union):
    assigned = make_person(PLACE, full_name="Được Giúp")
    make_helper_assignment(PLACE, person=assigned, organisation=union)
    mine = make_action(PLACE, person=assigned)
    make_action(PLACE)  # same commune, not assigned
    make_action(ELSEWHERE)
    assert set(selectors.action_scope(helper)) == {mine}


def test_a_helper_never_sees_referrals(helper, union, officer):
    referral = make_referral(PLACE)
    make_helper_assignment(PLACE, person=referral.person, organisation=union)
    assert not selectors.referral_list(actor=helper).exists()
    assert selectors.referral_list(actor=officer).get() == referral


def test_helper_pages_api_and_exports_keep_the_limits(client, helper, union):
    """Children pages show a helper only the children its organisation supported; the support list, its
    export and the API list only their people."""
    assigned = make_person(PLACE, full_name="Được Giúp")
    make_helper_assignment(PLACE, person=assigned, organisation=union)
    mine = make_action(PLACE, person=assigned)
    hidden = make_action(PLACE)
    supported = make_child(PLACE, full_name="Bé Được Giúp")
    make_action(PLACE, child=supported, provider=union, kind="gift_in_kind", item="Vở")
    stranger = make_child(PLACE, full_name="Bé Người Lạ")
    sign_in(client, helper)
    children = client.get(reverse("support:child-list"))
    assert children.status_code == 200
    assert supported.full_name in children.content.decode()
    assert stranger.full_name not in children.content.decode()
    assert client.get(reverse("support:child-detail", args=[stranger.pk])).status_code == 404
    page = client.get(reverse("support:action-list"))
    assert page.status_code == 200
    assert page.context["totals"]["actions"] == 2  # the assigned person's, and the supported child's
    api = client.get("/api/v1/support/actions/").json()
    assert mine.pk in [row["id"] for row in api["results"]]
    assert client.get(f"/api/v1/support/actions/{hidden.pk}/").status_code == 404
    assert client.get(reverse("support:action-detail", args=[hidden.pk])).status_code == 404
    export = client.post(reverse("support:action-export"), {"purpose": "Báo cáo hội", "format": "csv"})
    body = export.content.decode("utf-8-sig")
    assert "Được Giúp" in body
    assert hidden.person.full_name not in body
    assert client.get("/api/v1/support/referrals/").status_code == 403


def test_the_person_page_panel_hides_children_from_helpers(client, helper, union, officer):
    child = make_child(PLACE)
    make_helper_assignment(PLACE, person=child.parent, organisation=union)
    make_action(PLACE, person=child.parent, kind="hardship_cash")
    sign_in(client, helper)
    page = client.get(child.parent.get_absolute_url())
    assert page.status_code == 200
    html = page.content.decode()
    assert "support-panel" in html
    assert child.full_name not in html
    client.logout()
    sign_in(client, officer)
    assert child.full_name in client.get(child.parent.get_absolute_url()).content.decode()


def test_a_province_officer_covers_every_commune_of_the_province():
    officer = make_user(Role.PROVINCE_OFFICER, province=AN_GIANG)
    there = make_child(ELSEWHERE)
    assert there in visible_children(officer)
    org = make_organisation(Organisation.Kind.YOUTH_UNION, province=AN_GIANG, commune=PLACE[1])
    assert selectors.helper_organisations(officer) == set()
    assert org.pk

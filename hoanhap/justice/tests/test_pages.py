"""The judgment and release pages: scoped by the person's area, helpers kept out, forms that report the
services' refusals on the right field, HTMX rows and the searchable offence select."""

import re

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse

from hoanhap.access.models import Organisation
from hoanhap.access.roles import Role
from hoanhap.audit.models import AuditEvent
from hoanhap.core.testing import BA_DINH, HA_NOI, THOAI_SON, make_organisation, make_user, sign_in
from hoanhap.justice.models import Judgment, Release
from hoanhap.justice.tests.records import d, facility, make_judgment, make_person, make_release, offence

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def person():
    return make_person()


@pytest.fixture
def officer_client(client):
    sign_in(client, make_user(Role.COMMUNE_OFFICER, commune=THOAI_SON))
    client.cookies["django_language"] = "en"  # texts checked in English (the msgids)
    return client


def form_post(**fields):
    """A valid judgment form post: one offence row, one additional penalty row, no obligation."""
    data = {
        "court_name": "Tòa án nhân dân huyện Thoại Sơn",
        "judgment_number": "12/2017/HS-ST",
        "judgment_date": "15/01/2017",
        "is_final": "on",
        "offence_committed_on": "01/06/2016",
        "main_penalty_type": "imprisonment",
        "main_penalty_years": "3",
        "main_penalty_started_on": "01/07/2016",
        "offence-TOTAL_FORMS": "2",
        "offence-INITIAL_FORMS": "0",
        "offence-0-offence": str(offence(173).pk),
        "offence-0-clause": "1",
        # offence-1 was removed in the page: its fields are missing
        "additional-TOTAL_FORMS": "1",
        "additional-INITIAL_FORMS": "0",
        "additional-0-type": "residence_ban",
        "additional-0-term_years": "2",
        "additional-0-starts_on": "01/07/2019",
        "obligation-TOTAL_FORMS": "0",
        "obligation-INITIAL_FORMS": "0",
    }
    data.update(fields)
    return data


def test_person_page_shows_the_computed_expungement_and_is_audited(officer_client, person):
    make_judgment(person)
    response = officer_client.get(reverse("justice:person-judgments", args=[person.record_code]))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-status="expunged"' in html  # 01/07/2019 + 2 years, long past
    assert "01/07/2021" in html
    assert "Art. 70(2)(b)" in html  # the explanation of the record
    assert AuditEvent.objects.filter(
        action="people.person.viewed", target_id=str(person.pk), data__what="judgments"
    ).exists()


def test_person_outside_the_area_is_not_found(officer_client):
    stranger = make_person(province_id=HA_NOI, commune_id=BA_DINH)
    judgment = make_judgment(stranger)
    release = make_release(judgment)
    for url in (
        reverse("justice:person-judgments", args=[stranger.record_code]),
        reverse("justice:judgment-detail", args=[judgment.pk]),
        reverse("justice:judgment-update", args=[judgment.pk]),
        reverse("justice:judgment-create", args=[stranger.record_code]),
        reverse("justice:release-detail", args=[release.pk]),
        reverse("justice:release-create", args=[stranger.record_code]),
    ):
        assert officer_client.get(url).status_code == 404, url


def test_helpers_never_see_judgments(client, person):
    judgment = make_judgment(person)
    org = make_organisation(Organisation.Kind.WOMENS_UNION)
    sign_in(client, make_user(Role.HELPER, organisation=org))
    for url in (
        reverse("justice:person-judgments", args=[person.record_code]),
        reverse("justice:judgment-detail", args=[judgment.pk]),
        reverse("justice:offence-list"),
    ):
        assert client.get(url).status_code == 403, url


def test_commune_committee_reads_but_cannot_write(client, person):
    judgment = make_judgment(person)
    sign_in(client, make_user(Role.COMMUNE_COMMITTEE, commune=THOAI_SON))
    page = client.get(reverse("justice:judgment-detail", args=[judgment.pk]))
    assert page.status_code == 200
    assert reverse("justice:judgment-update", args=[judgment.pk]) not in page.content.decode()
    assert client.get(reverse("justice:judgment-update", args=[judgment.pk])).status_code == 403
    assert (
        client.post(reverse("justice:judgment-create", args=[person.record_code]), form_post()).status_code
        == 403
    )


def test_create_judgment_through_the_form(officer_client, person):
    response = officer_client.post(reverse("justice:judgment-create", args=[person.record_code]), form_post())
    judgment = Judgment.objects.get(person=person)
    assert response.status_code == 302
    assert response["Location"] == reverse("justice:judgment-detail", args=[judgment.pk])
    assert [(line.offence.article, line.clause) for line in judgment.offences.all()] == [(173, "1")]
    assert judgment.additional_penalties.get().term_years == 2
    detail = officer_client.get(response["Location"]).content.decode()
    assert "01/07/2019" in detail  # completion worked out from the start and the term
    assert 'data-classification="none"' in detail


def test_form_shows_service_errors_on_their_fields(officer_client, person):
    """A judgment dated after... no: an offence after the judgment, and a residence ban completed before
    it started, are shown on those fields; nothing is saved."""
    response = officer_client.post(
        reverse("justice:judgment-create", args=[person.record_code]),
        form_post(
            **{
                "offence_committed_on": "01/02/2017",
                "main_penalty_started_on": "",
                "additional-0-completed_on": "01/01/2019",
            }
        ),
    )
    assert response.status_code == 200
    form, formsets = response.context["form"], response.context["formsets"]
    assert "offence_committed_on" in form.errors
    assert "completed_on" in formsets["additional_penalties"].forms[0].errors
    assert not Judgment.objects.exists()


def test_edit_form_is_prefilled_and_refuses_a_stale_version(officer_client, person):
    judgment = make_judgment(person, articles=(173, 321))
    url = reverse("justice:judgment-update", args=[judgment.pk])
    page = officer_client.get(url)
    assert page.status_code == 200
    assert page.context["formsets"]["offences"].total_form_count() == 2
    stale = form_post(
        version=str(judgment.version - 1), **{"offence-0-id": str(judgment.offences.first().pk)}
    )
    response = officer_client.post(url, stale)
    assert response.status_code == 200
    assert "Someone else changed this record" in response.content.decode()
    fresh = form_post(
        version=str(judgment.version),
        main_penalty_years="4",
        **{"offence-0-id": str(judgment.offences.first().pk)},
    )
    assert officer_client.post(url, fresh).status_code == 302
    judgment.refresh_from_db()
    assert judgment.main_penalty_years == 4
    assert judgment.offences.count() == 1  # the row left out of the post was deleted


def test_add_row_returns_a_row_and_raises_the_total(officer_client):
    response = officer_client.get(
        reverse("justice:judgment-row"), {"row": "offence", "offence-TOTAL_FORMS": "2"}
    )
    html = response.content.decode()
    assert 'name="offence-2-offence"' in html
    assert re.search(r'name="offence-TOTAL_FORMS" value="3"[^>]*hx-swap-oob="true"', html)
    assert officer_client.get(reverse("justice:judgment-row"), {"row": "nope"}).status_code == 400


def test_offence_select_is_searchable_without_tone_marks(officer_client):
    html = officer_client.get(reverse("justice:offence-options"), {"q": "trom cap"}).content.decode()
    assert f'<option value="{offence(173).pk}" selected>' in html
    assert "Tội cướp tài sản" not in html
    by_number = officer_client.get(reverse("justice:offence-options"), {"q": "Điều 251"}).content.decode()
    assert "Tội mua bán trái phép chất ma túy" in by_number


def test_offence_catalogue_page_searches(officer_client):
    page = officer_client.get(reverse("justice:offence-list"), {"chapter": 26})
    html = page.content.decode()
    assert "Tội phá hoại hòa bình, gây chiến tranh xâm lược" in html
    assert "Tội trộm cắp tài sản" not in html
    partial = officer_client.get(reverse("justice:offence-list"), {"q": "ma tuy"}, HTTP_HX_REQUEST="true")
    assert "<html" not in partial.content.decode()
    assert "Tội tàng trữ trái phép chất ma túy" in partial.content.decode()


def test_record_and_edit_a_release_through_the_form(officer_client, person):
    judgment = make_judgment(person)
    prison = facility()
    response = officer_client.post(
        reverse("justice:release-create", args=[person.record_code]),
        {
            "judgment": judgment.pk,
            "facility": prison.pk,
            "release_date": "01/07/2019",
            "kind": "completed_term",
            "certificate_number": "15/GCN",
            "certificate_date": "01/07/2019",
            "allowance_amount": "800000",
        },
    )
    release = Release.objects.get(person=person)
    assert response.status_code == 302
    assert (release.facility, release.allowance_amount) == (prison, 800_000)
    refused = officer_client.post(
        reverse("justice:release-update", args=[release.pk]),
        {
            "version": release.version,
            "judgment": judgment.pk,
            "release_date": "01/01/2017",
            "kind": "completed_term",
        },
    )
    assert "release_date" in refused.context["form"].errors
    assert officer_client.get(reverse("justice:release-detail", args=[release.pk])).status_code == 200


def test_release_form_without_a_prison_judgment_says_so(officer_client, person):
    make_judgment(
        person, main_penalty_type="suspended_imprisonment", probation_years=2, main_penalty_started_on=None
    )
    html = officer_client.get(reverse("justice:release-create", args=[person.record_code])).content.decode()
    assert "Record the prison sentence first" in html


def test_person_judgments_tag_renders_for_officers_and_nothing_for_helpers(person):
    make_judgment(person)
    template = Template("{% load justice %}{% person_judgments person %}")
    request = RequestFactory().get("/")
    request.user = make_user(Role.COMMUNE_OFFICER, commune=THOAI_SON)
    html = template.render(Context({"person": person, "request": request}))
    assert 'data-testid="person-judgments"' in html
    assert reverse("justice:judgment-create", args=[person.record_code]) in html
    request.user = make_user(Role.HELPER, organisation=make_organisation(Organisation.Kind.WOMENS_UNION))
    assert "person-judgments" not in template.render(Context({"person": person, "request": request}))


def test_judgment_timeline_entry_links_to_the_page(officer_client, person):
    judgment = make_judgment(
        person,
        judgment_date=d("2018-03-01"),
        offence_committed_on=d("2017-12-01"),
        main_penalty_started_on=None,
    )
    entry = person.timeline.get(kind="justice.judgment.recorded")
    assert officer_client.get(entry.url).status_code == 200
    assert entry.url == reverse("justice:judgment-detail", args=[judgment.pk])


def test_an_empty_post_shows_errors_and_saves_nothing(officer_client, person):
    """A post without the rows' management data is answered with the form and its errors, never a crash."""
    judgment_page = officer_client.post(reverse("justice:judgment-create", args=[person.record_code]), {})
    assert judgment_page.status_code == 200
    assert "court_name" in judgment_page.context["form"].errors
    release_page = officer_client.post(reverse("justice:release-create", args=[person.record_code]), {})
    assert release_page.status_code == 200
    assert "release_date" in release_page.context["form"].errors
    assert not Judgment.objects.exists()
    assert not Release.objects.exists()

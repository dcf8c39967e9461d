"""Who sees which intake rows: facilities their own notices, communes the notices and transfers naming them."""

import pytest
from django.http import Http404

from hoanhap.core.testing import AN_GIANG, BA_DINH, CHAU_DOC, HA_NOI, THOAI_SON
from hoanhap.intake import selectors
from hoanhap.intake.testing import make_notice, make_transfer

pytestmark = pytest.mark.django_db


def test_facility_sees_only_the_notices_it_sent(facility_user, facility, other_facility_user):
    mine = make_notice((HA_NOI, BA_DINH), facility=facility)  # any commune of the country
    theirs = make_notice((AN_GIANG, THOAI_SON))
    assert list(selectors.facility_notice_list(actor=facility_user)) == [mine]
    assert selectors.facility_notice_get(actor=facility_user, pk=mine.pk) == mine
    with pytest.raises(Http404):
        selectors.facility_notice_get(actor=facility_user, pk=theirs.pk)
    assert list(selectors.facility_notice_list(actor=other_facility_user)) == []


def test_facility_sees_no_notice_through_the_area_lists(facility_user, facility):
    """A facility has no area: the communes' notice list and the people behind the notices stay closed."""
    make_notice((AN_GIANG, THOAI_SON), facility=facility)
    assert list(selectors.notice_list(actor=facility_user)) == []


def test_commune_sees_notices_naming_it_and_no_other(officer, chau_doc_officer, province_officer):
    here = make_notice((AN_GIANG, THOAI_SON))
    there = make_notice((AN_GIANG, CHAU_DOC))
    elsewhere = make_notice((HA_NOI, BA_DINH))
    assert list(selectors.notice_list(actor=officer)) == [here]
    assert list(selectors.notice_list(actor=chau_doc_officer)) == [there]
    assert set(selectors.notice_list(actor=province_officer)) == {here, there}
    with pytest.raises(Http404):
        selectors.notice_get(actor=officer, pk=elsewhere.pk)


def test_transfer_is_visible_to_the_sending_and_the_receiving_commune(
    officer, chau_doc_officer, ba_dinh_officer
):
    transfer = make_transfer((AN_GIANG, THOAI_SON), to=(AN_GIANG, CHAU_DOC))
    assert selectors.transfer_get(actor=officer, pk=transfer.pk) == transfer
    assert selectors.transfer_get(actor=chau_doc_officer, pk=transfer.pk) == transfer
    assert list(selectors.transfer_list(actor=chau_doc_officer)) == [transfer]
    assert selectors.is_receiver(chau_doc_officer, transfer)
    assert not selectors.is_receiver(officer, transfer)
    with pytest.raises(Http404):
        selectors.transfer_get(actor=ba_dinh_officer, pk=transfer.pk)


def test_receiving_commune_does_not_see_the_person_before_confirmation(chau_doc_officer):
    """The transfer is visible; the person record stays with the sending commune until confirmed."""
    from hoanhap.people import selectors as people_selectors

    transfer = make_transfer((AN_GIANG, THOAI_SON), to=(AN_GIANG, CHAU_DOC))
    with pytest.raises(Http404):
        people_selectors.person_get(actor=chau_doc_officer, key=transfer.person.record_code)

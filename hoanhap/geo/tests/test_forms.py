"""CommuneChoiceField: grouped by province, limited by provinces or scope, optional HTMX search."""

import pytest
from django import forms

from hoanhap.access.policy import AreaScope
from hoanhap.geo.forms import SEARCH_ONLY_OVER, CommuneChoiceField
from hoanhap.geo.models import Commune

pytestmark = pytest.mark.django_db


class PlaceForm(forms.Form):
    commune = CommuneChoiceField(provinces=[91])


class NationalForm(forms.Form):
    commune = CommuneChoiceField(search=True)


def test_choices_are_grouped_by_province_with_typed_names():
    field = PlaceForm().fields["commune"]
    groups = list(field.choices)
    assert groups[0][0] == ""
    assert [g[0] for g in groups[1:]] == ["Tỉnh An Giang"]
    labels = [label for _value, label in groups[1][1]]
    assert "Xã Thoại Sơn" in labels
    assert len(labels) == 102


def test_value_is_the_commune_and_outside_choices_is_invalid():
    form = PlaceForm(data={"commune": "30682"})
    assert form.is_valid()
    assert form.cleaned_data["commune"] == Commune.objects.get(code=30682)
    assert not PlaceForm(data={"commune": "4"}).is_valid()  # Hà Nội is outside the field's provinces


def test_limit_to_scope():
    """A scope of one commune leaves that commune only; a province scope its communes."""
    form = NationalForm()
    form.fields["commune"].limit_to_scope(AreaScope(communes=frozenset({30682})))
    assert list(form.fields["commune"].queryset.values_list("code", flat=True)) == [30682]
    form = NationalForm()
    form.fields["commune"].limit_to_scope(AreaScope(provinces=frozenset({1})))
    assert form.fields["commune"].queryset.count() == Commune.objects.filter(province_id=1).count()


def test_small_lists_render_every_option_without_search():
    html = str(PlaceForm()["commune"])
    assert html.count("<option") == 103
    assert "hx-get" not in html


def test_nationwide_search_renders_only_the_chosen_commune_and_a_search_box():
    """Over SEARCH_ONLY_OVER choices the list is filled by the search box (geo:commune-options)."""
    assert Commune.objects.count() > SEARCH_ONLY_OVER
    html = str(NationalForm(initial={"commune": 30682})["commune"])
    assert html.count("<option") == 2
    assert 'value="30682" selected' in html
    assert "/geo/commune-options/?field=commune" in html
    assert 'hx-target="#id_commune"' in html

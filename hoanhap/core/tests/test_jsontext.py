"""``jsontext``: the JSON orjson writes reads back as the JSON ``json.dumps`` writes, value for value."""

import datetime as dt
import decimal
import json
import uuid

import pytest
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection
from django.utils.translation import gettext_lazy
from hypothesis import given
from hypothesis import strategies as st

from hoanhap.core import jsontext

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**63), max_value=2**64 - 1),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.tuples(inner, inner),
        st.dictionaries(st.text(max_size=8), inner, max_size=4),
    ),
    max_leaves=20,
)


def _standard(value, encoder=None):
    return json.loads(json.dumps(value, cls=encoder))


@given(values)
def test_same_values_as_the_standard_library(value):
    assert jsontext.loads(jsontext.dumps(value)) == _standard(value)


@given(values)
def test_same_values_with_djangos_encoder(value):
    assert jsontext.loads(jsontext.dumps(value, DjangoJSONEncoder)) == _standard(value, DjangoJSONEncoder)


def test_what_orjson_does_not_know_goes_to_the_encoder():
    value = {
        "born": dt.date(1980, 3, 15),
        "at": dt.datetime(2026, 11, 29, 8, 30, 15, 123456, tzinfo=dt.UTC),
        "when": dt.time(8, 30),
        "amount": decimal.Decimal("1500000"),
        "label": gettext_lazy("Import"),
        "key": uuid.UUID("12345678-1234-5678-1234-567812345678"),
        7: "a number as key",
    }
    assert jsontext.loads(jsontext.dumps(value, DjangoJSONEncoder)) == _standard(value, DjangoJSONEncoder)


def test_beyond_64_bits_written_by_the_standard_library():
    assert jsontext.dumps([2**70]) == json.dumps([2**70])


def test_what_neither_knows_is_refused_alike():
    with pytest.raises(TypeError):
        json.dumps({"when": dt.date(2026, 1, 1)})
    with pytest.raises(TypeError):
        jsontext.dumps({"when": dt.date(2026, 1, 1)})


def test_vietnamese_text_kept_as_written():
    assert jsontext.dumps({"tên": "Nguyễn Văn Hòa"}) == '{"tên":"Nguyễn Văn Hòa"}'


def test_adapter_is_the_backends_unless_it_writes_text():
    adapt = jsontext.adapter(connection)
    if connection.vendor == "sqlite":
        assert adapt is jsontext.dumps
    else:
        assert adapt == connection.ops.adapt_json_value

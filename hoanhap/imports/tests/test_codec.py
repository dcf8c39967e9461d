"""The JSON form of a staged row's values: what reading encodes, the trial and the apply decode to
the very values read, for every column type of every kind."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from hoanhap.imports import codec
from hoanhap.imports.reading import specs
from hoanhap.imports.reading.values import IdNumber, OffenceRef, PartialDate, Term

_small = st.integers(min_value=0, max_value=99)
_BY_TYPE = {
    specs.DATE: st.dates(),
    specs.PARTIAL_DATE: st.builds(
        PartialDate, st.integers(1900, 2030), st.none() | st.integers(1, 12), st.none() | st.integers(1, 31)
    ),
    specs.ID_NUMBER: st.builds(
        IdNumber,
        st.sampled_from(["personal", "old"]),
        st.text("0123456789", min_size=9, max_size=12),
        st.booleans(),
    ),
    specs.TERM: st.builds(Term, _small, _small, _small, st.booleans()),
    specs.OFFENCES: st.tuples(
        st.text(max_size=40),
        st.lists(st.builds(OffenceRef, st.integers(100, 430), st.sampled_from(["", "1", "2"]))).map(tuple),
    ),
    specs.INTEGER: st.integers(-(10**12), 10**12),
    specs.MONEY: st.integers(0, 10**12),
}


@st.composite
def _kind_values(draw):
    kind = draw(st.sampled_from(sorted(specs.KINDS)))
    values = {}
    for column in specs.KINDS[kind].columns:
        strategy = _BY_TYPE.get(column.type, st.text(max_size=30))
        values[column.code] = draw(st.none() | strategy)
    return specs.KINDS[kind], values


@given(_kind_values())
def test_values_come_back_as_read_through_their_json_text(kind_values):
    kind, values = kind_values
    stored = json.loads(json.dumps(codec.encode_values(kind, values)))
    assert codec.decode_values(kind, stored) == {k: v for k, v in values.items() if v is not None}


def test_codes_of_no_kind_are_dropped_and_each_value_decodes_as_its_type():
    persons = specs.get_kind("persons")
    stored = {
        "full_name": "Nguyễn Văn Hòa",
        "birth_date": [1985, None, None],
        "unknown": 1,
        "release_date": None,
    }
    assert codec.decode_values(persons, stored) == {
        "full_name": "Nguyễn Văn Hòa",
        "birth_date": PartialDate(1985),
        "release_date": None,
    }
    number = {"id_number": {"kind": "old", "number": "012345678"}}  # stored before "restored" was
    assert codec.decode_values(persons, number) == {"id_number": IdNumber("old", "012345678")}

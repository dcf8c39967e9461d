"""The shortcuts of reading give what the general paths give: names of plain words, numbers of
digits only, and the cells as JSON text."""

from __future__ import annotations

import json
import re

from hypothesis import given
from hypothesis import strategies as st

from hoanhap.imports import codec
from hoanhap.imports.reading import values

_letters = "aăâbcdđeêghiklmnoôơpqrstuưvxyàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ"
_names = st.text(_letters + _letters.upper() + " -'ǆ_1ʼ", min_size=1, max_size=30)


def _by_words(value: object) -> str:
    """``parse_name`` as written before its shortcut: a regular expression over each word."""
    text = values.parse_text(value)
    if any(ch.isdigit() for ch in text):
        raise values.ParseError("digits")

    def fix(match: re.Match) -> str:
        word = match.group(1).lower()
        return word[:1].upper() + word[1:]

    return values._NAME_PART.sub(fix, text)


@given(_names)
def test_a_name_reads_as_word_by_word(text):
    try:
        expected = _by_words(text)
    except values.ParseError:
        expected = None
    try:
        found = values.parse_name(text)
    except values.ParseError:
        found = None
    assert found == expected


def test_names_of_plain_words():
    assert values.parse_name("NGUYỄN  văn hoà") == "Nguyễn Văn Hoà"
    assert values.parse_name("h'hen niê") == "H'Hen Niê"


@given(st.text("0123456789", min_size=8, max_size=12))
def test_a_number_of_digits_only_reads_as_with_separators(digits):
    spaced = " ".join(digits[i : i + 3] for i in range(0, len(digits), 3)) + " "

    def read(text):
        try:
            return values.parse_id_number(text)
        except values.ParseError as exc:
            return exc.message.replace(spaced.strip(), digits)

    assert read(digits) == read(spaced)


_cells = st.dictionaries(
    st.sampled_from(["a", "b", "c", "d"]),
    st.one_of(st.none(), st.text(max_size=8), st.integers(), st.floats(allow_nan=False), st.booleans()),
)


@given(_cells, st.dictionaries(st.sampled_from(["a", "b", "c"]), st.sampled_from(["Họ tên", "b", "X", "d"])))
def test_cells_as_json_text_are_json_dumps_of_the_cells(raw, headers):
    writer = codec.CellsJson(headers)
    assert writer(raw) == json.dumps(codec.encode_raw(raw, headers))
    assert writer(raw) == json.dumps(codec.encode_raw(raw, headers))  # with the keys kept

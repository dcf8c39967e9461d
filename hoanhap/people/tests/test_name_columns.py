"""The name columns a bulk writer stores are those the model's rules give, name by name."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from hoanhap.core.text import canonical, fold, nfc
from hoanhap.people.models import name_columns, search_text_of, sort_key_of

_NAME_LETTERS = "aăâbcdđeêghiklmnoôơpqrstuưvxyàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ"


@given(
    st.text(_NAME_LETTERS + _NAME_LETTERS.upper() + " \t-,.'\u0301\u0300", max_size=30),
    st.text(_NAME_LETTERS + " ,", max_size=15),
)
def test_name_columns_are_the_columns_each_rule_gives(full_name, other_names):
    """``name_columns`` works each name out once for its three columns: the same as each rule alone."""
    found = name_columns(full_name, other_names)
    full, other = found["full_name"], found["other_names"]
    assert found == {
        "full_name": " ".join(nfc(full_name).split()),
        "other_names": " ".join(nfc(other_names).split()),
        "name_folded": fold(full),
        "name_canonical": canonical(full),
        "sort_key": sort_key_of(full, other),
        "search_text": search_text_of(full, other),
    }

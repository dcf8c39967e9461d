"""``holder_errors`` is ``personal_id_errors`` less the structure; ``normalise`` drops separators only."""

from hypothesis import given
from hypothesis import strategies as st

from hoanhap.people.rules import identity

_provinces = st.sampled_from(sorted(identity.PROVINCE_CODES))
_numbers = st.builds(lambda p, rest: p + rest, _provinces, st.text("0123456789", min_size=9, max_size=9))


@given(
    _numbers,
    st.sampled_from([None, "male", "female", "other"]),
    st.one_of(st.none(), st.integers(1890, 2410)),
)
def test_holder_errors_are_the_errors_of_a_well_formed_number(number, sex, year):
    assert identity.holder_errors(number, sex=sex, birth_year=year) == identity.personal_id_errors(
        number, sex=sex, birth_year=year
    )


@given(st.text(" .-\t0123456789a０", max_size=20))
def test_normalise_drops_spaces_dots_dashes_and_tabs(text):
    assert identity.normalise(text) == "".join(ch for ch in text if ch not in " .-\t")


def test_normalise_of_nothing_is_empty():
    assert identity.normalise(None) == ""
    assert identity.normalise("") == ""

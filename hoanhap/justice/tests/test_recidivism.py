"""Recidivism and dangerous recidivism (Criminal Code 2015 Arts. 53, 69): a table of cases (pure)."""

import pytest

from hoanhap.justice.rules import InvalidInput, recidivism_from_data

pytestmark = pytest.mark.usefixtures("english")


def prior(severity, intent="intentional", **flags):
    return {"severity": severity, "intent": intent, **flags}


def classify(priors, severity, intent="intentional"):
    return recidivism_from_data(
        {"prior_convictions": priors, "new_offence": {"severity": severity, "intent": intent}}
    ).as_dict()


CASES = [
    ("no-prior", [], ("serious", "intentional"), "none", 0, "Art. 53:"),
    ("record-new-intentional", [prior("serious")], ("less_serious", "intentional"), "recidivism", 1, "53(1)"),
    ("record-new-serious-negligent", [prior("serious")], ("serious", "negligent"), "none", 1, "53(1)"),
    (
        "record-new-less-serious-negligent",
        [prior("particularly_serious")],
        ("less_serious", "negligent"),
        "none",
        1,
        "53(1)",
    ),
    (
        "record-new-very-serious-negligent",
        [prior("serious")],
        ("very_serious", "negligent"),
        "recidivism",
        1,
        "53(1)",
    ),
    (
        "record-new-particularly-serious-negligent",
        [prior("less_serious")],
        ("particularly_serious", "negligent"),
        "recidivism",
        1,
        "53(1)",
    ),
    (
        "grave-then-grave",
        [prior("very_serious")],
        ("very_serious", "intentional"),
        "dangerous_recidivism",
        1,
        "53(2)(a)",
    ),
    (
        "particularly-then-very",
        [prior("particularly_serious")],
        ("very_serious", "intentional"),
        "dangerous_recidivism",
        1,
        "53(2)(a)",
    ),
    (
        "very-then-particularly",
        [prior("very_serious")],
        ("particularly_serious", "intentional"),
        "dangerous_recidivism",
        1,
        "53(2)(a)",
    ),
    ("grave-then-serious", [prior("very_serious")], ("serious", "intentional"), "recidivism", 1, "53(1)"),
    (
        "grave-then-grave-negligent",
        [prior("very_serious")],
        ("very_serious", "negligent"),
        "recidivism",
        1,
        "53(1)",
    ),
    (
        "negligent-grave-record-then-grave",
        [prior("very_serious", "negligent")],
        ("very_serious", "intentional"),
        "recidivism",
        1,
        "53(1)",
    ),
    (
        "negligent-serious-no-record",
        [prior("serious", "negligent")],
        ("very_serious", "intentional"),
        "none",
        0,
        "Art. 53:",
    ),
    (
        "negligent-less-serious-no-record",
        [prior("less_serious", "negligent")],
        ("serious", "intentional"),
        "none",
        0,
        "Art. 53:",
    ),
    (
        "exempted-no-record",
        [prior("very_serious", exempted_from_penalty=True)],
        ("very_serious", "intentional"),
        "none",
        0,
        "Art. 53:",
    ),
    (
        "expunged-no-record",
        [prior("very_serious", expunged=True)],
        ("very_serious", "intentional"),
        "none",
        0,
        "Art. 53:",
    ),
    (
        "already-recidivist",
        [prior("less_serious", was_recidivism=True)],
        ("less_serious", "intentional"),
        "dangerous_recidivism",
        1,
        "53(2)(b)",
    ),
    (
        "already-recidivist-new-negligent-grave",
        [prior("less_serious", was_recidivism=True)],
        ("very_serious", "negligent"),
        "recidivism",
        1,
        "53(1)",
    ),
    (
        "already-recidivist-new-negligent-serious",
        [prior("serious", was_recidivism=True)],
        ("serious", "negligent"),
        "none",
        1,
        "53(1)",
    ),
    (
        "recidivist-record-expunged",
        [prior("less_serious", was_recidivism=True, expunged=True)],
        ("less_serious", "intentional"),
        "none",
        0,
        "Art. 53:",
    ),
    (
        "negligent-grave-recidivist-record",
        [prior("very_serious", "negligent", was_recidivism=True)],
        ("less_serious", "intentional"),
        "dangerous_recidivism",
        1,
        "53(2)(b)",
    ),
    (
        "mixed-records",
        [prior("serious", "negligent"), prior("less_serious")],
        ("serious", "intentional"),
        "recidivism",
        1,
        "53(1)",
    ),
    (
        "two-records-one-grave",
        [prior("serious"), prior("very_serious")],
        ("particularly_serious", "intentional"),
        "dangerous_recidivism",
        2,
        "53(2)(a)",
    ),
]


@pytest.mark.parametrize(
    ("priors", "new", "classification", "records", "article"),
    [c[1:] for c in CASES],
    ids=[c[0] for c in CASES],
)
def test_classification(priors, new, classification, records, article):
    """Art. 53 at the time of the new offence, from the prior convictions that still count (Art. 69)."""
    result = classify(priors, *new)
    assert result["classification"] == classification
    assert result["records_counted"] == records
    assert article in result["rule"]


def test_answer_shape_and_explanation():
    result = recidivism_from_data(
        {
            "prior_convictions": [prior("serious", "negligent")],
            "new_offence": {"severity": "serious", "intent": "intentional"},
        }
    )
    assert list(result.as_dict()) == ["classification", "records_counted", "rule"]
    lines = result.as_dict(explain=True)["explanation"]
    assert "no criminal record (Art. 69(2))" in lines[0]
    assert lines[-1].startswith("Result: ")


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"prior_convictions": []}, "new_offence"),
        ({"new_offence": {"severity": "grave", "intent": "intentional"}}, "new_offence.severity"),
        ({"new_offence": {"severity": "serious"}}, "new_offence.intent"),
        (
            {"new_offence": {"severity": "serious", "intent": "intentional"}, "prior_convictions": {}},
            "prior_convictions",
        ),
        (
            {
                "new_offence": {"severity": "serious", "intent": "intentional"},
                "prior_convictions": [
                    {"severity": "serious", "intent": "intentional", "was_recidivism": "yes"}
                ],
            },
            "prior_convictions[0].was_recidivism",
        ),
        (
            {
                "new_offence": {"severity": "serious", "intent": "intentional"},
                "prior_convictions": [prior("serious", was_recidivism=True, exempted_from_penalty=True)],
            },
            "prior_convictions[0]",
        ),
        ({"new_offence": {"severity": "serious", "intent": "intentional"}, "priors": []}, "priors"),
    ],
)
def test_invalid_input_names_the_field(data, field):
    with pytest.raises(InvalidInput) as caught:
        recidivism_from_data(data)
    assert caught.value.field == field

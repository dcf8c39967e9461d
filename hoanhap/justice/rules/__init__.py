"""The legal-date rules of Hòa Nhập: pure functions, no database.

Each rule reads a case (``parse_case`` validates the JSON shape shared by the CLI, the API and the
calculator page) and returns a result carrying its answer, the rule it applied (``rule``, citing the
articles) and the facts it used (``explanation``, sentences for the officer). See docs/rules.md.
"""

from hoanhap.justice.rules.conditional_release import conditional_release, conditional_release_from_data
from hoanhap.justice.rules.dates import Term, add_days, add_months, add_period, add_years, term_between
from hoanhap.justice.rules.explain import Fact, InvalidInput
from hoanhap.justice.rules.expungement import expungement, expungement_from_data
from hoanhap.justice.rules.recidivism import recidivism, recidivism_from_data

RULES = {
    "expungement": expungement_from_data,
    "recidivism": recidivism_from_data,
    "conditional-release": conditional_release_from_data,
}

__all__ = [
    "RULES",
    "Fact",
    "InvalidInput",
    "Term",
    "add_days",
    "add_months",
    "add_period",
    "add_years",
    "conditional_release",
    "conditional_release_from_data",
    "expungement",
    "expungement_from_data",
    "recidivism",
    "recidivism_from_data",
    "term_between",
]

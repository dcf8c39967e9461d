"""The numbers of the Criminal Code rules, kept as data in one place.

Every period and threshold the rules use is here, with the article it comes from, so that a change
of the law is a change of this table (and of its tests), not a hunt through code. All of them are
CONFIRMED in the domain brief (§2.3, §4.2–4.5); the one UNCONFIRMED reading is marked.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

# --- Expungement (Criminal Code 2015 Arts. 70(2), 71(2), 73) ------------------------------------

MAIN_PENALTY_TYPES: dict[str, object] = {
    "warning": _("warning"),
    "fine": _("fine"),
    "non_custodial_reform": _("non-custodial reform"),
    "suspended_imprisonment": _("suspended imprisonment"),
    "imprisonment": _("imprisonment"),
    "life_imprisonment": _("life imprisonment"),
    "death_commuted": _("death sentence commuted"),
}

ADDITIONAL_PENALTY_TYPES: dict[str, object] = {
    "probation_supervision": _("probation (supervision)"),
    "residence_ban": _("residence ban"),
    "position_ban": _("ban from positions, professions or work"),
    "civic_rights_deprivation": _("deprivation of certain civic rights"),
    "fine": _("fine"),
    "confiscation": _("confiscation of property"),
}

# Art. 70(2), last paragraph (and the same paragraph of Art. 71(2)): only these additional penalties,
# when they run longer than the period, move the end of the period to their completion.
SHIFTING_ADDITIONAL_PENALTIES = frozenset(
    {"probation_supervision", "residence_ban", "position_ban", "civic_rights_deprivation"}
)

# Art. 71 / Art. 73(3): a conviction under Chapter XIII or XXVI is expunged only by a court.
COURT_CHAPTERS = frozenset({13, 26})

# The special part of the Criminal Code: the chapters that define crimes (XIII … XXVI).
CHAPTERS: dict[int, tuple[str, object]] = {
    13: ("XIII", _("crimes against national security")),
    14: ("XIV", _("crimes against life, health, dignity and honour")),
    15: ("XV", _("crimes against freedoms and democratic rights of citizens")),
    16: ("XVI", _("crimes against property")),
    17: ("XVII", _("crimes against marriage and family")),
    18: ("XVIII", _("crimes against the economic management order")),
    19: ("XIX", _("crimes against the environment")),
    20: ("XX", _("drug-related crimes")),
    21: ("XXI", _("crimes against public safety and public order")),
    22: ("XXII", _("crimes against administrative management order")),
    23: ("XXIII", _("duty-related crimes")),
    24: ("XXIV", _("crimes against judicial activities")),
    25: ("XXV", _("crimes against the duties of military personnel")),
    26: ("XXVI", _("crimes against peace and humanity, and war crimes")),
}

BLOCKERS: dict[str, object] = {  # in the order they are listed in ``blocked_by``
    "obligations": _("court fees, compensation or other decisions of the judgment still owed"),
    "additional_penalty": _("an additional penalty not yet completed"),
    "new_conviction": _("a new conviction whose main penalty is not yet completed"),
}


@dataclass(frozen=True)
class Band:
    """One point of Art. 70(2) and the matching point of Art. 71(2)."""

    point: str
    automatic_years: int
    court_years: int
    penalties: object  # what falls in the band, for the explanation
    automatic_rule: object
    court_rule: object


BANDS: dict[str, Band] = {
    "a": Band(
        "a",
        1,
        1,
        _("a warning, a fine, non-custodial reform or suspended imprisonment"),
        _(
            "Criminal Code 2015 Art. 70(2)(a): 1 year after completing a warning, a fine, non-custodial reform or the probation of a suspended sentence"
        ),
        _(
            "Criminal Code 2015 Art. 71(2)(a): the court may expunge 1 year after completing a warning, a fine, non-custodial reform or the probation of a suspended sentence"
        ),
    ),
    "b": Band(
        "b",
        2,
        3,
        _("imprisonment of up to 5 years"),
        _("Criminal Code 2015 Art. 70(2)(b): 2 years after completing imprisonment of up to 5 years"),
        _(
            "Criminal Code 2015 Art. 71(2)(b): the court may expunge 3 years after completing imprisonment of up to 5 years"
        ),
    ),
    "c": Band(
        "c",
        3,
        5,
        _("imprisonment of over 5 years up to 15 years"),
        _(
            "Criminal Code 2015 Art. 70(2)(c): 3 years after completing imprisonment of over 5 years up to 15 years"
        ),
        _(
            "Criminal Code 2015 Art. 71(2)(c): the court may expunge 5 years after completing imprisonment of over 5 years up to 15 years"
        ),
    ),
    "d": Band(
        "d",
        5,
        7,
        _("imprisonment of over 15 years, life imprisonment or a commuted death sentence"),
        _(
            "Criminal Code 2015 Art. 70(2)(d): 5 years after completing imprisonment of over 15 years, life imprisonment or a commuted death sentence"
        ),
        _(
            "Criminal Code 2015 Art. 71(2)(d): the court may expunge 7 years after completing imprisonment of over 15 years, life imprisonment or a commuted death sentence"
        ),
    ),
}

# Band of each main penalty type; imprisonment goes by its pronounced length (Art. 73(1)).
PENALTY_BAND = {
    "warning": "a",
    "fine": "a",
    "non_custodial_reform": "a",
    "suspended_imprisonment": "a",
    "life_imprisonment": "d",
    "death_commuted": "d",
}
# (up to this many years → band): "up to 5 years" includes exactly 5 years (and 60 months).
IMPRISONMENT_BANDS: tuple[tuple[int, str], ...] = ((5, "b"), (15, "c"))
LONGEST_IMPRISONMENT_BAND = "d"

# --- Recidivism (Art. 53) and criminal record (Art. 69) -----------------------------------------

SEVERITIES: dict[str, object] = {
    "less_serious": _("less serious"),
    "serious": _("serious"),
    "very_serious": _("very serious"),
    "particularly_serious": _("particularly serious"),
}
GRAVE_SEVERITIES = frozenset({"very_serious", "particularly_serious"})
# Art. 69(2): a negligent conviction of these classes leaves no criminal record.
NO_RECORD_IF_NEGLIGENT = frozenset({"less_serious", "serious"})

INTENTS: dict[str, object] = {"intentional": _("intentional"), "negligent": _("negligent")}

CLASSIFICATIONS: dict[str, object] = {
    "none": _("neither recidivism nor dangerous recidivism"),
    "recidivism": _("recidivism (tái phạm)"),
    "dangerous_recidivism": _("dangerous recidivism (tái phạm nguy hiểm)"),
}

# --- Conditional early release (Art. 66, Art. 106) ----------------------------------------------

RELEASE_GROUPS: dict[str, object] = {
    "general": _("general case"),
    "protected": _(
        "person with merit to the revolution or their relative, person aged 70 or more, person with a severe "
        "disability, or woman raising a child under 36 months"
    ),
    "under_18": _("offender under 18"),
}
# Share of a fixed term to be served before release (Art. 66(1)(đ); Art. 106 for under-18s).
RELEASE_FRACTION = {"general": (1, 2), "protected": (1, 3), "under_18": (1, 3)}
# Years to be served of a life sentence commuted to a fixed term (Art. 66(1)(đ)).
RELEASE_LIFE_COMMUTED_YEARS = {"general": 15, "protected": 12}
# Probation may be shortened once at least this share of it has passed (Resolution 01/2018/NQ-HĐTP).
PROBATION_SHORTENING_FRACTION = (1, 2)
# UNCONFIRMED reading: the time condition counts time actually served (custody included) against the
# pronounced term, so sentence reductions do not count as time served; they only bring the end of the
# term, and so the end of the probation, nearer. Source: a Supreme People's Procuracy answer
# (vksndtc.gov.vn, hỏi đáp 2940) speaking of "thời gian thực tế đã chấp hành". Check against
# Resolution 01/2018/NQ-HĐTP before relying on it for people with reductions.
REDUCTIONS_COUNT_AS_SERVED = False

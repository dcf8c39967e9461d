"""Builders of rule inputs shared by the justice tests."""


def case(
    penalty_type="imprisonment",
    *,
    years=0,
    months=0,
    days=0,
    completed="2020-03-15",
    chapters=(16,),
    additional=(),
    obligations="2020-03-15",
    convictions=(),
):
    """An expungement case in the CLI contract shape, with short keyword arguments."""
    return {
        "main_penalty": {"type": penalty_type, "years": years, "months": months, "days": days},
        "main_penalty_completed_on": completed,
        "chapters": list(chapters),
        "additional_penalties": [{"type": t, "completed_on": d} for t, d in additional],
        "other_obligations_completed_on": obligations,
        "new_convictions": [
            {"offence_committed_on": o, "main_penalty_completed_on": c} for o, c in convictions
        ],
    }

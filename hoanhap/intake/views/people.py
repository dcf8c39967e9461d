"""A person's intake page and one view per lifecycle step (HTMX forms on the person pages)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy
from django.views import View

from hoanhap.access.roles import Cap
from hoanhap.access.views_base import ScopedViewMixin
from hoanhap.intake import forms, releases, selectors, services, workflow
from hoanhap.intake.templatetags.intake_tags import person_steps
from hoanhap.intake.views.base import done, page_or_partial, policies, service_call
from hoanhap.people import selectors as people_selectors
from hoanhap.people.models import Person


class PersonIntakeView(ScopedViewMixin, View):
    """Everything intake recorded on one person, with the steps the user may take now."""

    model = Person
    access_capability = Cap.VIEW_JUDGMENTS

    def get(self, request, record_code):
        person = people_selectors.person_get(actor=request.user, key=record_code)
        context = {
            "person": person,
            "history": selectors.person_history(person),
            "facts": releases.release_facts(person),
            "steps": person_steps(request.user, person),
            "open_transfer": selectors.open_transfer(person),
            "policies": policies(),
        }
        return render(request, "intake/person.html", context)


class PersonActionsView(ScopedViewMixin, View):
    """The status and step buttons alone (the partial other pages load with HTMX)."""

    model = Person
    access_capability = Cap.VIEW_JUDGMENTS

    def get(self, request, record_code):
        person = people_selectors.person_get(actor=request.user, key=record_code)
        return render(
            request,
            "intake/partials/_person_actions_body.html",
            {
                "person": person,
                "visible": True,
                "steps": person_steps(request.user, person),
                "open_transfer": selectors.open_transfer(person),
            },
        )


@dataclass(frozen=True)
class StepSpec:
    code: str  # workflow step
    form: type
    title: Any
    success: Any
    perform: Callable[..., Any]
    initial: Callable[[Person], dict] = lambda person: {}


def _release_initial(person: Person) -> dict:
    facts = releases.release_facts(person)
    if facts is None:
        return {}
    return {
        "release_date": facts.release_date,
        "kind": facts.kind,
        "certificate": facts.certificate,
        "probation_ends_on": facts.probation_ends_on,
    }


STEPS: dict[str, StepSpec] = {
    s.code: s
    for s in [
        StepSpec(
            "release_confirm",
            forms.ReleaseForm,
            gettext_lazy("Confirm the release"),
            gettext_lazy("The release has been recorded."),
            lambda actor, person, d, v: services.release_confirm(
                actor=actor,
                person=person,
                release_date=d["release_date"],
                kind=d["kind"],
                certificate=d["certificate"],
                probation_ends_on=d["probation_ends_on"],
                expected_version=v,
            ),
            _release_initial,
        ),
        StepSpec(
            "reception_record",
            forms.ReceptionForm,
            gettext_lazy("Record the reporting at the commune"),
            gettext_lazy(
                "The reception has been recorded; print the HCD-02 and HCD-05 forms from the history."
            ),
            lambda actor, person, d, v: services.reception_record(
                actor=actor, person=person, data=d, expected_version=v
            ),
        ),
        StepSpec(
            "management_enter",
            forms.EnterForm,
            gettext_lazy("Enter management"),
            gettext_lazy("The person is now under management."),
            lambda actor, person, d, v: services.management_enter(
                actor=actor, person=person, entered_on=d["entered_on"], expected_version=v
            ),
        ),
        StepSpec(
            "classify",
            forms.ClassifyForm,
            gettext_lazy("Classify (group A–D)"),
            gettext_lazy("The classification has been recorded."),
            lambda actor, person, d, v: services.classify(
                actor=actor,
                person=person,
                group=d["group"],
                reasons=d["reasons"],
                decided_on=d["decided_on"],
                next_review_on=d["next_review_on"],
                expected_version=v,
            ),
            lambda person: {"group": person.classification},
        ),
        StepSpec(
            "transfer_send",
            forms.TransferForm,
            gettext_lazy("Transfer to another commune"),
            gettext_lazy("The transfer has been sent; the receiving commune must confirm it."),
            lambda actor, person, d, v: services.transfer_send(
                actor=actor,
                person=person,
                to_commune=d["to_commune"],
                to_address=d["to_address"],
                reason=d["reason"],
                sent_on=d["sent_on"],
                expected_version=v,
            ),
        ),
        StepSpec(
            "whereabouts_unknown",
            forms.MissingForm,
            gettext_lazy("Mark whereabouts unknown"),
            gettext_lazy("The person is flagged as whereabouts unknown."),
            lambda actor, person, d, v: services.whereabouts_unknown(
                actor=actor, person=person, noted_on=d["noted_on"], note=d["note"], expected_version=v
            ),
        ),
        StepSpec(
            "found",
            forms.FoundForm,
            gettext_lazy("Mark as found"),
            gettext_lazy("The person is marked as found again."),
            lambda actor, person, d, v: services.found(
                actor=actor, person=person, found_on=d["found_on"], note=d["note"], expected_version=v
            ),
        ),
        StepSpec(
            "management_end",
            forms.EndForm,
            gettext_lazy("End management"),
            gettext_lazy("Management has ended."),
            lambda actor, person, d, v: services.management_end(
                actor=actor,
                person=person,
                ground=d["ground"],
                ended_on=d["ended_on"],
                note=d["note"],
                expected_version=v,
            ),
        ),
    ]
}


class PersonStepView(ScopedViewMixin, View):
    """One lifecycle step on a person: GET shows its form (or why it is not possible now), POST takes it."""

    model = Person
    access_capability = Cap.EDIT_CASEWORK
    step = ""

    def get_person(self, record_code: str) -> Person:
        return people_selectors.person_get(actor=self.request.user, key=record_code, cap=Cap.EDIT_CASEWORK)

    def render(self, form, person, spec):
        allowed = workflow.is_allowed(spec.code, person.status)
        return page_or_partial(
            self.request,
            "intake/step.html",
            "intake/partials/_step_form.html",
            {
                "form": form,
                "person": person,
                "spec": spec,
                "allowed": allowed,
                "status_label": person.get_status_display(),
                "action_url": self.request.path,
                "policies": policies(),
            },
        )

    def get(self, request, record_code):
        person = self.get_person(record_code)
        spec = STEPS[self.step]
        form = spec.form(initial={"version": person.version, **spec.initial(person)})
        return self.render(form, person, spec)

    def post(self, request, record_code):
        person = self.get_person(record_code)
        spec = STEPS[self.step]
        form = spec.form(request.POST)
        if form.is_valid():
            data = dict(form.cleaned_data)
            version = data.pop("version", None)
            ok, _result = service_call(form, spec.perform, request.user, person, data, version)
            if ok:
                return done(request, str(spec.success), _person_page(request, person))
        return self.render(form, person, spec)


def _person_page(request, person: Person) -> str:
    return reverse("intake:person", args=[person.record_code])

"""Case-work pages: the person's case file, one form per record, the lists of people to act on.

Views are glue: fetch through the policy (out of scope → 404), validate with a form, call a service,
render the page or, for an HTMX request, only the form. Who may do what is decided by the services
and the access policy (see ``services`` and ``selectors``).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views import View
from django_htmx.http import HttpResponseClientRedirect

from hoanhap.access import policy
from hoanhap.access.forms import add_service_errors
from hoanhap.access.roles import Cap
from hoanhap.access.views_base import ScopedViewMixin
from hoanhap.audit.lists import ExportView
from hoanhap.casework import exports, forms, policy_settings, selectors, services
from hoanhap.casework.models import Contact, HelperAssignment, Need, PlanAction, PoliceNote, Review
from hoanhap.people import selectors as people_selectors
from hoanhap.people.models import Person

PAGE_SIZE = 50


def _person(request, record_code: str, cap: str) -> Person:
    return people_selectors.person_get(actor=request.user, key=record_code, cap=cap)


def _case_file_url(person: Person) -> str:
    return reverse("casework:case-file", args=[person.record_code])


class CaseFileView(ScopedViewMixin, View):
    """The person's case file: helpers, needs, plan, contacts; police notes and reviews for the police side."""

    model = Person
    access_capability = Cap.VIEW_PEOPLE

    def get(self, request, record_code):
        person = _person(request, record_code, Cap.VIEW_PEOPLE)
        file = selectors.case_file(actor=request.user, person=person)
        dated = selectors.with_visit_dates(Person.objects.filter(pk=person.pk)).get()
        context = {
            "person": person,
            "file": file,
            "can_edit": services.can_edit(request.user, person),
            "can_record": services.can_record_contacts(request.user, person),
            "next_visit_on": selectors.next_visit_on(dated)
            if person.status == Person.Status.IN_MANAGEMENT
            else None,
            "today": file.day,
            "visit_help": forms.visit_help(),
            "review_months": policy_settings.review_months(),
            "user_id": request.user.pk,
        }
        return render(request, "casework/case_file.html", context)


class _FormView(ScopedViewMixin, View):
    """One form on one person's case file: GET shows it, POST calls the service.

    Subclasses name the form, how to find the person (and the row) and the service call.
    """

    title: Any = ""
    success: Any = _("Saved.")
    template = "casework/form.html"
    partial = "casework/partials/_form.html"

    def load(self, request, **kwargs) -> tuple[Person, Any]:
        raise NotImplementedError

    def make_form(self, person: Person, instance: Any, data=None):
        raise NotImplementedError

    def perform(self, form, person: Person, instance: Any) -> Any:
        raise NotImplementedError

    def help_text(self, person: Person) -> str:
        return ""

    def render_form(self, request, form, person, instance, status: int = 200):
        context = {
            "form": form,
            "person": person,
            "instance": instance,
            "title": self.title,
            "action_url": request.get_full_path(),
            "help": self.help_text(person),
        }
        template = self.partial if request.htmx and not request.htmx.boosted else self.template
        return render(request, template, context, status=status)

    def get(self, request, **kwargs):
        person, instance = self.load(request, **kwargs)
        return self.render_form(request, self.make_form(person, instance), person, instance)

    def post(self, request, **kwargs):
        person, instance = self.load(request, **kwargs)
        form = self.make_form(person, instance, data=request.POST)
        if form.is_valid():
            try:
                self.perform(form, person, instance)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, str(self.success))
                url = _case_file_url(person)
                return HttpResponseClientRedirect(url) if request.htmx else redirect(url)
        return self.render_form(request, form, person, instance)


def _data(form) -> tuple[dict[str, Any], int | None]:
    data = dict(form.cleaned_data)
    return data, data.pop("version", None)


# -- helpers ---------------------------------------------------------------------------------------


class HelperCreateView(_FormView):
    model = Person
    access_capability = Cap.EDIT_CASEWORK
    title = _("Assign a helper")
    success = _("The helper has been assigned.")

    def load(self, request, record_code):
        return _person(request, record_code, Cap.EDIT_CASEWORK), None

    def make_form(self, person, instance, data=None):
        return forms.AssignmentForm(data, person=person)

    def perform(self, form, person, instance):
        data, _version = _data(form)
        return services.helper_assign(actor=self.request.user, person=person, data=data)


def _edit_initial(instance, fields) -> dict:
    """A form's initial values for editing ``instance``, with the version it was read at."""
    return {**{name: getattr(instance, name) for name in fields}, "version": instance.version}


class HelperUpdateView(_FormView):
    model = HelperAssignment
    access_capability = Cap.EDIT_CASEWORK
    title = _("Change or end a helper assignment")
    success = _("The helper assignment has been saved.")

    def load(self, request, pk):
        assignment = policy.get_or_404(
            HelperAssignment.objects.select_related("person"), request.user, Cap.EDIT_CASEWORK, pk=pk
        )
        return assignment.person, assignment

    def make_form(self, person, instance, data=None):
        initial = _edit_initial(instance, services.ASSIGNMENT_FIELDS)
        return forms.AssignmentForm(data, person=person, initial=initial)

    def perform(self, form, person, instance):
        data, version = _data(form)
        return services.helper_update(
            actor=self.request.user, assignment=instance, data=data, expected_version=version
        )


# -- needs -----------------------------------------------------------------------------------------


class NeedCreateView(_FormView):
    model = Person
    access_capability = Cap.EDIT_CASEWORK
    title = _("Record a need")
    success = _("The need has been recorded.")

    def load(self, request, record_code):
        return _person(request, record_code, Cap.EDIT_CASEWORK), None

    def make_form(self, person, instance, data=None):
        recorded = set(Need.objects.filter(person=person).values_list("domain", flat=True))
        free = [d for d in Need.Domain.values if d not in recorded]
        initial = {"domain": self.request.GET.get("domain", "")}
        return forms.NeedForm(data, domains=free, initial=initial)

    def perform(self, form, person, instance):
        data, _version = _data(form)
        return services.need_save(actor=self.request.user, person=person, **data)


class NeedUpdateView(_FormView):
    model = Need
    access_capability = Cap.EDIT_CASEWORK
    title = _("Change a need")
    success = _("The need has been saved.")

    def load(self, request, pk):
        need = policy.get_or_404(
            Need.objects.select_related("person"), request.user, Cap.EDIT_CASEWORK, pk=pk
        )
        return need.person, need

    def make_form(self, person, instance, data=None):
        initial = {
            "domain": instance.domain,
            "status": instance.status,
            "description": instance.description,
            "declined_reason": instance.declined_reason,
            "version": instance.version,
        }
        return forms.NeedForm(data, domains=[instance.domain], initial=initial)

    def perform(self, form, person, instance):
        data, version = _data(form)
        data["domain"] = instance.domain
        return services.need_save(actor=self.request.user, person=person, expected_version=version, **data)


# -- plan ------------------------------------------------------------------------------------------


class PlanCreateView(_FormView):
    model = Person
    access_capability = Cap.EDIT_CASEWORK
    title = _("Add a plan action")
    success = _("The action has been added to the plan.")

    def load(self, request, record_code):
        return _person(request, record_code, Cap.EDIT_CASEWORK), None

    def make_form(self, person, instance, data=None):
        return forms.PlanActionForm(data, person=person, initial={"need": self.request.GET.get("need")})

    def help_text(self, person):
        return str(_("Record the person's needs first: each action answers one of them."))

    def perform(self, form, person, instance):
        data, _version = _data(form)
        return services.plan_action_add(actor=self.request.user, person=person, data=data)


class PlanUpdateView(_FormView):
    model = PlanAction
    access_capability = Cap.EDIT_CASEWORK
    title = _("Change a plan action")
    success = _("The action has been saved.")

    def load(self, request, pk):
        action = policy.get_or_404(
            PlanAction.objects.select_related("person"), request.user, Cap.EDIT_CASEWORK, pk=pk
        )
        return action.person, action

    def make_form(self, person, instance, data=None):
        initial = _edit_initial(instance, services.PLAN_FIELDS)
        return forms.PlanActionForm(data, person=person, initial=initial)

    def perform(self, form, person, instance):
        data, version = _data(form)
        return services.plan_action_update(
            actor=self.request.user, action=instance, data=data, expected_version=version
        )


class PlanResultView(_FormView):
    """The result of a plan action: police officers of the area, and the person's helpers."""

    model = PlanAction
    access_capability = Cap.RECORD_CONTACTS
    title = _("Record the result of an action")
    success = _("The result has been recorded.")

    def load(self, request, pk):
        action = policy.get_or_404(
            PlanAction.objects.select_related("person", "need"), request.user, Cap.RECORD_CONTACTS, pk=pk
        )
        return action.person, action

    def help_text(self, person):
        return self.instance_text

    def make_form(self, person, instance, data=None):
        self.instance_text = str(_("{action} — {owner}, due {date}")).format(
            action=instance.description, owner=instance.owner, date=instance.due_on.strftime("%d/%m/%Y")
        )
        initial = {"version": instance.version}
        if instance.status != PlanAction.Status.OPEN:
            initial.update(status=instance.status, result=instance.result, result_on=instance.result_on)
        return forms.PlanResultForm(data, initial=initial)

    def perform(self, form, person, instance):
        data, version = _data(form)
        return services.plan_action_result(
            actor=self.request.user, action=instance, expected_version=version, **data
        )


# -- contacts --------------------------------------------------------------------------------------


class ContactCreateView(_FormView):
    model = Person
    access_capability = Cap.RECORD_CONTACTS
    title = _("Record a contact or visit")
    success = _("The contact has been recorded.")

    def load(self, request, record_code):
        return _person(request, record_code, Cap.RECORD_CONTACTS), None

    def help_text(self, person):
        return forms.visit_help()

    def make_form(self, person, instance, data=None):
        police = services.can_edit(self.request.user, person)
        initial = {"participants": self.request.user.get_full_name() if not police else ""}
        return forms.ContactForm(data, police=police, initial=initial)

    def perform(self, form, person, instance):
        data, _version = _data(form)
        police_note = data.pop("police_note", "")
        return services.contact_record(
            actor=self.request.user, person=person, data=data, police_note=police_note
        )


class ContactUpdateView(_FormView):
    """Correct a contact: police of the area any, a helper those they recorded."""

    model = Contact
    access_capability = Cap.RECORD_CONTACTS
    title = _("Correct a contact")
    success = _("The contact has been saved.")

    def load(self, request, pk):
        contact = policy.get_or_404(
            Contact.objects.select_related("person"), request.user, Cap.RECORD_CONTACTS, pk=pk
        )
        person = contact.person
        if not services.can_edit(request.user, person) and contact.recorded_by_id != request.user.pk:
            raise PermissionDenied
        return person, contact

    def make_form(self, person, instance, data=None):
        initial = _edit_initial(instance, services.CONTACT_FIELDS)
        return forms.ContactForm(data, police=False, initial=initial)

    def perform(self, form, person, instance):
        data, version = _data(form)
        return services.contact_update(
            actor=self.request.user, contact=instance, data=data, expected_version=version
        )


# -- police notes ----------------------------------------------------------------------------------


class PoliceNoteCreateView(_FormView):
    model = Person
    access_capability = Cap.EDIT_CASEWORK
    title = _("Write a police-only note")
    success = _("The police note has been recorded.")

    def load(self, request, record_code):
        return _person(request, record_code, Cap.EDIT_CASEWORK), None

    def help_text(self, person):
        return str(_("Only the police side reads these notes; helpers never see them."))

    def make_form(self, person, instance, data=None):
        return forms.PoliceNoteForm(data)

    def perform(self, form, person, instance):
        data, _version = _data(form)
        return services.police_note_add(actor=self.request.user, person=person, **data)


class PoliceNoteUpdateView(_FormView):
    model = PoliceNote
    access_capability = Cap.EDIT_CASEWORK
    title = _("Change a police-only note")
    success = _("The police note has been saved.")

    def load(self, request, pk):
        note = policy.get_or_404(
            PoliceNote.objects.select_related("person"), request.user, Cap.EDIT_CASEWORK, pk=pk
        )
        return note.person, note

    def make_form(self, person, instance, data=None):
        initial = {"written_on": instance.written_on, "text": instance.text, "version": instance.version}
        return forms.PoliceNoteForm(data, initial=initial)

    def perform(self, form, person, instance):
        data, version = _data(form)
        return services.police_note_update(
            actor=self.request.user, note=instance, expected_version=version, **data
        )


# -- reviews ---------------------------------------------------------------------------------------


class ReviewCreateView(_FormView):
    """The combined review: needs by domain, the plan (shown), the group and the assessment."""

    model = Person
    access_capability = Cap.EDIT_CASEWORK
    title = _("Review needs, plan and classification")
    success = _("The review has been recorded.")
    template = "casework/review_form.html"
    partial = "casework/partials/_review_form.html"

    def load(self, request, record_code):
        return _person(request, record_code, Cap.EDIT_CASEWORK), None

    def make_form(self, person, instance, data=None):
        needs = {n.domain: n for n in Need.objects.filter(person=person)}
        initial = {"group": person.classification, "version": person.version}
        return forms.ReviewForm(data, needs=needs, initial=initial)

    def render_form(self, request, form, person, instance, status: int = 200):
        context = {
            "form": form,
            "person": person,
            "title": self.title,
            "action_url": request.get_full_path(),
            "actions": PlanAction.objects.filter(person=person)
            .select_related("need")
            .order_by("status", "due_on"),
            "review_months": policy_settings.review_months(),
            "allowed": person.status == Person.Status.IN_MANAGEMENT,
        }
        template = self.partial if request.htmx and not request.htmx.boosted else self.template
        return render(request, template, context, status=status)

    def perform(self, form, person, instance):
        data = form.cleaned_data
        return services.review_record(
            actor=self.request.user,
            person=person,
            group=data["group"],
            summary=data["summary"],
            needs=form.needs_data(),
            reviewed_on=data["reviewed_on"],
            expected_version=data.get("version"),
        )


class ReviewDetailView(ScopedViewMixin, View):
    model = Review
    access_capability = Cap.VIEW_JUDGMENTS

    def get(self, request, pk):
        review = policy.get_or_404(
            Review.objects.select_related("person", "classification", "reviewed_by"),
            request.user,
            Cap.VIEW_JUDGMENTS,
            pk=pk,
        )
        domains = dict(Need.Domain.choices)
        statuses = dict(Need.Status.choices)
        needs = [
            {
                **row,
                "domain_label": domains.get(row.get("domain"), row.get("domain")),
                "status_label": statuses.get(row.get("status"), row.get("status")),
            }
            for row in review.needs_snapshot
        ]
        plan_statuses = dict(PlanAction.Status.choices)
        plan = [
            {
                **row,
                "domain_label": domains.get(row.get("need"), row.get("need")),
                "status_label": plan_statuses.get(row.get("status"), row.get("status")),
            }
            for row in review.plan_snapshot
        ]
        return render(
            request,
            "casework/review_detail.html",
            {"review": review, "person": review.person, "needs": needs, "plan": plan},
        )


# -- lists -----------------------------------------------------------------------------------------


class WithoutHelperListView(ScopedViewMixin, View):
    """People under management in the officer's areas with no helper today."""

    access_capability = Cap.EDIT_CASEWORK

    def get(self, request):
        rows = selectors.people_without_helper(actor=request.user)
        page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
        return render(request, "casework/without_helper.html", {"page": page})


class WithoutHelperExportView(ExportView):
    """The list of people without a helper as .xlsx or .csv."""

    access_capability = Cap.EDIT_CASEWORK
    table = exports.WITHOUT_HELPER
    list_url_name = "casework:without-helper"

    def rows(self, request):
        return selectors.people_without_helper(actor=request.user), {}


class MyPeopleView(ScopedViewMixin, View):
    """A helper's own list: the people assigned to them today, with the next contact due."""

    access_capability = Cap.VIEW_ASSIGNED

    def get(self, request):
        return render(
            request,
            "casework/my_people.html",
            {"rows": selectors.my_people(actor=request.user), "visit_help": forms.visit_help()},
        )


class MyPeopleExportView(ExportView):
    """A helper's own list as .xlsx or .csv: the same rows as the page (the people assigned today)."""

    access_capability = Cap.VIEW_ASSIGNED
    table = exports.MY_PEOPLE
    list_url_name = "casework:my-people"

    def rows(self, request):
        return selectors.my_people(actor=request.user), {}

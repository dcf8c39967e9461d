"""Pages of a person's judgments and releases, and of the offence catalogue (and its export).

Reading needs ``view_judgments`` and writing ``edit_people``, each on the person's area (404 outside);
helpers hold neither. Views are glue: selectors read, services write, forms only parse. Opening a
person's judgments, a judgment or a release is a sensitive read and goes to the audit log.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from hoanhap.access.roles import Cap
from hoanhap.access.views_base import ScopedViewMixin
from hoanhap.audit import services as audit
from hoanhap.audit.lists import ExportView, querystring
from hoanhap.justice import exports, selectors, services
from hoanhap.justice import record_forms as rf
from hoanhap.justice.models import Judgment, Offence, Release
from hoanhap.justice.rules.tables import CHAPTERS
from hoanhap.people.models import Person

PURPOSE = "casework"  # the purpose recorded with a sensitive read from these pages


class PersonJudgmentsView(ScopedViewMixin, TemplateView):
    """A person's judgments and releases, and the expungement of their record worked out from them."""

    model = Person
    access_capability = Cap.VIEW_JUDGMENTS
    template_name = "justice/person_judgments.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        person = selectors.person_get(actor=self.request.user, record_code=self.kwargs["record_code"])
        audit.record_view(person, purpose=PURPOSE, what="judgments")
        context.update(
            person=person,
            justice=selectors.person_justice(person),
            can_edit=selectors.can_edit(self.request.user, person),
        )
        return context


class JudgmentDetailView(ScopedViewMixin, TemplateView):
    model = Judgment
    access_capability = Cap.VIEW_JUDGMENTS
    template_name = "justice/judgment_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        judgment = selectors.judgment_get(actor=self.request.user, pk=self.kwargs["pk"])
        audit.record_view(judgment, purpose=PURPOSE)
        judgments = selectors.load_judgments(judgment.person)
        judgment = next(j for j in judgments if j.pk == judgment.pk)  # with its lines prefetched
        context.update(
            judgment=judgment,
            person=judgment.person,
            recidivism=selectors.judgment_recidivism(judgment, judgments=judgments),
            completion=selectors.main_penalty_completion(judgment),
            can_edit=selectors.can_edit(self.request.user, judgment.person),
        )
        return context


class JudgmentFormMixin(ScopedViewMixin):
    """The judgment form with its three groups of rows; the subclass says which service saves."""

    access_capability = Cap.EDIT_PEOPLE
    template_name = "justice/judgment_form.html"

    def build(self, data=None, *, initial=None, lines=None):
        choices = rf.catalogue_choices()
        form = rf.JudgmentForm(data, initial=initial)
        formsets = {}
        for group, (prefix, formset_class, _form, _template) in rf.GROUPS.items():
            kwargs = {"form_kwargs": {"offence_choices": choices}} if group == "offences" else {}
            formsets[group] = formset_class(
                data, prefix=prefix, initial=None if data is not None else (lines or {}).get(group), **kwargs
            )
        return form, formsets

    def render_form(self, form, formsets, **extra):
        context = {"form": form, "formsets": formsets, "person": self.person, **extra}
        return render(self.request, self.template_name, context)

    def post(self, request, *args, **kwargs):
        self.load()
        form, formsets = self.build(request.POST)
        valid = [form.is_valid()] + [
            all(f.is_valid() for f in rf.filled_forms(fs)) for fs in formsets.values()
        ]
        if all(valid):
            rows = {group: [f.row() for f in rf.filled_forms(fs)] for group, fs in formsets.items()}
            try:
                judgment = self.save(form, rows)
            except ValidationError as exc:
                rf.add_service_errors(form, formsets, exc)
            else:
                messages.success(request, _("The judgment has been saved."))
                return redirect("justice:judgment-detail", pk=judgment.pk)
        return self.render_form(form, formsets, object=getattr(self, "object", None))


class JudgmentCreateView(JudgmentFormMixin, View):
    model = Person

    def load(self):
        self.person = selectors.person_get(
            actor=self.request.user, record_code=self.kwargs["record_code"], cap=Cap.EDIT_PEOPLE
        )

    def get(self, request, *args, **kwargs):
        self.load()
        form, formsets = self.build(initial={"main_penalty_type": "imprisonment", "is_final": True})
        return self.render_form(form, formsets)

    def save(self, form, rows):
        return services.judgment_create(
            actor=self.request.user,
            person=self.person,
            data=form.service_data(),
            offences=rows["offences"],
            additional_penalties=rows["additional_penalties"],
            obligations=rows["obligations"],
        )


class JudgmentUpdateView(JudgmentFormMixin, View):
    model = Judgment

    def load(self):
        self.object = selectors.judgment_get(
            actor=self.request.user, pk=self.kwargs["pk"], cap=Cap.EDIT_PEOPLE
        )
        self.person = self.object.person

    def get(self, request, *args, **kwargs):
        self.load()
        judgment = self.object
        lines = {
            "offences": [
                {
                    "id": line.pk,
                    "offence": line.offence_id,
                    "clause": line.clause,
                    "severity": line.severity,
                    "intent": line.intent,
                }
                for line in judgment.offences.all()
            ],
            "additional_penalties": [
                {name: getattr(line, name) for name in ("id", *services.ADDITIONAL_FIELDS)}
                for line in judgment.additional_penalties.all()
            ],
            "obligations": [
                {name: getattr(line, name) for name in ("id", *services.OBLIGATION_FIELDS)}
                for line in judgment.obligations.all()
            ],
        }
        form, formsets = self.build(initial=rf.JudgmentForm.initial_from(judgment), lines=lines)
        return self.render_form(form, formsets, object=judgment)

    def save(self, form, rows):
        return services.judgment_update(
            actor=self.request.user,
            judgment=self.object,
            data=form.service_data(),
            offences=rows["offences"],
            additional_penalties=rows["additional_penalties"],
            obligations=rows["obligations"],
            version=form.cleaned_data.get("version"),
        )


class JudgmentRowView(ScopedViewMixin, View):
    """One more empty row of a group (?row=offence|additional|obligation), with its TOTAL_FORMS raised."""

    access_capability = Cap.EDIT_PEOPLE

    def get(self, request):
        prefix = request.GET.get("row")
        if prefix not in rf.PREFIXES:
            return HttpResponseBadRequest()
        _prefix, _formset, form_class, template = rf.GROUPS[rf.PREFIXES[prefix]]
        try:
            index = min(max(int(request.GET.get(f"{prefix}-TOTAL_FORMS", 0)), 0), rf.MAX_ROWS)
        except ValueError:
            index = 0
        kwargs = {"offence_choices": rf.catalogue_choices()} if prefix == "offence" else {}
        form = form_class(prefix=f"{prefix}-{index}", **kwargs)
        return render(request, template, {"form": form, "prefix": prefix, "total": index + 1, "oob": True})


class ReleaseDetailView(ScopedViewMixin, TemplateView):
    model = Release
    access_capability = Cap.VIEW_JUDGMENTS
    template_name = "justice/release_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        release = selectors.release_get(actor=self.request.user, pk=self.kwargs["pk"])
        audit.record_view(release, purpose=PURPOSE)
        context.update(
            release=release,
            person=release.person,
            can_edit=selectors.can_edit(self.request.user, release.person),
        )
        return context


class ReleaseFormMixin(ScopedViewMixin):
    access_capability = Cap.EDIT_PEOPLE
    template_name = "justice/release_form.html"

    def build(self, data=None, *, initial=None):
        judgments = [
            j for j in Judgment.objects.filter(person=self.person).order_by("judgment_date") if j.is_custodial
        ]
        return rf.ReleaseForm(
            data, initial=initial, judgments=judgments, facilities=selectors.facility_choices()
        )

    def render_form(self, form):
        context = {
            "form": form,
            "person": self.person,
            "object": getattr(self, "object", None),
            "has_judgments": len(form.fields["judgment"].choices) > 1,
        }
        return render(self.request, self.template_name, context)

    def post(self, request, *args, **kwargs):
        self.load()
        form = self.build(request.POST)
        if form.is_valid():
            try:
                release = self.save(form)
            except ValidationError as exc:
                rf.add_service_errors(form, {}, exc)
            else:
                messages.success(request, _("The release has been saved."))
                return redirect("justice:release-detail", pk=release.pk)
        return self.render_form(form)


class ReleaseCreateView(ReleaseFormMixin, View):
    model = Person

    def load(self):
        self.person = selectors.person_get(
            actor=self.request.user, record_code=self.kwargs["record_code"], cap=Cap.EDIT_PEOPLE
        )

    def get(self, request, *args, **kwargs):
        self.load()
        initial = {"kind": Release.Kind.COMPLETED_TERM}
        return self.render_form(self.build(initial=initial))

    def save(self, form):
        return services.release_record(actor=self.request.user, person=self.person, data=form.service_data())


class ReleaseUpdateView(ReleaseFormMixin, View):
    model = Release

    def load(self):
        self.object = selectors.release_get(
            actor=self.request.user, pk=self.kwargs["pk"], cap=Cap.EDIT_PEOPLE
        )
        self.person = self.object.person

    def get(self, request, *args, **kwargs):
        self.load()
        return self.render_form(self.build(initial=rf.ReleaseForm.initial_from(self.object)))

    def save(self, form):
        return services.release_update(
            actor=self.request.user,
            release=self.object,
            data=form.service_data(),
            version=form.cleaned_data.get("version"),
        )


def _filtered_offences(request):
    """The catalogue rows for the search words and chapter (0: all), as the list and its export read
    them, with those two filters."""
    query = request.GET.get("q", "").strip()
    try:
        chapter = int(request.GET.get("chapter") or 0)
    except ValueError:
        chapter = 0
    chapter = chapter if chapter in CHAPTERS else 0
    offences = selectors.offence_search(query=query, chapter=chapter or None, active_only=False)
    return offences, query, chapter


class OffenceListView(ScopedViewMixin, TemplateView):
    """The offence catalogue, searched by article number or words of the name (HTMX: results only)."""

    access_capability = Cap.VIEW_JUDGMENTS

    def get_template_names(self):
        if self.request.htmx and not self.request.htmx.boosted:
            return ["justice/partials/_offence_results.html"]
        return ["justice/offence_list.html"]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        offences, query, chapter = _filtered_offences(self.request)
        context.update(
            query=query,
            chapter=chapter,
            chapters=[(number, roman, name) for number, (roman, name) in CHAPTERS.items()],
            offences=offences,
            querystring=querystring(self.request),
        )
        return context


class OffenceExportView(ExportView):
    """The offence catalogue as .xlsx or .csv, with the list's search and chapter."""

    access_capability = Cap.VIEW_JUDGMENTS
    table = exports.OFFENCES
    list_url_name = "justice:offence-list"

    def rows(self, request):
        offences, query, chapter = _filtered_offences(request)
        return offences, {"q": query, "chapter": chapter or ""}


class OffenceOptionsView(ScopedViewMixin, View):
    """The <option>s of the offence select matching ?q= (the searchable select of the judgment form)."""

    access_capability = Cap.VIEW_JUDGMENTS

    def get(self, request):
        offences: list[Offence] = list(selectors.offence_search(query=request.GET.get("q", "")))
        groups = rf.catalogue_choices(offences)[1:]  # without the blank choice, which the template writes
        only = offences[0].pk if len(offences) == 1 else None
        return render(request, "justice/partials/_offence_options.html", {"groups": groups, "selected": only})

"""People pages: search list, person page, create/edit, residence, relatives, dossier PDF, merge.

Thin glue: each view names its capability, reads through ``selectors`` (scoped, 404 outside the
user's areas) and writes through ``services``.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from hoanhap.access import policy
from hoanhap.access import selectors as access_selectors
from hoanhap.access.forms import add_service_errors
from hoanhap.access.roles import Cap
from hoanhap.access.views_base import ScopedViewMixin, SignedInViewMixin
from hoanhap.audit import services as audit
from hoanhap.audit.lists import ExportView, querystring
from hoanhap.people import exports, panels, selectors, services
from hoanhap.people.forms import MergeForm, PersonFilterForm, PersonForm, RelativeForm, ResidenceForm
from hoanhap.people.models import Person, Relative

TOKENS_KEY = "people_form_tokens"


def view_purpose(actor) -> str:
    """The purpose recorded with a view of a person's page: casework for police, help for the others."""
    return "casework" if policy.has_cap(actor, Cap.EDIT_CASEWORK) else "help and support"


class PersonListView(ScopedViewMixin, View):
    """The one-box search with filters; HTMX requests get the results only."""

    access_capability = Cap.VIEW_PEOPLE

    def get(self, request):
        form = PersonFilterForm(request.GET or None, actor=request.user)
        filters = form.filters() if form.is_bound else selectors.PersonFilters()
        q = form.cleaned_data.get("q", "") if form.is_bound and form.is_valid() else ""
        try:
            offset = max(int(request.GET.get("offset", 0)), 0)
        except ValueError:
            offset = 0
        page = selectors.person_search(actor=request.user, q=q, filters=filters, offset=offset)
        context = {
            "form": form,
            "page": page,
            "q": q,
            "can_create": policy.has_cap(request.user, Cap.EDIT_PEOPLE),
            "can_merge": selectors.can_merge(request.user),
            "query": {k: v for k, v in request.GET.items() if k != "offset" and v},
            "querystring": querystring(request, drop=("offset",)),
        }
        template = "people/person_list.html"
        if request.htmx and not request.htmx.boosted:
            template = "people/partials/_person_results.html"
        return render(request, template, context)


class PersonExportView(ExportView):
    """The people list as .xlsx or .csv: every row matching the search and filters, in list order."""

    access_capability = Cap.VIEW_PEOPLE
    table = exports.PEOPLE
    list_url_name = "people:person-list"

    def rows(self, request):
        form = PersonFilterForm(request.GET or None, actor=request.user)
        filters = form.filters() if form.is_bound else selectors.PersonFilters()
        q = form.cleaned_data.get("q", "") if form.is_bound and form.is_valid() else ""
        page = selectors.person_search(actor=request.user, q=q, filters=filters, limit=exports.EXPORT_LIMIT)
        applied = {k: v for k, v in request.GET.items() if k != "offset" and v}
        return page.people, applied


class PersonDetailView(ScopedViewMixin, View):
    """Key facts and flags, relatives, residence history, then the timeline; the view is audited."""

    model = Person
    access_capability = Cap.VIEW_PEOPLE

    def get(self, request, record_code):
        person = selectors.person_get(actor=request.user, key=record_code)
        audit.record_view(person, purpose=view_purpose(request.user), what="person page")
        duplicates = selectors.probable_duplicates(
            full_name=person.full_name,
            birth_year=person.birth_year,
            province=person.province_id,
            commune=person.commune_id,
            exclude=person.pk,
            actor=request.user,
        )
        context = {
            "person": person,
            "relatives": selectors.relatives_of(person),
            "residences": selectors.residences_of(person),
            "timeline": selectors.timeline_of(person, actor=request.user),
            "sees_judgments": selectors.sees_judgments(request.user, person),
            "panels": panels.panels_for(request, person),
            "duplicates": duplicates,
            "can_edit": selectors.can_edit(request.user, person),
            "can_merge": selectors.can_merge(request.user),
        }
        return render(request, "people/person_detail.html", context)


def _remember_token(request, token: str, code: str) -> None:
    tokens = request.session.get(TOKENS_KEY, {})
    tokens[token] = code
    request.session[TOKENS_KEY] = dict(list(tokens.items())[-20:])


class PersonCreateView(ScopedViewMixin, View):
    """Register a person. A repeated submission of the same form opens the person already created."""

    access_capability = Cap.EDIT_PEOPLE
    template_name = "people/person_form.html"

    def get(self, request):
        return render(request, self.template_name, {"form": PersonForm(actor=request.user)})

    def post(self, request):
        form = PersonForm(request.POST, request.FILES, actor=request.user)
        token = request.POST.get("form_token", "")
        done = request.session.get(TOKENS_KEY, {}).get(token) if token else None
        if done:
            return redirect("people:person-detail", record_code=done)
        duplicates = []
        if form.is_valid():
            try:
                result = services.person_create(
                    actor=request.user,
                    data=form.service_data(),
                    confirm_duplicates=form.cleaned_data.get("confirm_duplicates", False),
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            except PermissionDenied as exc:
                form.add_error("commune", str(exc))
            else:
                if result.person is not None:
                    if token:
                        _remember_token(request, token, result.person.record_code)
                    messages.success(
                        request, _("Record {code} opened.").format(code=result.person.record_code)
                    )
                    return redirect(result.person.get_absolute_url())
                duplicates = result.duplicates
        return render(request, self.template_name, {"form": form, "duplicates": duplicates}, status=200)


class _PersonEditMixin(ScopedViewMixin):
    model = Person
    access_capability = Cap.EDIT_PEOPLE

    def person(self):
        return selectors.person_get(
            actor=self.request.user, key=self.kwargs["record_code"], cap=Cap.EDIT_PEOPLE
        )


class PersonUpdateView(_PersonEditMixin, View):
    template_name = "people/person_form.html"

    def get(self, request, record_code):
        person = self.person()
        form = PersonForm(initial=PersonForm.initial_from(person), actor=request.user, editing=True)
        return render(request, self.template_name, {"form": form, "object": person})

    def post(self, request, record_code):
        person = self.person()
        form = PersonForm(request.POST, request.FILES, actor=request.user, editing=True)
        if form.is_valid():
            try:
                person = services.person_update(
                    actor=request.user,
                    person=person,
                    data=form.service_data(),
                    expected_version=form.cleaned_data.get("version"),
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            except PermissionDenied as exc:
                form.add_error("commune", str(exc))
            else:
                messages.success(request, _("The record has been saved."))
                return redirect(person.get_absolute_url())
        return render(request, self.template_name, {"form": form, "object": person})


class PersonResidenceView(_PersonEditMixin, View):
    template_name = "people/residence_form.html"

    def get(self, request, record_code):
        person = self.person()
        form = ResidenceForm(initial={"province": person.province_id}, actor=request.user)
        return render(request, self.template_name, {"form": form, "object": person})

    def post(self, request, record_code):
        person = self.person()
        form = ResidenceForm(request.POST, actor=request.user)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.person_change_residence(
                    actor=request.user,
                    person=person,
                    province=data["province"].pk,
                    commune=data["commune"].pk if data["commune"] else None,
                    address=data["address"],
                    from_date=data["from_date"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            except PermissionDenied as exc:
                form.add_error("commune", str(exc))
            else:
                messages.success(request, _("The change of residence has been recorded."))
                if selectors.in_scope(request.user, Person.objects.get(pk=person.pk)):
                    return redirect(person.get_absolute_url())
                return redirect("people:person-list")
        return render(request, self.template_name, {"form": form, "object": person})


class RelativeCreateView(_PersonEditMixin, View):
    template_name = "people/relative_form.html"

    def get(self, request, record_code):
        return render(request, self.template_name, {"form": RelativeForm(), "object": self.person()})

    def post(self, request, record_code):
        person = self.person()
        form = RelativeForm(request.POST)
        if form.is_valid():
            try:
                services.relative_add(actor=request.user, person=person, data=form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                return redirect(person.get_absolute_url() + "#relatives")
        return render(request, self.template_name, {"form": form, "object": person})


class _RelativeMixin(ScopedViewMixin):
    model = Relative
    access_capability = Cap.EDIT_PEOPLE

    def relative(self) -> Relative:
        return policy.get_or_404(
            Relative.objects.select_related("person"),
            self.request.user,
            Cap.EDIT_PEOPLE,
            pk=self.kwargs["pk"],
        )


class RelativeUpdateView(_RelativeMixin, View):
    template_name = "people/relative_form.html"

    def get(self, request, pk):
        relative = self.relative()
        return render(
            request,
            self.template_name,
            {"form": RelativeForm(instance=relative), "object": relative.person, "relative": relative},
        )

    def post(self, request, pk):
        relative = self.relative()
        form = RelativeForm(request.POST, instance=Relative.objects.get(pk=relative.pk))
        if form.is_valid():
            try:
                services.relative_update(actor=request.user, relative=relative, data=form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                return redirect(relative.person.get_absolute_url() + "#relatives")
        return render(
            request, self.template_name, {"form": form, "object": relative.person, "relative": relative}
        )


class RelativeDeleteView(_RelativeMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk):
        relative = self.relative()
        person = relative.person
        services.relative_delete(actor=request.user, relative=relative)
        messages.success(request, _("The relative has been removed."))
        return redirect(person.get_absolute_url() + "#relatives")


class PersonDossierView(ScopedViewMixin, View):
    """A printable PDF of the person's record (audited as a view with purpose "print dossier")."""

    model = Person
    access_capability = Cap.VIEW_PEOPLE

    def get(self, request, record_code):
        from hoanhap.people.dossier import render_dossier

        person = selectors.person_get(actor=request.user, key=record_code)
        audit.record_view(person, purpose="print dossier", what="dossier")
        pdf = render_dossier(person, request=request)
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="ho-so-{person.record_code}.pdf"'
        return response


class PersonMergeView(ScopedViewMixin, View):
    """System administrators merge two records: compare first, then confirm.

    ``manage_catalogues`` is held by system administrators only; the service checks again that the
    actor edits people everywhere.
    """

    access_capability = Cap.MANAGE_CATALOGUES
    template_name = "people/person_merge.html"

    def _pair(self, form):
        people = {}
        for key in ("keep", "remove"):
            try:
                people[key] = selectors.person_get(
                    actor=self.request.user, key=form.cleaned_data[key].strip()
                )
            except Http404:
                form.add_error(key, _("No record has this code."))
        return people

    def get(self, request):
        form = MergeForm(request.GET or None)
        people = self._pair(form) if form.is_bound and form.is_valid() else {}
        return render(request, self.template_name, {"form": form, **people})

    def post(self, request):
        form = MergeForm(request.POST)
        people = self._pair(form) if form.is_valid() else {}
        if len(people) == 2 and form.cleaned_data.get("confirm"):
            try:
                keep = services.person_merge(keep=people["keep"], remove=people["remove"], actor=request.user)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The records have been merged."))
                return redirect(keep.get_absolute_url())
        elif len(people) == 2:
            form.add_error("confirm", _("Tick the box to confirm the merge."))
        return render(request, self.template_name, {"form": form, **people})


class CommuneOptionsView(SignedInViewMixin, View):
    """<option>s of the communes of a province where the user edits people (dependent select)."""

    def get(self, request):
        try:
            province = int(request.GET.get("province") or 0)
        except ValueError:
            province = 0
        communes = access_selectors.commune_choices(
            actor=request.user, cap=Cap.EDIT_PEOPLE, province=province
        )
        return render(request, "people/partials/_commune_options.html", {"communes": communes})

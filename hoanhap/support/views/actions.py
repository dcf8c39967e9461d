"""Support actions: the list with filters and totals, the form (HTMX), the detail, evidence, job follow-ups."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from hoanhap.access import policy
from hoanhap.access.forms import add_service_errors
from hoanhap.access.roles import Cap
from hoanhap.access.views_base import ScopedViewMixin
from hoanhap.audit import services as audit
from hoanhap.geo.models import Commune, Province
from hoanhap.people import selectors as people_selectors
from hoanhap.support import exports, selectors, services
from hoanhap.support.forms import ActionForm, EvidenceForm, FollowUpForm
from hoanhap.support.models import SupportAction, SupportEvidence
from hoanhap.support.views.base import ExportView, done, page_or_partial, paginate, querystring


def _filter_choices(actor) -> dict:
    """Kinds, sources, and the provinces/communes of the actor's areas for the filter selects."""
    from hoanhap.access import selectors as access_selectors

    provinces = access_selectors.province_choices(actor=actor, cap=Cap.VIEW_PEOPLE)
    return {
        "kinds": selectors.kind_list(),
        "sources": selectors.source_list(),
        "provinces": provinces if provinces.count() <= 40 else Province.objects.none(),
    }


def _communes(actor, province: int | None):
    from hoanhap.access import selectors as access_selectors

    scope = policy.scope_for(actor, Cap.VIEW_PEOPLE)
    if province is None and not scope.everything and len(scope.provinces) == 1:
        province = next(iter(scope.provinces))
    if province is None and scope.communes and not scope.provinces:
        return Commune.objects.filter(code__in=scope.communes).order_by("name")
    return access_selectors.commune_choices(actor=actor, cap=Cap.VIEW_PEOPLE, province=province)


class ActionListView(ScopedViewMixin, View):
    """Support given, filtered by kind, source, period and unit, with the totals of what is filtered."""

    access_capability = Cap.VIEW_PEOPLE

    def get(self, request):
        filters = selectors.ActionFilters.from_data(request.GET)
        rows = selectors.action_list(actor=request.user, filters=filters)
        page = paginate(request, rows)
        context = {
            "page": page,
            "actions": page.object_list,
            "filters": filters,
            "totals": selectors.totals(rows),
            "querystring": querystring(request),
            "communes": _communes(request.user, filters.province),
            "can_record": selectors.can_record_any(request.user),
            **_filter_choices(request.user),
        }
        return page_or_partial(
            request, "support/action_list.html", "support/partials/_action_results.html", context
        )


class ActionExportView(ExportView):
    access_capability = Cap.VIEW_PEOPLE
    table = exports.ACTIONS
    list_url_name = "support:action-list"

    def rows(self, request):
        filters = selectors.ActionFilters.from_data(request.GET)
        return selectors.action_list(actor=request.user, filters=filters), filters.as_dict()


def _beneficiary(request):
    """The person or the child named in the query string, within what the actor may record for (404 otherwise)."""
    key = (request.GET.get("person") or request.POST.get("person_code") or "").strip()
    child_id = (request.GET.get("child") or "").strip()
    if child_id.isdigit():
        child = selectors.child_get(actor=request.user, pk=int(child_id))
        if not selectors.can_edit_child(request.user, child):
            raise Http404
        return None, child
    if key:
        person = people_selectors.person_get(actor=request.user, key=key)
        if not selectors.can_record_for_person(request.user, person):
            raise Http404
        return person, None
    return None, None


class ActionCreateView(ScopedViewMixin, View):
    """Record support for a person (or one of their relatives) or a child; without one, ask whom."""

    access_capability = Cap.RECORD_CONTACTS

    def render(self, form, person, child, status=200):
        return page_or_partial(
            self.request,
            "support/action_form.html",
            "support/partials/_action_form.html",
            {"form": form, "person": person, "child": child, "action": None},
            status=status,
        )

    def get(self, request):
        person, child = _beneficiary(request)
        if person is None and child is None:
            return render(request, "support/choose_beneficiary.html", {"next": "support:action-create"})
        kind = selectors.kind_list(active_only=True).filter(code=request.GET.get("kind", "")).first()
        initial = {"given_on": selectors.today(), "quantity": 1}
        if kind is not None:
            initial.update(kind=kind, value_basis="estimate" if kind.value_basis == "estimate" else "cash")
        form = ActionForm(actor=request.user, person=person, initial=initial)
        return self.render(form, person, child)

    def post(self, request):
        person, child = _beneficiary(request)
        if person is None and child is None:
            raise Http404
        form = ActionForm(request.POST, request.FILES, actor=request.user, person=person)
        if form.is_valid():
            data = form.service_data()
            data.update(person=person, child=child)
            try:
                action = services.action_record(actor=request.user, data=data)
                if form.cleaned_data.get("evidence"):
                    services.evidence_add(
                        actor=request.user, action=action, file=form.cleaned_data["evidence"]
                    )
            except ValidationError as exc:
                add_service_errors(form, exc)
            except PermissionDenied as exc:
                raise Http404 from exc
            else:
                return done(request, _("Support recorded."), action.get_absolute_url())
        return self.render(form, person, child, status=400)


class ActionDetailView(ScopedViewMixin, View):
    model = SupportAction
    access_capability = Cap.VIEW_PEOPLE

    def get(self, request, pk):
        action = selectors.action_get(actor=request.user, pk=pk)
        can_edit = selectors.can_edit_action(request.user, action)
        follows_job = bool(action.kind.tracks_employment and action.job_start_on and action.person_id)
        context = {
            "action": action,
            "evidence": action.evidence.all(),
            "can_edit": can_edit,
            "follow_up_form": FollowUpForm() if can_edit and follows_job else None,
            "evidence_form": EvidenceForm() if can_edit else None,
            "referral": _referral(request.user, action),
        }
        return render(request, "support/action_detail.html", context)


def _referral(actor, action: SupportAction):
    """The policy-bank referral behind a loan, for readers of the judicial side only."""
    if action.person_id is None or not people_selectors.sees_judgments(actor, action.person):
        return None
    return getattr(action, "referral", None)


def _editable(request, pk) -> SupportAction:
    action = selectors.action_get(actor=request.user, pk=pk)
    if not selectors.can_edit_action(request.user, action):
        raise Http404
    return action


class ActionEditView(ScopedViewMixin, View):
    model = SupportAction
    access_capability = Cap.RECORD_CONTACTS

    def render(self, form, action, status=200):
        return page_or_partial(
            self.request,
            "support/action_form.html",
            "support/partials/_action_form.html",
            {"form": form, "person": action.person, "child": action.child, "action": action},
            status=status,
        )

    def get(self, request, pk):
        action = _editable(request, pk)
        initial = {f: getattr(action, f) for f in services.ACTION_FIELDS} | {"version": action.version}
        return self.render(ActionForm(actor=request.user, editing=True, initial=initial), action)

    def post(self, request, pk):
        action = _editable(request, pk)
        form = ActionForm(request.POST, actor=request.user, editing=True)
        if form.is_valid():
            try:
                services.action_update(
                    actor=request.user,
                    action=action,
                    data=form.service_data(),
                    expected_version=form.cleaned_data.get("version"),
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                return done(request, _("Support corrected."), action.get_absolute_url())
        return self.render(form, action, status=400)


class ActionFollowUpView(ScopedViewMixin, View):
    """POST: still employed after 3, 6 or 12 months?"""

    model = SupportAction
    access_capability = Cap.RECORD_CONTACTS

    def post(self, request, pk):
        action = _editable(request, pk)
        form = FollowUpForm(request.POST)
        if form.is_valid():
            try:
                services.action_follow_up(
                    actor=request.user,
                    action=action,
                    months=form.cleaned_data["months"],
                    employed=form.cleaned_data["employed"],
                )
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(request, _("Follow-up recorded."))
        return redirect(action.get_absolute_url())


class EvidenceAddView(ScopedViewMixin, View):
    model = SupportAction
    access_capability = Cap.RECORD_CONTACTS

    def post(self, request, pk):
        action = _editable(request, pk)
        form = EvidenceForm(request.POST, request.FILES)
        if form.is_valid():
            services.evidence_add(
                actor=request.user,
                action=action,
                file=form.cleaned_data["file"],
                description=form.cleaned_data["description"],
            )
            messages.success(request, _("Evidence added."))
        else:
            messages.error(request, _("Choose a file."))
        return redirect(action.get_absolute_url())


class EvidenceDownloadView(ScopedViewMixin, View):
    """One evidence file, for whoever may read its support action (the read is audited)."""

    model = SupportEvidence
    access_capability = Cap.VIEW_PEOPLE

    def get(self, request, pk):
        evidence = SupportEvidence.objects.filter(pk=pk).select_related("action").first()
        if evidence is None:
            raise Http404
        selectors.action_get(actor=request.user, pk=evidence.action_id)  # 404 outside the reader's scope
        audit.record_view(evidence, purpose=_("evidence of a support action"), what="evidence file")
        try:
            handle = evidence.file.open("rb")
        except (FileNotFoundError, ValueError) as exc:
            raise Http404 from exc
        return FileResponse(handle, as_attachment=True, filename=evidence.file.name.rsplit("/", 1)[-1])

"""Import pages: list, upload, column mapping, preview with decisions, commit, progress, result, undo;
the lists of imports and of residences to choose as .xlsx/.csv; and the export of a whole province or
commune as a background job.

Views are glue: selectors give scoped rows (404 outside the user's areas), services do the work, and
the long steps (checking, importing) run on the worker with the batch page polling its progress.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from hoanhap.access.roles import Cap
from hoanhap.access.views_base import ScopedViewMixin
from hoanhap.audit.lists import ExportView
from hoanhap.imports import list_tables, report, selectors, services
from hoanhap.imports.exporting import services as exporting
from hoanhap.imports.forms import CommitForm, DecisionForm, ResidenceForm, ScopeExportForm, UploadForm
from hoanhap.imports.models import ImportBatch, ResidenceChoice, StagedRow
from hoanhap.imports.reading import specs
from hoanhap.imports.reading.specs import header_key
from hoanhap.jobs.models import Job

PAGE_SIZE = 100
CHOICES_SHOWN = 500  # the residences-to-choose page lists (and exports) the oldest this many


def _error_text(exc: ValidationError) -> str:
    return " ".join(exc.messages)


class ImportView(ScopedViewMixin, View):
    access_capability = Cap.EDIT_PEOPLE


class BatchListView(ImportView):
    def get(self, request):
        page = Paginator(selectors.batch_list(actor=request.user), 50).get_page(request.GET.get("page"))
        return render(request, "imports/batch_list.html", {"page": page, "batches": page.object_list})


class BatchExportView(ExportView):
    """The import list as .xlsx or .csv: every import of the user's areas, as the list shows them."""

    access_capability = ImportView.access_capability
    table = list_tables.BATCHES
    list_url_name = "imports:batch-list"

    def rows(self, request):
        return selectors.batch_list(actor=request.user), {}


class BatchUploadView(ImportView):
    def get(self, request):
        return render(request, "imports/batch_upload.html", {"form": UploadForm()})

    def post(self, request):
        form = UploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            kind = form.cleaned_data["kind"]
            try:
                batch = services.batch_create(
                    actor=request.user, file=upload, file_name=upload.name, kinds=[kind] if kind else []
                )
                services.batch_stage_start(batch, actor=request.user)
                return redirect(batch.get_absolute_url())
            except ValidationError as exc:
                form.add_error("file", _error_text(exc))
        return render(request, "imports/batch_upload.html", {"form": form}, status=400)


class BatchDetailView(ImportView):
    """Progress while busy; the preview (errors, warnings, decisions) and the commit choice when
    checked; the result with the report and the undo once applied."""

    model = ImportBatch

    def get(self, request, pk):
        batch = selectors.batch_get(actor=request.user, pk=pk)
        if request.htmx and request.GET.get("poll"):
            response = render(request, "imports/partials/_progress.html", {"batch": batch})
            if not batch.is_busy:
                response["HX-Refresh"] = "true"
            return response
        only = request.GET.get("only", "")
        page = Paginator(selectors.rows_of(batch, only=only), PAGE_SIZE).get_page(request.GET.get("page"))
        context = {
            "batch": batch,
            "page": page,
            "rows": page.object_list,
            "only": only,
            "commit_form": CommitForm(initial={"commit": "valid" if batch.failed else "all"}),
            "actions": StagedRow.Action,
            "filters": [
                ("", _("All")),
                ("problems", _("Errors and warnings")),
                (StagedRow.Action.ERROR, _("Errors")),
                (StagedRow.Action.CREATE, _("To create")),
                (StagedRow.Action.UPDATE, _("To update")),
                (StagedRow.Action.SKIP, _("Unchanged")),
            ],
        }
        template = "imports/partials/_rows.html" if request.htmx else "imports/batch_detail.html"
        return render(request, template, context)


class BatchMappingView(ImportView):
    """The columns of each kind as guessed (or remembered); saving re-checks the file."""

    model = ImportBatch

    def _kinds(self, batch):
        kinds = []
        for kind in batch.kinds:
            info = (batch.headers or {}).get(kind) or {}
            spec = specs.get_kind(kind)
            kinds.append(
                {
                    "code": kind,
                    "sheet": info.get("sheet", ""),
                    "columns": [{**c, "key": header_key(c["header"])} for c in info.get("columns", [])],
                    "choices": [(c.code, c.header) for c in spec.columns],
                }
            )
        return kinds

    def get(self, request, pk):
        batch = selectors.batch_get(actor=request.user, pk=pk)
        return render(request, "imports/batch_mapping.html", {"batch": batch, "kinds": self._kinds(batch)})

    def post(self, request, pk):
        batch = selectors.batch_get(actor=request.user, pk=pk)
        try:
            for kind in self._kinds(batch):
                mapping = {
                    c["key"]: request.POST.get(f"{kind['code']}:{c['key']}", "") for c in kind["columns"]
                }
                services.mapping_save(actor=request.user, batch=batch, kind=kind["code"], mapping=mapping)
            services.batch_stage_start(batch, actor=request.user)
        except ValidationError as exc:
            messages.error(request, _error_text(exc))
            return redirect("imports:batch-mapping", pk=batch.pk)
        return redirect(batch.get_absolute_url())


class RowDecideView(ImportView):
    """A decision on a probable duplicate or a split commune; the row is tried again at once."""

    model = StagedRow

    def post(self, request, pk):
        row = selectors.row_get(actor=request.user, pk=pk)
        form = DecisionForm(request.POST)
        try:
            if not form.is_valid():
                raise ValidationError(_("Check the decision."))
            services.row_decide(
                actor=request.user,
                row=row,
                decision=form.cleaned_data["decision"] or "",
                person=form.cleaned_data["person"],
                commune=form.cleaned_data["commune"],
            )
            services.batch_retry_rows(row.batch, actor=request.user)
        except ValidationError as exc:
            messages.error(request, _error_text(exc))
        if request.htmx:
            row.refresh_from_db()
            return render(
                request,
                "imports/partials/_row.html",
                {"row": row, "batch": row.batch, "actions": StagedRow.Action},
            )
        return redirect(row.batch.get_absolute_url())


class BatchCommitView(ImportView):
    model = ImportBatch

    def post(self, request, pk):
        batch = selectors.batch_get(actor=request.user, pk=pk)
        form = CommitForm(request.POST)
        try:
            if not form.is_valid():
                raise ValidationError(_("Choose which rows to import."))
            services.batch_commit_start(batch, actor=request.user, commit=form.cleaned_data["commit"])
        except ValidationError as exc:
            messages.error(request, _error_text(exc))
        return redirect(batch.get_absolute_url())


class BatchUndoView(ImportView):
    model = ImportBatch

    def post(self, request, pk):
        batch = selectors.batch_get(actor=request.user, pk=pk)
        try:
            services.batch_undo_start(batch, actor=request.user)
        except ValidationError as exc:
            messages.error(request, _error_text(exc))
        return redirect(batch.get_absolute_url())


class BatchReportView(ImportView):
    """The result (or the preview) as an Excel workbook with an error column."""

    model = ImportBatch

    def get(self, request, pk):
        batch = selectors.batch_get(actor=request.user, pk=pk)
        response = HttpResponse(
            report.workbook_bytes(batch),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="{report.filename(batch)}"'
        return response


def _residence_choices(request):
    """The open residence choices of the user's areas that the list shows (and exports)."""
    return selectors.residence_choices(actor=request.user)[:CHOICES_SHOWN]


class ResidenceChoiceListView(ImportView):
    def get(self, request):
        return render(request, "imports/residence_list.html", {"choices": _residence_choices(request)})


class ResidenceChoiceExportView(ExportView):
    """The residences to choose as .xlsx or .csv: the same rows as their page."""

    access_capability = ImportView.access_capability
    table = list_tables.RESIDENCE_CHOICES
    list_url_name = "imports:residence-list"

    def rows(self, request):
        return _residence_choices(request), {}


class ResidenceChooseView(ImportView):
    model = ResidenceChoice

    def _render(self, request, choice, form, status=200):
        return render(
            request, "imports/residence_choose.html", {"choice": choice, "form": form}, status=status
        )

    def get(self, request, pk):
        choice = selectors.residence_choice_get(actor=request.user, pk=pk)
        candidates = choice.candidates.select_related("commune")
        return self._render(request, choice, ResidenceForm(candidates=candidates))

    def post(self, request, pk):
        choice = selectors.residence_choice_get(actor=request.user, pk=pk)
        candidates = choice.candidates.select_related("commune")
        form = ResidenceForm(request.POST, candidates=candidates)
        if form.is_valid():
            try:
                services.residence_choose(
                    actor=request.user, choice=choice, commune=form.cleaned_data["commune"]
                )
                messages.success(request, _("The commune of residence was recorded."))
                return redirect(choice.person.get_absolute_url())
            except (ValidationError, PermissionDenied) as exc:
                form.add_error("commune", " ".join(getattr(exc, "messages", [str(exc)])))
        return self._render(request, choice, form, status=400)


# -- export of a whole province or commune ------------------------------------------------------------


class ScopeExportView(ScopedViewMixin, View):
    """Choose one of one's areas, the sheets and the purpose; the export runs on the worker."""

    access_capability = Cap.VIEW_JUDGMENTS

    def _render(self, request, form, status=200):
        context = {"form": form, "exports": exporting.export_jobs_of(request.user)}
        return render(request, "imports/export.html", context, status=status)

    def get(self, request):
        return self._render(request, ScopeExportForm(choices=exporting.export_scope_choices(request.user)))

    def post(self, request):
        form = ScopeExportForm(request.POST, choices=exporting.export_scope_choices(request.user))
        if form.is_valid():
            try:
                job = exporting.export_start(
                    request.user,
                    scope=form.cleaned_data["scope"],
                    purpose=form.cleaned_data["purpose"],
                    with_details=form.cleaned_data["with_details"],
                )
            except ValidationError as exc:
                errors = exc.message_dict if hasattr(exc, "error_dict") else {None: exc.messages}
                for field, messages_ in errors.items():
                    form.add_error(field if field in form.fields else None, messages_)
            else:
                return redirect("imports:export-job", pk=job.pk)
        return self._render(request, form, status=400)


class ScopeExportJobView(ScopedViewMixin, View):
    """The export's progress (the partial alone when HTMX polls it), then its download link."""

    model = Job
    access_capability = Cap.VIEW_JUDGMENTS

    def get(self, request, pk):
        job = exporting.export_job_get(user=request.user, pk=pk)
        template = "imports/partials/_export_job.html" if request.htmx else "imports/export_job.html"
        return render(request, template, {"job": job})


class ScopeExportDownloadView(ScopedViewMixin, View):
    """The exported workbook, for whoever may follow the job; each download is audited."""

    model = Job
    access_capability = Cap.VIEW_JUDGMENTS

    def get(self, request, pk):
        job = exporting.export_job_get(user=request.user, pk=pk)
        if job.status != Job.Status.DONE or not job.result_file:
            raise Http404
        exporting.export_record_download(job)
        return FileResponse(job.result_file.open("rb"), as_attachment=True, filename=job.result_name)

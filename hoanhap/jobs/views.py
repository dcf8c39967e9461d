"""Job pages: my jobs and their export, one job's progress (polled with HTMX) and its result file."""

from django.http import FileResponse, Http404
from django.views.generic import ListView, TemplateView, View

from hoanhap.access.views_base import SignedInViewMixin
from hoanhap.audit.lists import ExportView
from hoanhap.jobs import exports, selectors, services
from hoanhap.jobs.models import Job


class JobListView(SignedInViewMixin, ListView):
    template_name = "jobs/job_list.html"
    context_object_name = "jobs"
    paginate_by = 50

    def get_queryset(self):
        return selectors.job_list(user=self.request.user)


class JobExportView(ExportView):
    """The job list as .xlsx or .csv: the same rows as the page (one's own jobs; all for a system
    administrator)."""

    access_capability = SignedInViewMixin.access_capability  # like the list: any signed-in user
    table = exports.JOBS
    list_url_name = "jobs:job-list"

    def rows(self, request):
        return selectors.job_list(user=request.user), {}


class JobDetailView(SignedInViewMixin, TemplateView):
    model = Job
    template_name = "jobs/job_detail.html"

    def get_template_names(self):
        if self.request.htmx:
            return ["jobs/partials/_progress.html"]
        return [self.template_name]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["job"] = selectors.job_get(user=self.request.user, pk=self.kwargs["pk"])
        return context


class JobDownloadView(SignedInViewMixin, View):
    model = Job

    def get(self, request, pk):
        job = selectors.job_get(user=request.user, pk=pk)
        if job.status != Job.Status.DONE or not job.result_file:
            raise Http404
        services.record_download(job)
        return FileResponse(job.result_file.open("rb"), as_attachment=True, filename=job.result_name)

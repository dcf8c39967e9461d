"""Read-only API for one's own background jobs (status, progress, result link)."""

from django.urls import reverse
from rest_framework import serializers, viewsets

from hoanhap.access.views_base import ScopedAPIMixin
from hoanhap.jobs import selectors
from hoanhap.jobs.models import Job


class JobSerializer(serializers.ModelSerializer):
    percent = serializers.IntegerField(read_only=True)
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Job
        fields = [
            "id",
            "kind",
            "title",
            "status",
            "progress_done",
            "progress_total",
            "percent",
            "message",
            "result_name",
            "download_url",
            "created_at",
            "finished_at",
        ]

    def get_download_url(self, job: Job) -> str | None:
        if job.status == Job.Status.DONE and job.result_file:
            return reverse("jobs:job-download", args=[job.pk])
        return None


class JobViewSet(ScopedAPIMixin, viewsets.ReadOnlyModelViewSet):
    access_capability = "signed_in"
    serializer_class = JobSerializer
    queryset = Job.objects.none()
    model = Job

    def get_queryset(self):
        return selectors.job_list(user=self.request.user)

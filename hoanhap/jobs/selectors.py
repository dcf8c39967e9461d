"""Which jobs a user may see: their own (a system administrator sees all)."""

from django.db.models import QuerySet
from django.http import Http404

from hoanhap.access import policy
from hoanhap.access.roles import Cap
from hoanhap.jobs.models import Job


def job_list(*, user) -> QuerySet[Job]:
    jobs = Job.objects.select_related("user")
    if policy.scope_for(user, Cap.MANAGE_CATALOGUES).everything:
        return jobs
    return jobs.filter(user=user)


def job_get(*, user, pk: int) -> Job:
    try:
        return job_list(user=user).get(pk=pk)
    except Job.DoesNotExist as exc:
        raise Http404 from exc

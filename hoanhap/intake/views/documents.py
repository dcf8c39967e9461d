"""Printable forms: HCD-03 for a notice, HCD-02 and HCD-05 for a reception; PDF or Word.

Printing puts personal data on paper: each print is an audit entry with its form and format.
"""

from __future__ import annotations

from django.http import HttpResponse
from django.views import View

from hoanhap.access.roles import Cap
from hoanhap.access.views_base import ScopedViewMixin
from hoanhap.audit import services as audit
from hoanhap.intake import documents, selectors
from hoanhap.intake.models import Reception, ReleaseNotice


def _response(rendered: documents.Rendered) -> HttpResponse:
    response = HttpResponse(rendered.content, content_type=rendered.content_type)
    response["Content-Disposition"] = f'attachment; filename="{rendered.filename}"'
    return response


class _DocumentView(ScopedViewMixin, View):
    access_capability = Cap.VIEW_JUDGMENTS
    form = ""
    fmt = documents.PDF

    def printed(self, target, person) -> None:
        audit.record(
            "intake.document.printed",
            target=target,
            purpose="print",
            data={"form": documents.FORMS[self.form], "format": self.fmt, "person": person.record_code},
        )


class NoticeDocumentView(_DocumentView):
    model = ReleaseNotice
    form = "hcd03"

    def get(self, request, pk):
        notice = selectors.notice_get(actor=request.user, pk=pk)
        rendered = documents.render(
            self.form, documents.notice_fields(notice), self.fmt, name=notice.person.record_code
        )
        self.printed(notice, notice.person)
        return _response(rendered)


class ReceptionDocumentView(_DocumentView):
    model = Reception
    form = "hcd02"

    def get(self, request, pk):
        reception = selectors.reception_get(actor=request.user, pk=pk)
        rendered = documents.render(
            self.form, documents.reception_fields(reception), self.fmt, name=reception.person.record_code
        )
        self.printed(reception, reception.person)
        return _response(rendered)

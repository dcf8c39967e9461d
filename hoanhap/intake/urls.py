"""Intake pages under /intake/ (see docs/intake.md for what each one does)."""

from django.urls import path, re_path

from hoanhap.intake.views import calendar, documents, notices, people, today, transfers

app_name = "intake"

CODE = r"(?P<record_code>\d{2,3}-\d{1,9})"


def _doc(view, form: str, fmt: str):
    return view.as_view(form=form, fmt=fmt)


urlpatterns = [
    path("today/", today.TodayView.as_view(), name="today"),
    # Working-day calendar (administrators).
    path("calendar/", calendar.CalendarView.as_view(), name="calendar"),
    path("calendar/new/", calendar.CalendarDayFormView.as_view(), name="calendar-day-create"),
    path("calendar/<int:pk>/edit/", calendar.CalendarDayUpdateView.as_view(), name="calendar-day-update"),
    path("calendar/<int:pk>/delete/", calendar.CalendarDayDeleteView.as_view(), name="calendar-day-delete"),
    # Release notices, as the communes see them.
    path("notices/", notices.NoticeListView.as_view(), name="notice-list"),
    path("notices/new/", notices.NoticeCreateView.as_view(), name="notice-create"),
    path("notices/export/", notices.NoticeExportView.as_view(), name="notice-export"),
    path("notices/bulk/", notices.NoticeBulkView.as_view(), name="notice-bulk"),
    path("notices/<int:pk>/", notices.NoticeDetailView.as_view(), name="notice-detail"),
    path("notices/<int:pk>/verify/", notices.NoticeVerifyView.as_view(), name="notice-verify"),
    path(
        "notices/<int:pk>/hcd-03.pdf",
        _doc(documents.NoticeDocumentView, "hcd03", "pdf"),
        name="notice-hcd03-pdf",
    ),
    path(
        "notices/<int:pk>/hcd-03.docx",
        _doc(documents.NoticeDocumentView, "hcd03", "docx"),
        name="notice-hcd03-docx",
    ),
    # Release notices, as a detention facility sends them.
    path("facility/notices/", notices.FacilityNoticeListView.as_view(), name="facility-notice-list"),
    path("facility/notices/new/", notices.FacilityNoticeCreateView.as_view(), name="facility-notice-create"),
    path("facility/notices/bulk/", notices.FacilityNoticeBulkView.as_view(), name="facility-notice-bulk"),
    path(
        "facility/notices/<int:pk>/",
        notices.FacilityNoticeDetailView.as_view(),
        name="facility-notice-detail",
    ),
    # A person's lifecycle.
    re_path(rf"^people/{CODE}/$", people.PersonIntakeView.as_view(), name="person"),
    re_path(rf"^people/{CODE}/actions/$", people.PersonActionsView.as_view(), name="person-actions"),
    re_path(
        rf"^people/{CODE}/release/$",
        people.PersonStepView.as_view(step="release_confirm"),
        name="person-release",
    ),
    re_path(
        rf"^people/{CODE}/reception/$",
        people.PersonStepView.as_view(step="reception_record"),
        name="person-reception",
    ),
    re_path(
        rf"^people/{CODE}/enter/$",
        people.PersonStepView.as_view(step="management_enter"),
        name="person-enter",
    ),
    re_path(
        rf"^people/{CODE}/classify/$", people.PersonStepView.as_view(step="classify"), name="person-classify"
    ),
    re_path(
        rf"^people/{CODE}/transfer/$",
        people.PersonStepView.as_view(step="transfer_send"),
        name="person-transfer",
    ),
    re_path(
        rf"^people/{CODE}/missing/$",
        people.PersonStepView.as_view(step="whereabouts_unknown"),
        name="person-missing",
    ),
    re_path(rf"^people/{CODE}/found/$", people.PersonStepView.as_view(step="found"), name="person-found"),
    re_path(
        rf"^people/{CODE}/end/$", people.PersonStepView.as_view(step="management_end"), name="person-end"
    ),
    # Reception forms.
    path(
        "receptions/<int:pk>/hcd-02.pdf",
        _doc(documents.ReceptionDocumentView, "hcd02", "pdf"),
        name="reception-hcd02-pdf",
    ),
    path(
        "receptions/<int:pk>/hcd-02.docx",
        _doc(documents.ReceptionDocumentView, "hcd02", "docx"),
        name="reception-hcd02-docx",
    ),
    path(
        "receptions/<int:pk>/hcd-05.pdf",
        _doc(documents.ReceptionDocumentView, "hcd05", "pdf"),
        name="reception-hcd05-pdf",
    ),
    path(
        "receptions/<int:pk>/hcd-05.docx",
        _doc(documents.ReceptionDocumentView, "hcd05", "docx"),
        name="reception-hcd05-docx",
    ),
    # Transfers.
    path("transfers/", transfers.TransferListView.as_view(), name="transfer-list"),
    path("transfers/export/", transfers.TransferExportView.as_view(), name="transfer-export"),
    path("transfers/<int:pk>/", transfers.TransferDetailView.as_view(), name="transfer-detail"),
    path("transfers/<int:pk>/confirm/", transfers.TransferConfirmView.as_view(), name="transfer-confirm"),
    path("transfers/<int:pk>/return/", transfers.TransferReturnView.as_view(), name="transfer-return"),
]

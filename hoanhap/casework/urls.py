"""Case-work pages under /casework/ (see docs/casework.md)."""

from django.urls import path, re_path

from hoanhap.casework import views

app_name = "casework"

CODE = r"(?P<record_code>\d{2,3}-\d{1,9})"

urlpatterns = [
    path("without-helper/", views.WithoutHelperListView.as_view(), name="without-helper"),
    path("without-helper/export/", views.WithoutHelperExportView.as_view(), name="without-helper-export"),
    path("my-people/", views.MyPeopleView.as_view(), name="my-people"),
    path("my-people/export/", views.MyPeopleExportView.as_view(), name="my-people-export"),
    # A person's case file and what is added to it.
    re_path(rf"^people/{CODE}/$", views.CaseFileView.as_view(), name="case-file"),
    re_path(rf"^people/{CODE}/helpers/new/$", views.HelperCreateView.as_view(), name="helper-create"),
    re_path(rf"^people/{CODE}/needs/new/$", views.NeedCreateView.as_view(), name="need-create"),
    re_path(rf"^people/{CODE}/plan/new/$", views.PlanCreateView.as_view(), name="plan-create"),
    re_path(rf"^people/{CODE}/contacts/new/$", views.ContactCreateView.as_view(), name="contact-create"),
    re_path(
        rf"^people/{CODE}/police-notes/new/$", views.PoliceNoteCreateView.as_view(), name="police-note-create"
    ),
    re_path(rf"^people/{CODE}/review/$", views.ReviewCreateView.as_view(), name="review-create"),
    # One record.
    path("helpers/<int:pk>/edit/", views.HelperUpdateView.as_view(), name="helper-update"),
    path("needs/<int:pk>/edit/", views.NeedUpdateView.as_view(), name="need-update"),
    path("plan/<int:pk>/edit/", views.PlanUpdateView.as_view(), name="plan-update"),
    path("plan/<int:pk>/result/", views.PlanResultView.as_view(), name="plan-result"),
    path("contacts/<int:pk>/edit/", views.ContactUpdateView.as_view(), name="contact-update"),
    path("police-notes/<int:pk>/edit/", views.PoliceNoteUpdateView.as_view(), name="police-note-update"),
    path("reviews/<int:pk>/", views.ReviewDetailView.as_view(), name="review-detail"),
]

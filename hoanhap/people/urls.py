from django.urls import path, re_path

from hoanhap.people import views

app_name = "people"

CODE = r"(?P<record_code>\d{2,3}-\d{1,9})"

urlpatterns = [
    path("", views.PersonListView.as_view(), name="person-list"),
    path("new/", views.PersonCreateView.as_view(), name="person-create"),
    path("export/", views.PersonExportView.as_view(), name="person-export"),
    path("merge/", views.PersonMergeView.as_view(), name="person-merge"),
    path("units/communes/", views.CommuneOptionsView.as_view(), name="commune-options"),
    re_path(rf"^{CODE}/$", views.PersonDetailView.as_view(), name="person-detail"),
    re_path(rf"^{CODE}/edit/$", views.PersonUpdateView.as_view(), name="person-update"),
    re_path(rf"^{CODE}/residence/$", views.PersonResidenceView.as_view(), name="person-residence"),
    re_path(rf"^{CODE}/dossier\.pdf$", views.PersonDossierView.as_view(), name="person-dossier"),
    re_path(rf"^{CODE}/relatives/new/$", views.RelativeCreateView.as_view(), name="relative-create"),
    path("relatives/<int:pk>/edit/", views.RelativeUpdateView.as_view(), name="relative-update"),
    path("relatives/<int:pk>/delete/", views.RelativeDeleteView.as_view(), name="relative-delete"),
]

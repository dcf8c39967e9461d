from django.urls import path

from hoanhap.jobs import views

app_name = "jobs"
urlpatterns = [
    path("", views.JobListView.as_view(), name="job-list"),
    path("export/", views.JobExportView.as_view(), name="job-export"),
    path("<int:pk>/", views.JobDetailView.as_view(), name="job-detail"),
    path("<int:pk>/download/", views.JobDownloadView.as_view(), name="job-download"),
]

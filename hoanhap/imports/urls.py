"""Pages of the imports app (docs/import.md)."""

from django.urls import path

from hoanhap.imports import views

app_name = "imports"

urlpatterns = [
    path("", views.BatchListView.as_view(), name="batch-list"),
    path("batches/export/", views.BatchExportView.as_view(), name="batch-export"),
    path("new/", views.BatchUploadView.as_view(), name="batch-upload"),
    path("<int:pk>/", views.BatchDetailView.as_view(), name="batch-detail"),
    path("<int:pk>/mapping/", views.BatchMappingView.as_view(), name="batch-mapping"),
    path("<int:pk>/commit/", views.BatchCommitView.as_view(), name="batch-commit"),
    path("<int:pk>/undo/", views.BatchUndoView.as_view(), name="batch-undo"),
    path("<int:pk>/report.xlsx", views.BatchReportView.as_view(), name="batch-report"),
    path("rows/<int:pk>/decide/", views.RowDecideView.as_view(), name="row-decide"),
    path("residences/", views.ResidenceChoiceListView.as_view(), name="residence-list"),
    path("residences/export/", views.ResidenceChoiceExportView.as_view(), name="residence-export"),
    path("residences/<int:pk>/", views.ResidenceChooseView.as_view(), name="residence-choose"),
    path("export/", views.ScopeExportView.as_view(), name="export"),
    path("export/<int:pk>/", views.ScopeExportJobView.as_view(), name="export-job"),
    path("export/<int:pk>/download/", views.ScopeExportDownloadView.as_view(), name="export-download"),
]

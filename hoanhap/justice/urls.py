from django.urls import path, re_path

from hoanhap.justice import record_views, views

app_name = "justice"

CODE = r"(?P<record_code>\d{2,3}-\d{1,9})"  # a person's record code, as in the people URLs

urlpatterns = [
    path("calculator/", views.CalculatorView.as_view(), name="calculator"),
    path("offences/", record_views.OffenceListView.as_view(), name="offence-list"),
    path("offences/export/", record_views.OffenceExportView.as_view(), name="offence-export"),
    path("offences/options/", record_views.OffenceOptionsView.as_view(), name="offence-options"),
    re_path(rf"^people/{CODE}/$", record_views.PersonJudgmentsView.as_view(), name="person-judgments"),
    re_path(
        rf"^people/{CODE}/judgments/new/$", record_views.JudgmentCreateView.as_view(), name="judgment-create"
    ),
    re_path(
        rf"^people/{CODE}/releases/new/$", record_views.ReleaseCreateView.as_view(), name="release-create"
    ),
    path("judgments/row/", record_views.JudgmentRowView.as_view(), name="judgment-row"),
    path("judgments/<int:pk>/", record_views.JudgmentDetailView.as_view(), name="judgment-detail"),
    path("judgments/<int:pk>/edit/", record_views.JudgmentUpdateView.as_view(), name="judgment-update"),
    path("releases/<int:pk>/", record_views.ReleaseDetailView.as_view(), name="release-detail"),
    path("releases/<int:pk>/edit/", record_views.ReleaseUpdateView.as_view(), name="release-update"),
]

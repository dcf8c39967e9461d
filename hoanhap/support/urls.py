"""Pages of the support app."""

from django.urls import path

from hoanhap.support.views import actions, catalogue, children, form01, referrals

app_name = "support"

urlpatterns = [
    path("", actions.ActionListView.as_view(), name="action-list"),
    path("export/", actions.ActionExportView.as_view(), name="action-export"),
    path("actions/new/", actions.ActionCreateView.as_view(), name="action-create"),
    path("actions/<int:pk>/", actions.ActionDetailView.as_view(), name="action-detail"),
    path("actions/<int:pk>/edit/", actions.ActionEditView.as_view(), name="action-edit"),
    path("actions/<int:pk>/follow-up/", actions.ActionFollowUpView.as_view(), name="action-follow-up"),
    path("actions/<int:pk>/evidence/", actions.EvidenceAddView.as_view(), name="evidence-add"),
    path("evidence/<int:pk>/", actions.EvidenceDownloadView.as_view(), name="evidence-download"),
    path("children/", children.ChildListView.as_view(), name="child-list"),
    path("children/export/", children.ChildExportView.as_view(), name="child-export"),
    path("children/new/", children.ChildFormView.as_view(), name="child-create"),
    path("children/<int:pk>/", children.ChildDetailView.as_view(), name="child-detail"),
    path("children/<int:pk>/edit/", children.ChildEditView.as_view(), name="child-edit"),
    path("referrals/", referrals.ReferralListView.as_view(), name="referral-list"),
    path("referrals/export/", referrals.ReferralExportView.as_view(), name="referral-export"),
    path("referrals/new/", referrals.ReferralCreateView.as_view(), name="referral-create"),
    path("referrals/<int:pk>/", referrals.ReferralDetailView.as_view(), name="referral-detail"),
    path("referrals/<int:pk>/decision/", referrals.ReferralDecideView.as_view(), name="referral-decide"),
    path("referrals/<int:pk>/repaid/", referrals.ReferralRepaidView.as_view(), name="referral-repaid"),
    path("form01/", form01.Form01ListView.as_view(), name="form01-list"),
    path("form01/export/", form01.Form01ExportView.as_view(), name="form01-export"),
    path("form01/generate/", form01.Form01GenerateView.as_view(), name="form01-generate"),
    path("form01/<int:pk>/", form01.Form01DetailView.as_view(), name="form01-detail"),
    path("form01/<int:pk>/certify/", form01.Form01CertifyView.as_view(), name="form01-certify"),
    path("form01/<int:pk>/print.pdf", form01.Form01PrintView.as_view(), {"fmt": "pdf"}, name="form01-pdf"),
    path("form01/<int:pk>/print.docx", form01.Form01PrintView.as_view(), {"fmt": "docx"}, name="form01-docx"),
    path("form01/entries/<int:pk>/", form01.Form01EntryView.as_view(), name="form01-entry"),
    path("catalogue/kinds/", catalogue.KindListView.as_view(), name="kind-list"),
    path("catalogue/kinds/export/", catalogue.KindExportView.as_view(), name="kind-export"),
    path("catalogue/kinds/new/", catalogue.KindFormView.as_view(), name="kind-create"),
    path("catalogue/kinds/<int:pk>/", catalogue.KindFormView.as_view(), name="kind-edit"),
    path("catalogue/sources/", catalogue.SourceListView.as_view(), name="source-list"),
    path("catalogue/sources/export/", catalogue.SourceExportView.as_view(), name="source-export"),
    path("catalogue/sources/new/", catalogue.SourceFormView.as_view(), name="source-create"),
    path("catalogue/sources/<int:pk>/", catalogue.SourceFormView.as_view(), name="source-edit"),
]

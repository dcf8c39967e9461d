from django.urls import path

from hoanhap.access.views import accounts, organisations, signin

app_name = "access"
urlpatterns = [
    # Signing in and the account holder's own settings.
    path("login/", signin.SignInView.as_view(), name="login"),
    path("logout/", signin.SignOutView.as_view(), name="logout"),
    path("password/", signin.PasswordChangeView.as_view(), name="password-change"),
    path("otp/setup/", signin.TwoFactorSetupView.as_view(), name="otp-setup"),
    path("otp/verify/", signin.TwoFactorVerifyView.as_view(), name="otp-verify"),
    path("tokens/", signin.ApiTokenView.as_view(), name="tokens"),
    # Organisations.
    path("organisations/", organisations.OrganisationListView.as_view(), name="organisation-list"),
    path("organisations/export/", organisations.OrganisationExportView.as_view(), name="organisation-export"),
    path("organisations/new/", organisations.OrganisationCreateView.as_view(), name="organisation-create"),
    path(
        "organisations/<int:pk>/", organisations.OrganisationDetailView.as_view(), name="organisation-detail"
    ),
    path(
        "organisations/<int:pk>/edit/",
        organisations.OrganisationUpdateView.as_view(),
        name="organisation-update",
    ),
    path("units/communes/", organisations.CommuneOptionsView.as_view(), name="commune-options"),
    # Accounts and role grants.
    path("users/", accounts.UserListView.as_view(), name="user-list"),
    path("users/export/", accounts.UserExportView.as_view(), name="user-export"),
    path("users/new/", accounts.UserCreateView.as_view(), name="user-create"),
    path("users/<int:pk>/", accounts.UserDetailView.as_view(), name="user-detail"),
    path("users/<int:pk>/edit/", accounts.UserUpdateView.as_view(), name="user-update"),
    path("users/<int:pk>/deactivate/", accounts.UserDeactivateView.as_view(), name="user-deactivate"),
    path("users/<int:pk>/reactivate/", accounts.UserReactivateView.as_view(), name="user-reactivate"),
    path("users/<int:pk>/password/", accounts.PasswordResetView.as_view(), name="user-password-reset"),
    path(
        "users/<int:pk>/two-factor/reset/",
        accounts.TwoFactorResetView.as_view(),
        name="user-two-factor-reset",
    ),
    path("users/<int:pk>/grants/new/", accounts.RoleGrantView.as_view(), name="role-grant"),
    path("grants/<int:pk>/end/", accounts.RoleEndView.as_view(), name="role-end"),
]

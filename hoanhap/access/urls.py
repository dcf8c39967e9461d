from django.contrib.auth import views as auth_views
from django.urls import path

from hoanhap.core.views import HomeView

app_name = "access"
# TEMPORARY skeleton: replaced by the access pages.
urlpatterns = [
    path("login/", auth_views.LoginView.as_view(template_name="access/login.html"), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", HomeView.as_view(), name="password-change"),
    path("otp/setup/", HomeView.as_view(), name="otp-setup"),
    path("otp/verify/", HomeView.as_view(), name="otp-verify"),
    path("tokens/", HomeView.as_view(), name="tokens"),
    path("organisations/", HomeView.as_view(), name="organisation-list"),
    path("users/", HomeView.as_view(), name="user-list"),
]

from django.contrib.auth import views as auth_views
from django.urls import path

from khuyencong.accounts.forms import LoginForm, StyledPasswordChangeForm

# Templates are named explicitly (accounts/…): Django admin ships registration/ templates of
# its own that would otherwise be picked up depending on the app order.
urlpatterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(
            template_name="accounts/login.html",
            authentication_form=LoginForm,
            redirect_authenticated_user=True,
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password/",
        auth_views.PasswordChangeView.as_view(
            template_name="accounts/password_change_form.html",
            form_class=StyledPasswordChangeForm,
        ),
        name="password_change",
    ),
    path(
        "password/done/",
        auth_views.PasswordChangeDoneView.as_view(
            template_name="accounts/password_change_done.html"
        ),
        name="password_change_done",
    ),
]

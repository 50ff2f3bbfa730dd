from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm

from khuyencong.core.forms import StyledFormMixin


class LoginForm(StyledFormMixin, AuthenticationForm):
    pass


class StyledPasswordChangeForm(StyledFormMixin, PasswordChangeForm):
    pass

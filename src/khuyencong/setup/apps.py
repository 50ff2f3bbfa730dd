from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SetupConfig(AppConfig):
    name = "khuyencong.setup"
    verbose_name = _("Province set-up")

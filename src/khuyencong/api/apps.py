from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "khuyencong.api"
    verbose_name = _("REST API")

    def ready(self) -> None:
        from khuyencong.api import signals  # noqa: F401  (signal receivers)

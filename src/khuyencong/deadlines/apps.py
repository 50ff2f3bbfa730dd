from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeadlinesConfig(AppConfig):
    name = "khuyencong.deadlines"
    verbose_name = _("Deadlines")

    def ready(self) -> None:
        from khuyencong.core import panels
        from khuyencong.deadlines import views

        panels.register_home_panel(views.home_panel)

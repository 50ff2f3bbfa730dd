from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
    name = "khuyencong.dashboard"
    verbose_name = _("Dashboard")

    def ready(self) -> None:
        from khuyencong.beneficiaries import panels
        from khuyencong.dashboard.support_history import panel

        panels.register("support_history", panel, order=10)

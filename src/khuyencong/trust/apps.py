from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrustConfig(AppConfig):
    name = "khuyencong.trust"
    verbose_name = _("Audit and security")

    def ready(self) -> None:
        from khuyencong.trust import recording, twofactor  # noqa: F401  (signal receivers)

        recording.connect_delete_receivers()

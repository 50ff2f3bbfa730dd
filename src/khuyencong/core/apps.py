from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "khuyencong.core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from khuyencong.core.choices import saved

        post_save.connect(saved, dispatch_uid="core-reference-choices")

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "khuyencong.core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_migrate, post_save

        from khuyencong.core.choices import migrated, reference_changed

        post_migrate.connect(migrated, dispatch_uid="core-reference-choices-migrate")
        post_save.connect(reference_changed, dispatch_uid="core-reference-choices")
        post_delete.connect(reference_changed, dispatch_uid="core-reference-choices-delete")

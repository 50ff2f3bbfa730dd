from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "khuyencong.core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from django.db.backends.signals import connection_created
        from django.db.models.signals import post_delete, post_migrate, post_save

        from khuyencong.core.choices import migrated, reference_changed
        from khuyencong.core.filemodes import private_sqlite_files

        post_migrate.connect(migrated, dispatch_uid="core-reference-choices-migrate")
        post_save.connect(reference_changed, dispatch_uid="core-reference-choices")
        post_delete.connect(reference_changed, dispatch_uid="core-reference-choices-delete")
        connection_created.connect(private_sqlite_files, dispatch_uid="core-private-sqlite")

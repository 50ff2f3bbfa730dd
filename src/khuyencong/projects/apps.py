from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _fill_missing_states(sender: AppConfig, using: str = "default", **kwargs: object) -> None:
    """Projects loaded before the state cache existed (or by raw loads) get their row; every
    plan tally is rewritten."""
    from khuyencong.projects.services import fill_missing_states, refresh_all_tallies

    if using == "default":
        fill_missing_states()
        refresh_all_tallies()


class ProjectsConfig(AppConfig):
    name = "khuyencong.projects"
    verbose_name = _("Projects")

    def ready(self) -> None:
        post_migrate.connect(_fill_missing_states, sender=self)

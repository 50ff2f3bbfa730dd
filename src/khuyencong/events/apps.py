from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "khuyencong.events"
    verbose_name = _("Training conferences and trade fairs")

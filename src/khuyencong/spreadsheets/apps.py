from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SpreadsheetsConfig(AppConfig):
    name = "khuyencong.spreadsheets"
    verbose_name = _("Spreadsheet import and export")

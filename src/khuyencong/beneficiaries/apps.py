from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BeneficiariesConfig(AppConfig):
    name = "khuyencong.beneficiaries"
    verbose_name = _("Beneficiaries")

"""Users, their role and scope, and the organisations they work for."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from khuyencong.core.models import DomainModel


class Role(models.TextChoices):
    SYSTEM_ADMIN = "system_admin", _("System administrator")
    NATIONAL_AGENCY = "national_agency", _("National agency officer")
    DEPARTMENT_LEADER = "department_leader", _("Department leader")
    CENTRE_STAFF = "centre_staff", _("Extension centre staff")
    DISTRICT_OFFICER = "district_officer", _("District officer")
    BENEFICIARY = "beneficiary", _("Beneficiary")
    JURY_MEMBER = "jury_member", _("Jury member")


class ScopeLevel(models.TextChoices):
    NATIONAL = "national", _("National")
    PROVINCE = "province", _("Province")
    DISTRICT = "district", _("District")


class OrganisationKind(models.TextChoices):
    NATIONAL_AGENCY = "national_agency", _("National agency")
    DEPARTMENT = "department", _("Department of Industry and Trade")
    CENTRE = "centre", _("Industrial extension centre")
    DISTRICT_OFFICE = "district_office", _("District/commune office")
    OTHER = "other", _("Other organisation")


class Organisation(DomainModel):
    """An authority or unit: the national agency, a department, a khuyến công centre, …"""

    kind = models.CharField(_("kind"), max_length=32, choices=OrganisationKind.choices)
    name = models.CharField(_("name"), max_length=255)
    short_name = models.CharField(_("short name"), max_length=120, blank=True)
    province = models.ForeignKey(
        "places.AdminUnit",
        verbose_name=_("province"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    address = models.CharField(_("address"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A person using the system, with one role and one scope (national, province or district)."""

    role = models.CharField(
        _("role"), max_length=32, choices=Role.choices, default=Role.CENTRE_STAFF
    )
    scope_level = models.CharField(
        _("scope"), max_length=16, choices=ScopeLevel.choices, default=ScopeLevel.PROVINCE
    )
    province = models.ForeignKey(
        "places.AdminUnit",
        verbose_name=_("province"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    district = models.ForeignKey(
        "places.AdminUnit",
        verbose_name=_("district"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
    )
    beneficiary = models.ForeignKey(
        "beneficiaries.Beneficiary",
        verbose_name=_("beneficiary"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
        help_text=_("For beneficiary users: the establishment they act for."),
    )
    phone = models.CharField(_("phone"), max_length=32, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.get_full_name() or self.username

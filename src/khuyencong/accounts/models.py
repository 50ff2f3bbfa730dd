"""Users, their role and scope, and the organisations they work for."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any, ClassVar

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from khuyencong.core.models import DomainModel, HardDeleteError
from khuyencong.places.models import Level


class Role(models.TextChoices):
    SYSTEM_ADMIN = "system_admin", _("System administrator")
    NATIONAL_AGENCY = "national_agency", _("National agency officer")
    PROVINCE_ADMIN = "province_admin", _("Province administrator")
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
    district = models.ForeignKey(
        "places.AdminUnit",
        verbose_name=_("district"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("For a district office: the district it serves."),
    )
    address = models.CharField(_("address"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def name_on(self, day: datetime.date) -> str:
        """The name the organisation bore on ``day`` (documents of 2018 cite the 2018 name)."""
        former = (
            self.former_names.filter(valid_to__gte=day).order_by("valid_to").only("name").first()
        )
        return former.name if former is not None else self.name

    @property
    def scope_province_id(self) -> int | None:
        return self.province_id

    @property
    def scope_district_id(self) -> int | None:
        return self.district_id


class OrganisationName(DomainModel):
    """A name an organisation bore until ``valid_to`` (authorities get renamed: the national
    agency was "Cục Công nghiệp địa phương", then "Cục Công Thương địa phương", …)."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="former_names",
    )
    name = models.CharField(_("former name"), max_length=255)
    valid_to = models.DateField(_("used until"))
    note = models.CharField(_("note"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("former name")
        verbose_name_plural = _("former names")
        ordering = ["organisation", "valid_to"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "valid_to"], name="organisationname_unique_date"
            )
        ]

    def __str__(self) -> str:
        return self.name


if TYPE_CHECKING:
    # the stubs' UserManager is generic in its model; Django's class is not subscriptable
    _UserManager = UserManager["User"]
else:
    _UserManager = UserManager


class UserQuerySet(models.QuerySet):
    def delete(self) -> Any:  # users are deactivated, never deleted (their trail stays)
        raise HardDeleteError(_("Users are deactivated, never deleted."))


class KhuyencongUserManager(_UserManager):
    """``createsuperuser`` makes a national system administrator (roles read ``role``)."""

    def get_queryset(self) -> Any:
        return UserQuerySet(self.model, using=self._db)

    def create_superuser(
        self,
        username: str,
        email: str | None = None,
        password: str | None = None,
        **extra_fields: Any,
    ) -> User:
        extra_fields.setdefault("role", Role.SYSTEM_ADMIN)
        extra_fields.setdefault("scope_level", ScopeLevel.NATIONAL)
        return super().create_superuser(username, email, password, **extra_fields)


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

    objects: ClassVar[KhuyencongUserManager] = KhuyencongUserManager()

    # roles.province_ids caches (province id, its family's ids) on the user object
    _scope_province_ids: tuple[int, frozenset[int]]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    # The permission checks that code below accounts (core's views and navigation) asks of the
    # signed-in user, as Django's own ``has_perm``: core never imports accounts. ``roles``
    # imports these models, hence the imports inside the methods.
    def permission_decision(self, permission: str, obj: Any = None) -> Any:
        """``roles.check``: a truthy decision, or a falsy one carrying the reason."""
        from khuyencong.accounts import roles

        return roles.check(self, permission, obj)

    def holds_permission(self, permission: str) -> bool:
        """``roles.has_permission``: the role holds ``permission`` (scope not considered)."""
        from khuyencong.accounts import roles

        return roles.has_permission(self, permission)

    def scoped(self, queryset: Any, **lookups: Any) -> Any:
        """``roles.scope_queryset``: the rows of ``queryset`` in the user's scope."""
        from khuyencong.accounts import roles

        return roles.scope_queryset(self, queryset, **lookups)

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @property
    def scope_label(self) -> str:
        """ "Toàn quốc", "Tỉnh Bắc Kạn" or "Huyện Na Rì, Tỉnh Bắc Kạn" (for the page header)."""
        if self.role == Role.BENEFICIARY and self.beneficiary_id:
            return str(self.beneficiary)
        if self.scope_level == ScopeLevel.DISTRICT and self.district is not None:
            return self.district.full_path
        if self.scope_level == ScopeLevel.PROVINCE and self.province is not None:
            return self.province.name
        if self.scope_level == ScopeLevel.NATIONAL:
            return str(_("Nationwide"))
        return ""

    def save(self, *args: Any, **kwargs: Any) -> None:
        # The role is the one source of truth: only system administrators enter Django admin
        # (as superusers); changing someone's role away from it takes the access away.
        is_admin = self.role == Role.SYSTEM_ADMIN
        self.is_staff = self.is_superuser = is_admin
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "is_staff", "is_superuser"}
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise HardDeleteError(_("Users are deactivated, never deleted."))

    def clean(self) -> None:
        """Every user belongs to one scope that fits their role (messages in Vietnamese)."""
        super().clean()

        errors: dict[str, list[str | Promise]] = {}

        def error(field: str, message: str | Promise) -> None:
            errors.setdefault(field, []).append(message)

        national_roles = {Role.SYSTEM_ADMIN, Role.NATIONAL_AGENCY}
        if self.role in national_roles and self.scope_level != ScopeLevel.NATIONAL:
            error(
                "scope_level",
                _("System administrators and national agency officers have the national scope."),
            )
        if self.role == Role.DISTRICT_OFFICER and self.scope_level != ScopeLevel.DISTRICT:
            error("scope_level", _("A district officer has the district scope."))

        if (
            self.role == Role.BENEFICIARY
            and self.scope_level == ScopeLevel.PROVINCE
            and self.province_id is None
            and self.beneficiary is not None
        ):
            self.province_id = self.beneficiary.province_id

        if self.scope_level == ScopeLevel.NATIONAL:
            for field in ("province", "district"):
                if getattr(self, f"{field}_id"):
                    error(
                        field,
                        _(
                            "A user with the national scope has no province or "
                            "district: leave them empty."
                        ),
                    )
        elif self.scope_level == ScopeLevel.PROVINCE:
            if self.province is None:
                error("province", _("A user with the province scope needs a province."))
            elif self.province.level != Level.PROVINCE:
                error("province", _("Choose a province, not a district or commune."))
            if self.district_id:
                error(
                    "district",
                    _(
                        "A user with the province scope has no district: leave it "
                        "empty or choose the district scope."
                    ),
                )
        elif self.scope_level == ScopeLevel.DISTRICT:
            if self.district is None:
                error("district", _("A user with the district scope needs a district."))
            elif self.district.level != Level.DISTRICT:
                error("district", _("Choose a district, not a province or commune."))
            elif self.province_id is None:
                self.province_id = self.district.province_id
            elif self.province_id != self.district.province_id:
                error("district", _("The district does not lie in the chosen province."))

        if self.role == Role.BENEFICIARY and self.beneficiary_id is None:
            error("beneficiary", _("A beneficiary user needs the establishment they act for."))
        if self.role != Role.BENEFICIARY and self.beneficiary_id is not None:
            error(
                "beneficiary",
                _(
                    "Only beneficiary users act for an establishment: leave it "
                    "empty or choose the beneficiary role."
                ),
            )
        if errors:
            raise ValidationError(errors)

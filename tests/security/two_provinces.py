"""Two invented provinces (not the demo's Bắc Kạn), each with a district, a commune, a
khuyến công centre, a department leader and an establishment: the review's cross-province
attacks are made from province A against province B."""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass
from typing import Any

from khuyencong.accounts.models import Organisation, OrganisationKind, Role, User
from khuyencong.beneficiaries.models import Beneficiary
from khuyencong.documents.xlsx_reader import read_sheet
from khuyencong.places.models import AdminUnit
from khuyencong.plans.models import Plan
from khuyencong.projects import services
from khuyencong.projects.models import Budget, Project
from khuyencong.projects.services import SYSTEM
from khuyencong.spreadsheets.pipeline_projects import ProjectImporter
from tests.beneficiaries.factories import (
    BeneficiaryFactory,
    CommuneFactory,
    DistrictFactory,
    ProvinceFactory,
    valid_tax_code,
)
from tests.factories import UserFactory
from tests.imports.conftest import make_xlsx
from tests.projects import factories as pf

D = datetime.date


@dataclass
class Side:
    province: AdminUnit
    commune: AdminUnit
    centre: Organisation
    leader: User
    establishment: Beneficiary


def side(
    name: str, district_name: str, commune_name: str, establishment_name: str, tax_code: str
) -> Side:
    province = ProvinceFactory(short_name=name)
    district = DistrictFactory(parent=province, short_name=district_name)
    commune = CommuneFactory(parent=district, short_name=commune_name)
    return Side(
        province=province,
        commune=commune,
        centre=Organisation.objects.create(
            kind=OrganisationKind.CENTRE,
            name=f"Trung tâm Khuyến công tỉnh {name}",
            province=province,
        ),
        leader=UserFactory(role=Role.DEPARTMENT_LEADER, province=province),
        establishment=BeneficiaryFactory(
            name=establishment_name, commune=commune, tax_code=tax_code
        ),
    )


@dataclass
class TwoProvinces:
    a: Side
    b: Side


def two_provinces() -> TwoProvinces:
    return TwoProvinces(
        a=side("Đông Thử", "Na Thử", "Quang Thử", "HTX Mây tre Quang Thử", valid_tax_code(1, "46")),
        b=side("Tây Thử", "Chợ Thử", "Yên Thử", "HTX Chè đặc sản Yên Thử", valid_tax_code(2, "46")),
    )


def project_in(place: Side, *, code: str, **kwargs: Any) -> Project:
    """A registered local-fund project of ``place``'s province, at its commune."""
    plan = Plan.objects.filter(province=place.province, year=2020).first() or pf.make_plan(
        source_code="local", year=2020, unit=place.province
    )
    return services.create_project(
        actor=SYSTEM,
        code=code,
        title=kwargs.pop("title", f"Hỗ trợ máy móc {place.province.short_name}"),
        content_area=pf.content_area(),
        implementing_unit=place.centre,
        place=place.commune,
        registered_on=D(2020, 1, 2),
        plan=plan,
        budget=Budget(local=100_000_000),
        **kwargs,
    )


PROJECT_HEADERS = [
    "Mã đề án",
    "Tên đề án",
    "Nội dung hoạt động",
    "Đơn vị thực hiện",
    "Địa điểm",
    "Mã xã",
    "Ngày đăng ký",
]


def project_sheet(side: Side, code: str, unit: str) -> Any:
    """A one-row project import sheet for ``side``'s commune, read as the import reads it."""
    row = [code, "Hỗ trợ máy đan mây", "machinery", unit, "thôn Bản Mới", side.commune.code]
    data = make_xlsx(PROJECT_HEADERS, [[*row, datetime.datetime(2021, 1, 5)]])
    return read_sheet(io.BytesIO(data), ProjectImporter.columns)

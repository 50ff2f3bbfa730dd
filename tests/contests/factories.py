"""Builders for product-vote tests: a contest at any stage, with jury, panel and entries.

Everything goes through ``contests.services`` (the seeded rules, sheet and holidays come from
the data migrations), so the builders obey the same rules as the pages.
"""

from __future__ import annotations

import datetime
import io
import itertools
from decimal import ROUND_DOWN, Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from khuyencong.accounts.models import Role, ScopeLevel
from khuyencong.contests import services
from khuyencong.contests.models import Contest, Eligibility, FileKind, JuryRole, ProductGroup
from khuyencong.places.models import Level
from tests.accounts.factories import (
    BAC_KAN,
    CUONG_LOI,
    BeneficiaryFactory,
    UserFactory,
    legacy,
)

D = datetime.date
REGISTRATION = (D(2018, 2, 26), D(2018, 3, 16))
REGISTERED_ON = D(2018, 3, 5)
JUDGING_ON = D(2018, 4, 3)
MINIMAL_PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
_names = itertools.count(1)


def bac_kan():
    return legacy(Level.PROVINCE, BAC_KAN)


def staff(**kwargs: Any):
    return UserFactory(role=Role.CENTRE_STAFF, **kwargs)


def jury_user(**kwargs: Any):
    return UserFactory(role=Role.JURY_MEMBER, scope_level=ScopeLevel.PROVINCE, **kwargs)


def establishment(**kwargs: Any):
    kwargs.setdefault("commune", legacy(Level.COMMUNE, CUONG_LOI))
    return BeneficiaryFactory(**kwargs)


def png(size: tuple[int, int] = (60, 90)) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 180, 120)).save(buffer, format="PNG")
    return buffer.getvalue()


def upload(name: str, content: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type)


def group(code: str = "handicrafts") -> ProductGroup:
    return ProductGroup.objects.get(code=code)


def new_contest(**overrides: Any) -> Contest:
    fields = {
        "name": f"Bình chọn thử nghiệm {next(_names)}",
        "level": "province",
        "year": 2018,
        "area": bac_kan(),
        "authority_name": "Ủy ban nhân dân tỉnh Bắc Kạn",
        "registration_opens": REGISTRATION[0],
        "registration_closes": REGISTRATION[1],
        "judging_on": JUDGING_ON,
    }
    fields.update(overrides)
    return services.create_contest(actor=None, **fields)


def with_jury(contest: Contest, size: int = 7, chair: Any = None) -> list:
    members = [
        services.add_jury_member(
            contest=contest,
            actor=None,
            full_name="Chủ tịch Hội đồng",
            role=JuryRole.CHAIR,
            user=chair,
        )
    ]
    for index in range(size - 1):
        members.append(
            services.add_jury_member(
                contest=contest, actor=None, full_name=f"Thành viên {index}", role=JuryRole.MEMBER
            )
        )
    return members


def with_panel(contest: Contest, size: int = 3) -> list:
    """``size`` judge users; the first one heads the panel."""
    users = [jury_user() for _ in range(size)]
    for index, user in enumerate(users):
        services.add_judge(contest=contest, actor=None, user=user, is_head=index == 0)
    return users


def dossier(entry: Any, photos: int = 3, views: tuple[str, ...] = ("front", "side", "top")):
    services.add_entry_file(
        entry=entry,
        actor=None,
        kind=FileKind.REGISTRATION_FORM,
        upload=upload("dang-ky.pdf", MINIMAL_PDF),
    )
    services.add_entry_file(
        entry=entry, actor=None, kind=FileKind.DESCRIPTION, upload=upload("mo-ta.pdf", MINIMAL_PDF)
    )
    for index in range(photos):
        view = views[index] if index < len(views) else "other"
        services.add_entry_file(
            entry=entry,
            actor=None,
            kind=FileKind.PHOTO,
            photo_view=view,
            upload=upload(f"anh-{index}.png", png()),
        )


def entry(
    contest: Contest,
    *,
    beneficiary: Any = None,
    product_group: str = "handicrafts",
    name: str | None = None,
    eligible: bool = True,
    **fields: Any,
):
    fields.setdefault("own_product", True)
    fields.setdefault("not_copied", True)
    fields.setdefault("mass_producible", True)
    if contest.level != "district" and "lower_certificate_number" not in fields:
        fields.update(
            lower_certificate_number="01/2017/GCN",
            lower_certificate_level="district",
            lower_certificate_valid_until=D(2019, 12, 31),
        )
    created = services.register_entry(
        contest=contest,
        actor=None,
        beneficiary=beneficiary or establishment(),
        registered_on=REGISTERED_ON,
        product_name=name or f"Sản phẩm {next(_names)}",
        product_group=group(product_group),
        **fields,
    )
    if eligible:
        dossier(created)
        services.review_eligibility(
            entry=created, actor=None, decision=Eligibility.ELIGIBLE, note="Đã kiểm tra."
        )
    return created


def judging_contest(
    entries: int = 2, judges: int = 3, groups: tuple[str, ...] = ("handicrafts",), **overrides
):
    """A contest being judged: 7-member jury (its chair has no account), ``judges`` judges
    (the first is the panel's head), ``entries`` eligible entries spread over ``groups``."""
    contest = new_contest(**overrides)
    services.open_registration(contest=contest, actor=None)
    with_jury(contest)
    users = with_panel(contest, judges)
    made = [entry(contest, product_group=groups[index % len(groups)]) for index in range(entries)]
    contest = services.start_judging(contest=contest, actor=None)
    return contest, made, users


def points_at(contest: Contest, percent: int | str | Decimal) -> dict[int, Decimal]:
    """Every criterion at about ``percent`` % of its maximum, the total exactly ``percent``
    points on the seeded 100-point sheet."""
    target = Decimal(str(percent))
    share = target / 100
    criteria = list(contest.score_sheet.criteria())
    points = {
        c.pk: (c.max_points * share).quantize(Decimal("0.01"), rounding=ROUND_DOWN)
        for c in criteria
    }
    points[criteria[0].pk] += target - sum(points.values())  # what rounding down left over
    return points


def score(contest: Contest, entry: Any, user: Any, percent: Any) -> Any:
    return services.save_scorecard(entry=entry, user=user, points=points_at(contest, percent))


def scored_and_closed(totals: list[list[Any]], groups: tuple[str, ...] = ("handicrafts",)):
    """A closed panel: ``totals[e][j]`` is judge j's total for entry e (None: conflict)."""
    contest, entries, users = judging_contest(
        entries=len(totals), judges=len(totals[0]), groups=groups
    )
    for made, row in zip(entries, totals, strict=True):
        for user, total in zip(users, row, strict=True):
            if total is None:
                services.save_scorecard(
                    entry=made, user=user, conflict=True, conflict_reason="Người nhà"
                )
            else:
                score(contest, made, user, total)
    contest = services.close_panel(contest=contest, actor=users[0])
    return contest, entries, users


def closed_contest_with_certificates():
    """Three entries of three establishments (two product groups), the first two recognised,
    decided 789/QĐ-UBND on 10/05/2018: certificates T06-2018-001 and -002."""
    contest, _entries, _users = scored_and_closed(
        [[80, 82, 84], [90, 90, 90], [60, 65, 62]], groups=("handicrafts", "machinery")
    )
    contest = services.announce_results(contest=contest, actor=None, announced_on=D(2018, 4, 6))
    certificates = services.record_decision(
        contest=contest,
        actor=None,
        decision_number="789/QĐ-UBND",
        decision_date=D(2018, 5, 10),
        signer_capacity="KT. CHỦ TỊCH",
        signer_position="PHÓ CHỦ TỊCH",
        signer_name="Nguyễn Văn A",
    )
    contest.refresh_from_db()
    return contest, certificates

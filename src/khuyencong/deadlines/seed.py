"""Seed obligation rules (legal-notes.md §2.3, §2.1, §4): the national rows every province
starts from. ``seed_obligation_rules()`` is idempotent and keeps administrators' edits: it
creates a kind's row only when the kind has no national row starting on the same date. A data
migration calls it with the migration's historical models (``apps``).

Confirmed ([READ] in legal-notes): monthly progress before the 25th (TT 36/2013 Art. 23(3)(a)),
registration dossiers before 20 May and the department's proposal to the agency before 15 June
(TT 36/2013 plan-building steps), complaints resolved within 10 working days (TT 26/2014
Art. 20). Everything else is a working default, unconfirmed: the report dates (the statistical
reporting regime is not known), contract and end-date lead times, the 30-day review and
decision periods, the 90-day certificate notice and the 180-day advance period.
"""

from __future__ import annotations

import datetime

D = datetime.date
START = D(2014, 2, 10)  # TT 36/2013/TT-BCT in force

# kind, role, due_month, due_day, period_days, day_unit, lead_days, confirmed, legal basis, notes
RULES = [
    ("monthly_progress", "centre_staff", None, 25, None, "calendar", 7, True,
     "TT 36/2013/TT-BCT Điều 23 khoản 3 điểm a", "Báo cáo tiến độ hằng tháng trước ngày 25."),
    ("registration_dossier", "centre_staff", 5, 20, None, "calendar", 30, True,
     "TT 36/2013/TT-BCT (xây dựng kế hoạch KCQG)", "Hồ sơ đề án gửi Sở Công Thương trước 20/5."),
    ("national_proposal", "department_leader", 6, 15, None, "calendar", 30, True,
     "TT 36/2013/TT-BCT (xây dựng kế hoạch KCQG)", "Sở gửi Cục trước 15/6."),
    ("half_year_report", "department_leader", 7, 15, None, "calendar", 15, False, "",
     "Chưa đối chiếu chế độ báo cáo thống kê hiện hành: ngày mặc định."),
    ("annual_report", "department_leader", 12, 15, None, "calendar", 15, False, "",
     "Chưa đối chiếu chế độ báo cáo thống kê hiện hành: ngày mặc định."),
    ("contract_signing", "centre_staff", None, None, 0, "calendar", 14, False, "",
     "Ký hợp đồng trước ngày bắt đầu của đề án (mặc định)."),
    ("implementation_end", "centre_staff", None, None, 0, "calendar", 30, False, "",
     "Hoàn thành và nghiệm thu trước ngày kết thúc của đề án (mặc định)."),
    ("inspection", "centre_staff", None, None, 0, "calendar", 7, False, "",
     "Kiểm tra theo ngày dự kiến; khắc phục theo hạn ghi trong biên bản."),
    ("certificate_expiry", "beneficiary", None, None, 0, "calendar", 90, False,
     "TT 26/2014/TT-BCT Điều 17 khoản 3", "Báo trước 90 ngày khi giấy chứng nhận hết hạn."),
    ("under_review", "centre_staff", None, None, 30, "calendar", 30, False, "",
     "Đề án đang xem xét điều chỉnh hoặc dừng quá 30 ngày (mặc định)."),
    ("request_decision", "department_leader", None, None, 30, "calendar", 30, False, "",
     "Đề nghị điều chỉnh/dừng chờ quyết định quá 30 ngày (mặc định)."),
    ("advance_unaccepted", "centre_staff", None, None, 180, "calendar", 14, False,
     "TT 36/2013/TT-BCT Điều 13–14", "Đã tạm ứng quá 180 ngày chưa nghiệm thu (mặc định)."),
    ("complaint_resolution", "department_leader", None, None, 10, "working", 5, True,
     "TT 26/2014/TT-BCT Điều 20", "Giải quyết khiếu nại trong 10 ngày làm việc."),
]  # fmt: skip


def seed_obligation_rules(apps=None) -> int:
    if apps is None:
        from khuyencong.deadlines.models import ObligationRule
    else:
        ObligationRule = apps.get_model("deadlines", "ObligationRule")
    made = 0
    for kind, role, month, day, period, unit, lead, confirmed, basis, notes in RULES:
        if ObligationRule.objects.filter(
            kind=kind, province__isnull=True, valid_from=START
        ).exists():
            continue
        ObligationRule.objects.create(
            kind=kind,
            responsible_role=role,
            due_month=month,
            due_day=day,
            period_days=period,
            day_unit=unit,
            lead_days=lead,
            confirmed=confirmed,
            legal_basis=basis,
            notes=notes,
            valid_from=START,
        )
        made += 1
    return made

"""Reference data of the projects app: the advance cap (tạm ứng) as dated rows.

``seed_advance_caps()`` creates missing rows only (an admin's edits are kept); the data
migration calls it with the migration's app registry, ``demo.reference`` after a flush.

- TTLT 26/2014/TTLT-BTC-BCT Art. 8(2)(b): total advances may not exceed 70 % of the support
  before acceptance. legal-notes §2.2 marks the rule [READ] -> confirmed.
- TT 28/2018/TT-BTC replaced TTLT 26/2014; the 70 % is "believed still 70 %" [UNCONFIRMED,
  seen only in prototype code comments] -> confirmed = False.
The in-force dates (4/4/2014 for TTLT 26/2014, 15/5/2018 for TT 28/2018) are not in
legal-notes.md: they are from memory and flagged in the rows' notes.
The legal bases are fetched by code and created only if the catalog seed has not run yet.
"""

import datetime
from typing import Any

from django.apps import apps as global_apps

LEGAL_BASES = {
    "ttlt26_2014": {
        "number": "26/2014/TTLT-BTC-BCT",
        "doc_type": "Thông tư liên tịch",
        "issued_on": datetime.date(2014, 2, 18),
        "issuer": "Bộ Tài chính – Bộ Công Thương",
        "title": "Hướng dẫn quản lý và sử dụng kinh phí sự nghiệp thực hiện chương trình "
        "khuyến công",
        "confirmed": False,
        "notes": "Issue date from memory; not in legal-notes.md.",
    },
    "tt28_2018": {
        "number": "28/2018/TT-BTC",
        "doc_type": "Thông tư",
        "issued_on": datetime.date(2018, 3, 28),
        "issuer": "Bộ Tài chính",
        "title": "Hướng dẫn lập, quản lý, sử dụng kinh phí khuyến công",
        "confirmed": True,
    },
}

RULES = [
    {
        "legal_basis": "ttlt26_2014",
        "article": "Điều 8 khoản 2 điểm b",
        "valid_from": datetime.date(2014, 4, 4),
        "valid_to": datetime.date(2018, 5, 14),
        "percent": 70,
        "confirmed": True,
        "notes": "Rule read in the legal text (legal-notes §2.2). The validity dates are from "
        "memory (in force 4/4/2014; replaced by TT 28/2018 from 15/5/2018): verify.",
    },
    {
        "legal_basis": "tt28_2018",
        "article": "",
        "valid_from": datetime.date(2018, 5, 15),
        "valid_to": None,
        "percent": 70,
        "confirmed": False,
        "notes": "UNCONFIRMED: believed still 70 % under TT 28/2018 (seen only in prototype "
        "code comments, legal-notes §2.2). In-force date 15/5/2018 from memory.",
    },
]


def seed_advance_caps(apps: Any = None) -> None:
    apps = apps or global_apps
    LegalBasis = apps.get_model("catalog", "LegalBasis")
    AdvanceCapRule = apps.get_model("projects", "AdvanceCapRule")
    for rule in RULES:
        code = rule["legal_basis"]
        basis, _created = LegalBasis.objects.get_or_create(code=code, defaults=LEGAL_BASES[code])
        fields = {key: value for key, value in rule.items() if key != "legal_basis"}
        AdvanceCapRule.objects.get_or_create(
            legal_basis=basis, valid_from=fields.pop("valid_from"), defaults=fields
        )

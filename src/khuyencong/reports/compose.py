"""ReportData -> the body of the report, as paragraphs in the seed report's structure.

Pure functions, no Django. The three parts follow the seed (Sở Công Thương Bắc Kạn, 2018):

  Thứ nhất, về tình hình thực hiện kế hoạch kinh phí khuyến công <period>:
      one paragraph per funding source ("Đối với Khuyến công quốc gia: …"), then either one
      line per project (small sections, such as the national fund's three projects) or one
      line per group of projects in the same status ("– 02/10 đề án đã hoàn thành gồm: …").
  Thứ hai, về giải pháp thực hiện công tác khuyến công <rest of the year>:
      editable items, default text from ``default_solutions``.
  Thứ ba, về kế hoạch khuyến công năm <next year>:
      editable orientation, then where next year's plan stands (``default_next_year_text``).

Every renderer (DOCX, HTML/PDF) prints these paragraphs; none writes its own sentences.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from khuyencong.documents import wording
from khuyencong.documents.docx import HEADING, ITEM, Paragraph
from khuyencong.reports.data import (
    NextYearOutcome,
    ProjectLine,
    ReportData,
    ReportStatus,
    SourceSection,
)

# A section with at most this many projects lists them one by one (layout "auto").
PER_PROJECT_MAX = 5
# A status group with more projects than this (a national report) gives their number only and
# refers to the annex, which lists every project.
GROUP_ITEMS_MAX = 12
# The 2025 local-government reform removed the district level.
TWO_LEVEL_FROM = datetime.date(2025, 7, 1)
BULLET = "–"


@dataclass(frozen=True)
class StatusGroup:
    status: ReportStatus
    progress_percent: int | Decimal | None
    projects: tuple[ProjectLine, ...]

    @property
    def phrase(self) -> str:
        return wording.status_group(self.status, self.progress_percent)


_STATUS_ORDER = {status: index for index, status in enumerate(ReportStatus)}


def status_groups(projects: tuple[ProjectLine, ...] | list[ProjectLine]) -> list[StatusGroup]:
    """Projects with the same status (and, in progress, the same percentage) grouped, in the
    report's order: completed first, the most advanced work next, not started last. Within a
    group projects keep the order they were given in."""
    buckets: dict[tuple[ReportStatus, int | Decimal | None], list[ProjectLine]] = {}
    for project in projects:
        progress = project.progress_percent if project.status == ReportStatus.IN_PROGRESS else None
        buckets.setdefault((project.status, progress), []).append(project)
    keys = sorted(buckets, key=lambda key: (_STATUS_ORDER[key[0]], -(key[1] or 0)))
    return [
        StatusGroup(status, progress, tuple(buckets[(status, progress)]))
        for status, progress in keys
    ]


def _uses_project_lines(section: SourceSection) -> bool:
    if section.layout == "auto":
        return section.plan_count <= PER_PROJECT_MAX
    return section.layout == "per_project"


def _end(index: int, count: int) -> str:
    return "." if index == count - 1 else ";"


# --------------------------------------------------------------------------------------------
# Part one


def section_one_heading(data: ReportData) -> str:
    return f"Thứ nhất, về tình hình thực hiện kế hoạch kinh phí khuyến công {data.period.label}:"


def default_source_narrative(section: SourceSection, data: ReportData) -> str:
    """What was done with the section's projects, modelled on the seed: assigned projects
    (the national fund) are visited and assessed; the others are carried out and followed."""
    if section.assigned_by:
        return (
            f"Ngay sau khi được giao, {data.authority.short_in_text} đã chỉ đạo "
            f"{section.implementer} đi thăm nắm tình hình đầu tư, sản xuất kinh doanh và hướng "
            "dẫn các đơn vị thụ hưởng thực hiện đề án. Qua đó đánh giá năng lực, khả năng phối "
            "hợp thực hiện từng đề án để xây dựng nội dung thực hiện, thời gian thực hiện và "
            "xem xét điều chỉnh bổ sung hoặc dừng thực hiện đề án."
        )
    return (
        f"Trong {data.period.label}, {section.implementer_short} đã tổ chức triển khai thực "
        "hiện và hướng dẫn, đôn đốc các đơn vị thụ hưởng thực hiện đề án khuyến công theo kế "
        "hoạch."
    )


def citation_sentence(section: SourceSection) -> str:
    """ "Căn cứ: Quyết định số 123/QĐ-UBND ngày 15/1/2024 của UBND tỉnh … phê duyệt kế hoạch
    năm 2024; Công văn số 45/CTĐP-KC ngày 20/3/2024 của Cục … (đợt 1, 600 triệu đồng)." — the
    plans and allocations grounding the section; empty when none is recorded."""
    citations = [citation for citation in section.citations if citation.strip()]
    if not citations:
        return ""
    return f"Căn cứ: {'; '.join(citations)}."


def content_groups_sentence(section: SourceSection) -> str:
    """ "Theo nhóm nội dung: nhóm “…” 02 đề án, kinh phí 80 triệu đồng; nhóm “…” 03 đề án,
    kinh phí 1,35 tỷ đồng." — only when the plan projects fall in more than one group."""
    groups = section.content_groups
    if len(groups) < 2 or any(not group.name for group in groups):
        return ""
    parts = [
        f"nhóm {wording.quoted(group.name)} {wording.count_phrase(group.count)}, kinh phí "
        f"{wording.money_short(group.budget)}"
        for group in groups
    ]
    return f"Theo nhóm nội dung: {'; '.join(parts)}."


def disbursement_sentence(section: SourceSection, data: ReportData) -> str:
    """ "Đến ngày 30/6/2024, đã giải ngân 350 triệu đồng, đạt 58,3% kế hoạch vốn." The rate's
    base is the plan projects' budget in the source in force on the date (the "kinh phí" of
    the first sentence); empty when no disbursement is known."""
    if not section.plan_projects or not section.disbursement_known:
        return ""
    day = wording.date_short(data.as_of)
    if not section.plan_disbursed:
        return f"Đến ngày {day}, chưa giải ngân kinh phí."
    text = f"Đến ngày {day}, đã giải ngân {wording.money_short(section.plan_disbursed)}"
    rate = section.disbursement_rate
    if rate is not None:
        text += f", đạt {wording.percent(rate)} kế hoạch vốn"
    return f"{text}."


def source_intro(section: SourceSection, data: ReportData) -> str:
    """ "Đối với Khuyến công quốc gia: Năm 2018, Trung tâm … được giao thực hiện 03 đề án …
    từ nguồn khuyến công quốc gia, kinh phí 600 triệu đồng. …"."""
    lead = f"Đối với {section.label}: Năm {section.year}, {section.implementer}"
    if not section.plan_projects:
        sentences = [f"{lead} không được giao thực hiện đề án nào từ {section.source_phrase}."]
        if citation := citation_sentence(section):
            sentences.append(citation)
        return " ".join(sentences)
    what = wording.count_phrase(section.plan_count)
    if section.content_summary:
        what += f" {section.content_summary}"
    sentences = [
        f"{lead} được giao thực hiện {what} từ {section.source_phrase}, kinh phí "
        f"{wording.money_short(section.plan_budget)}."
    ]
    sentences += [
        sentence
        for sentence in (citation_sentence(section), content_groups_sentence(section))
        if sentence
    ]
    if section.assigned_by:
        subject = "Các đề án này" if section.plan_count > 1 else "Đề án này"
        when = f" từ {wording.month_year(section.assigned_on)}" if section.assigned_on else ""
        sentences.append(f"{subject} được {section.assigned_by} giao nhiệm vụ{when}.")
    if disbursed := disbursement_sentence(section, data):
        sentences.append(disbursed)
    narrative = section.narrative
    if narrative is None:
        narrative = default_source_narrative(section, data)
    if narrative.strip():
        sentences.append(narrative.strip())
    sentences.append(
        "Kết quả thực hiện từng đề án như sau:"
        if _uses_project_lines(section)
        else "Kết quả như sau:"
    )
    return " ".join(sentences)


def carried_intro(section: SourceSection, data: ReportData) -> str:
    """ "Ngoài ra, Trung tâm tiếp tục thực hiện 02 đề án chuyển tiếp từ kế hoạch năm 2023,
    kinh phí 300 triệu đồng; đến ngày 30/6/2024, đã giải ngân 250 triệu đồng. Kết quả thực
    hiện từng đề án chuyển tiếp như sau:"."""
    carried = section.carried_projects
    origins = list(dict.fromkeys(project.carried_over_from for project in carried))
    budget = sum(project.budget for project in carried)
    text = (
        f"Ngoài ra, {section.implementer_short} tiếp tục thực hiện "
        f"{wording.count_phrase(len(carried))} chuyển tiếp từ kế hoạch "
        f"{wording.join_and(origins)}, kinh phí {wording.money_short(budget)}"
    )
    if any(project.disbursed is not None for project in carried):
        disbursed = sum(project.disbursed or 0 for project in carried)
        text += f"; đến ngày {wording.date_short(data.as_of)}, đã giải ngân "
        text += wording.money_short(disbursed)
    return f"{text}. Kết quả thực hiện từng đề án chuyển tiếp như sau:"


def group_phrase(project: ProjectLine) -> str:
    """ "đề án nhóm hỗ trợ 05 cơ sở, đến nay đã có 03 cơ sở tham gia: HTX A, xã B; …": a
    group project's participants so far, never an invented beneficiary."""
    text = "đề án nhóm"
    if project.group_size:
        text += f" hỗ trợ {wording.count_phrase(project.group_size, 'cơ sở')}"
    if project.participants:
        joined = "; ".join(project.participants)
        count = wording.count_phrase(len(project.participants), "cơ sở")
        return f"{text}, đến nay đã có {count} tham gia: {joined}"
    return f"{text}, đến nay chưa có cơ sở tham gia"


def _title(project: ProjectLine) -> str:
    text = wording.quoted(project.title)
    if project.carried_over_from:
        text += f" (chuyển tiếp từ kế hoạch {project.carried_over_from})"
    return text


TAKEN_OVER_PHRASE = "chuyển từ dữ liệu cũ"


def project_line(project: ProjectLine) -> str:
    """ "Đề án “…”, đơn vị thụ hưởng là HTX …, xã …, thành phố Bắc Kạn đã triển khai …"
    (without the bullet and the final punctuation)."""
    text = f"Đề án {_title(project)}"
    if project.is_group:
        if project.place:
            text += f" tại {project.place_label}"
        text += f" ({group_phrase(project)})"
    elif project.beneficiary:
        text += f", đơn vị thụ hưởng là {project.beneficiary_label}"
        if project.place:
            text += f", {project.place_label}"
    elif project.place:
        text += f" tại {project.place_label}"
    return f"{text} {project.status_line}{_taken_over(project)}"


def _taken_over(project: ProjectLine) -> str:
    """ " (chuyển từ dữ liệu cũ)": a status known from earlier records, not from its steps."""
    return f" ({TAKEN_OVER_PHRASE})" if project.taken_over else ""


def group_item(project: ProjectLine) -> str:
    """ "đề án “…” tại xã Quang Phong, huyện Na Rì (đơn vị thụ hưởng là HKD Lại Văn Tú)"."""
    text = f"đề án {_title(project)}"
    if project.place:
        text += f" tại {project.place_label}"
    if project.is_group:
        text += f" ({group_phrase(project)})"
    elif project.beneficiary:
        text += f" (đơn vị thụ hưởng là {project.beneficiary_label})"
    if project.status in wording.STATUS_WITH_REASON and project.status_note.strip():
        text += f" do {project.status_note.strip()}"
    return text + _taken_over(project)


def group_line(group: StatusGroup, total: int) -> str:
    """ "02/10 đề án đã hoàn thành gồm: đề án “…” và đề án “…”" (no bullet, no end mark)."""
    count = len(group.projects)
    if count > GROUP_ITEMS_MAX:
        return (
            f"{wording.share(count, total)} đề án {group.phrase} (danh mục chi tiết tại Phụ lục "
            "kèm theo)"
        )
    items = [group_item(project) for project in group.projects]
    if count == 1:
        return f"{wording.share(count, total)} đề án {group.phrase} là {items[0]}"
    return f"{wording.share(count, total)} đề án {group.phrase} gồm: {wording.join_items(items)}"


def compose_source(section: SourceSection, data: ReportData) -> list[Paragraph]:
    paragraphs = [Paragraph(source_intro(section, data))]
    planned = section.plan_projects
    if planned:
        if _uses_project_lines(section):
            lines = [project_line(project) for project in planned]
        else:
            lines = [group_line(group, len(planned)) for group in status_groups(planned)]
        paragraphs += _items(lines)
    if section.carried_projects:
        paragraphs.append(Paragraph(carried_intro(section, data)))
        paragraphs += _items([project_line(project) for project in section.carried_projects])
    return paragraphs


def _items(lines: list[str]) -> list[Paragraph]:
    return [
        Paragraph(f"{BULLET} {line}{_end(index, len(lines))}", ITEM)
        for index, line in enumerate(lines)
    ]


def no_plan_line(data: ReportData) -> str:
    """Part one of a report whose year has no plan recorded: said neutrally."""
    return f"Chưa có số liệu kế hoạch khuyến công năm {data.period.year} của {data.scope_label}."


def events_line(data: ReportData) -> str:
    """ "Về hội nghị tập huấn, hội chợ triển lãm (đến ngày 30/6/2018): đã tổ chức 01 hội nghị
    tập huấn cho 45 cán bộ (huyện Ba Bể: 20, huyện Na Rì: 25); 01 hội nghị tập huấn chưa tổ
    chức; …" — empty when the year has no training conference or trade fair."""
    events = data.events
    if events is None or events.empty:
        return ""
    parts = []
    if events.trainings_held:
        trained = ""
        if events.officers_total:
            per_district = ", ".join(
                f"{district}: {count}" for district, count in events.officers_trained
            )
            trained = f" cho {wording.count_phrase(events.officers_total, 'cán bộ')}"
            trained += f" ({per_district})"
        parts.append(
            f"đã tổ chức {wording.count_phrase(events.trainings_held, 'hội nghị tập huấn')}"
            + trained
        )
    if events.trainings_planned:
        parts.append(
            f"{wording.count_phrase(events.trainings_planned, 'hội nghị tập huấn')} chưa tổ chức"
        )
    if events.fairs_held:
        fair = f"đã tham gia {wording.count_phrase(events.fairs_held, 'hội chợ triển lãm')}"
        details = []
        if events.booths:
            details.append(f"{wording.count_phrase(events.booths, 'gian hàng')} được hỗ trợ")
        if events.establishments_at_fairs:
            details.append(
                f"{wording.count_phrase(events.establishments_at_fairs, 'cơ sở')} tham gia"
            )
        parts.append(fair + (f" ({', '.join(details)})" if details else ""))
    if events.fairs_planned:
        parts.append(
            f"{wording.count_phrase(events.fairs_planned, 'hội chợ triển lãm')} chưa diễn ra"
        )
    return (
        f"Về hội nghị tập huấn, hội chợ triển lãm (đến ngày {wording.date_short(data.as_of)}): "
        + "; ".join(parts)
        + "."
    )


def compose_section_one(data: ReportData) -> list[Paragraph]:
    paragraphs = [Paragraph(section_one_heading(data), HEADING)]
    if not data.sections:
        paragraphs.append(Paragraph(no_plan_line(data)))
    for section in data.sections:
        paragraphs += compose_source(section, data)
    line = events_line(data)
    if line:
        paragraphs.append(Paragraph(line))
    return paragraphs


# --------------------------------------------------------------------------------------------
# Part two


def _following_year(data: ReportData) -> int:
    return data.next_year.year if data.next_year else data.period.year + 1


def section_two_heading(data: ReportData) -> str:
    rest = data.period.remainder_label or f"năm {_following_year(data)}"
    return f"Thứ hai, về giải pháp thực hiện công tác khuyến công {rest}:"


def default_solutions(data: ReportData) -> tuple[str, ...]:
    """The seed's six solutions, with this report's year, plans, decree and scope."""
    target_year = data.period.year if data.period.remainder_label else _following_year(data)
    plans = ", ".join(f"kế hoạch {wording.lower_first(section.label)}" for section in data.sections)
    if data.as_of < TWO_LEVEL_FROM:
        trainees = (
            "cán bộ thuộc Phòng Kinh tế, Phòng Kinh tế – Hạ tầng các huyện, thị xã, thành phố "
            "và UBND các xã, phường, thị trấn"
        )
    else:
        trainees = "cán bộ thuộc UBND các xã, phường, đặc khu"
    return (
        f"Dự kiến thực hiện kế hoạch khuyến công năm {target_year}: Thực hiện điều chỉnh bổ sung "
        f"các đề án và phấn đấu triển khai thực hiện hoàn thành 100% {plans} đã được các cấp có "
        "thẩm quyền phê duyệt, đảm bảo đúng tiến độ thời gian và các chỉ tiêu yêu cầu.",
        "Tích cực tổ chức triển khai thực hiện tốt các đề án khuyến công đã được giao, đồng thời "
        "nghiên cứu thực hiện tốt các nội dung hoạt động khuyến công theo "
        f"{data.legal_basis} và các văn bản hướng dẫn thực hiện; quan tâm xây dựng các chương "
        "trình, đề án khuyến công theo hướng hỗ trợ có trọng điểm, có sự bứt phá và có bước "
        "chuyển rõ rệt cho sự phát triển của ngành công thương;",
        "Đổi mới công tác tuyên truyền, hướng dẫn đăng ký và tổ chức thực hiện tốt các đề án "
        "khuyến công; tạo điều kiện thuận lợi nhất cho các doanh nghiệp, hợp tác xã, cơ sở sản "
        "xuất nhằm xây dựng những đề án có tính khả thi cao, có hiệu quả rõ rệt;",
        f"Tổ chức Hội nghị tập huấn khuyến công cho {trainees};",
        "Tăng cường công tác kiểm tra, giám sát, đánh giá tình hình triển khai các đề án khuyến "
        "công để kịp thời tháo gỡ những khó khăn vướng mắc của các đề án để có phương pháp điều "
        "chỉnh cho phù hợp; đẩy nhanh tiến độ thực hiện các đề án khuyến công, đảm bảo hoàn "
        "thành kế hoạch được giao đúng tiến độ, sử dụng kinh phí hỗ trợ đúng mục đích, chế độ "
        "theo quy định hiện hành;",
        "Tuyên truyền, vận động doanh nghiệp tăng cường liên kết, liên doanh đầu tư, chuyển giao "
        "công nghệ, tiêu thụ sản phẩm. Đẩy mạnh công tác hỗ trợ phát triển sản phẩm công nghiệp "
        f"nông thôn trên địa bàn {data.scope_label}, trong đó chú trọng giữ gìn và phát triển "
        "thương hiệu, nhãn hiệu đã được cấp.",
    )


def compose_section_two(data: ReportData) -> list[Paragraph]:
    items = data.solutions if data.solutions is not None else default_solutions(data)
    return [Paragraph(section_two_heading(data), HEADING)] + [
        Paragraph(f"{BULLET} {item.strip()}", ITEM) for item in items if item.strip()
    ]


# --------------------------------------------------------------------------------------------
# Part three


def section_three_heading(data: ReportData) -> str:
    return f"Thứ ba, về kế hoạch khuyến công năm {_following_year(data)}:"


def default_orientation(data: ReportData) -> tuple[str, ...]:
    year = _following_year(data)
    basis = data.legal_basis
    if data.local_programme:
        basis += f" và {data.local_programme}"
    paragraphs = [
        f"Mục tiêu của hoạt động khuyến công trên địa bàn {data.scope_label} năm {year} theo "
        f"mục tiêu chung tại {basis}, nhằm hỗ trợ và tạo điều kiện cho các tổ chức, cá nhân "
        "thuộc mọi thành phần kinh tế đầu tư phát triển sản xuất công nghiệp nông thôn một cách "
        "bền vững, nâng cao năng lực cạnh tranh, thực hiện có hiệu quả lộ trình hội nhập quốc "
        "tế."
    ]
    if data.focus_areas:
        paragraphs.append(
            f"Hoạt động khuyến công {data.scope_label} năm {year} đã đề ra mục tiêu cụ thể thiết "
            f"thực phù hợp với tình hình phát triển công nghiệp nông thôn {data.scope_label} và "
            "các quy hoạch, đề án phát triển ngành, trong đó tập trung hỗ trợ các nội dung: "
            f"{wording.join_semicolon(data.focus_areas)}."
        )
    return tuple(paragraphs)


def default_next_year_text(data: ReportData) -> str:
    """Where next year's plan stands, with the seed's "no national-fund source" outcome when
    registrations came in but none met the national fund's requirements."""
    plan = data.next_year
    if plan is None:
        return ""
    department = data.authority.name_in_text
    decree = data.legal_basis
    preparation = (
        f"Ngay từ đầu năm {data.period.year}, {department} đã triển khai khảo sát, thu thập số "
        "liệu về tình hình đầu tư sản xuất công nghiệp – tiểu thủ công nghiệp của các cơ sở công "
        f"nghiệp nông thôn trên địa bàn {data.scope_label}; hướng dẫn cơ sở công nghiệp nông "
        "thôn lập hồ sơ đăng ký các đề án khuyến công theo quy định, trong đó định hướng đề án "
        "khuyến công được lập phải có tính khả thi cao, đảm bảo đúng đối tượng, ngành nghề quy "
        f"định tại {decree}, đồng thời phải phù hợp với chủ trương, chính sách phát triển kinh "
        "tế – xã hội của địa phương."
    )
    no_source = (
        f"do đó hiện nay {department} chưa có “Nguồn” để xây dựng kế hoạch kinh phí khuyến "
        f"công quốc gia năm {plan.year}."
    )
    if plan.outcome == NextYearOutcome.NO_REGISTRATIONS:
        if not plan.registration_closed:
            # nothing recorded yet, the period still open (or not recorded as closed): the
            # report does not claim that no dossier was received
            return preparation
        return (
            f"{preparation} Đến nay {department} chưa nhận được hồ sơ đăng ký thực hiện kế "
            f"hoạch khuyến công năm {plan.year} của các cơ sở công nghiệp nông thôn, {no_source}"
        )
    received = (
        f"{wording.padded(plan.registration_count)} hồ sơ"
        if plan.registration_count
        else "nội dung"
    )
    received_sentence = (
        f"Đến nay {department} đã nhận được {received} đăng ký thực hiện kế hoạch khuyến công "
        f"năm {plan.year} của các cơ sở công nghiệp nông thôn trên địa bàn {data.scope_label}."
    )
    if plan.outcome == NextYearOutcome.NO_NATIONAL_SOURCE:
        return (
            f"{preparation} {received_sentence} Tuy nhiên qua xem xét, chưa có đề án nào đáp ứng "
            f"được yêu cầu, mục tiêu của đề án khuyến công quốc gia, {no_source}"
        )
    return (
        f"{preparation} {received_sentence} Qua xem xét, có "
        f"{wording.count_phrase(plan.national_qualified)} đáp ứng được yêu cầu, mục tiêu của đề "
        f"án khuyến công quốc gia, tổng kinh phí đề nghị hỗ trợ "
        f"{wording.money_short(plan.national_budget)}; {department} đang hoàn thiện hồ sơ để "
        f"đăng ký kế hoạch khuyến công quốc gia năm {plan.year}."
    )


def compose_section_three(data: ReportData) -> list[Paragraph]:
    orientation = data.orientation if data.orientation is not None else default_orientation(data)
    paragraphs = [Paragraph(section_three_heading(data), HEADING)]
    paragraphs += [Paragraph(text.strip()) for text in orientation if text.strip()]
    if data.next_year is not None:
        text = data.next_year.text
        if text is None:
            text = default_next_year_text(data)
        if text.strip():
            paragraphs.append(Paragraph(text.strip()))
    return paragraphs


# --------------------------------------------------------------------------------------------


def compose(data: ReportData) -> list[Paragraph]:
    """The whole body of the report (what lies between the title and the signature)."""
    return compose_section_one(data) + compose_section_two(data) + compose_section_three(data)


def as_text(paragraphs: list[Paragraph]) -> str:
    return "\n\n".join(paragraph.text for paragraph in paragraphs)


def full_title(data: ReportData) -> str:
    """ "Báo cáo kết quả thực hiện …" (the title as one line of running text)."""
    return (
        f"{wording.capitalize_first(data.document_type.lower())} {wording.lower_first(data.title)}"
    )

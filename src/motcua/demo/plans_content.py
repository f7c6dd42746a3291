"""A demo reform plan of the province for this year, with tasks in every state, an inspection,
and the staffing quotas of last year and this (cut by 40, as Sơn La's were from 2,619 to 2,579)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from motcua.people.models import User
from motcua.plans import services
from motcua.plans.models import Plan, ReformArea, TaskStatus
from motcua.units.models import Unit, UnitKind
from motcua.units.services import unit_on

TASKS = [  # area, title, lead (province, agency or commune), days from 1 January, done after (days) or None
    ("1", "Ban hành kế hoạch cải cách hành chính năm", "province", 20, 15),
    ("1", "Kiểm tra công tác cải cách hành chính tại các xã, phường", "province", 200, None),
    ("2", "Rà soát văn bản quy phạm pháp luật do tỉnh ban hành", "agency", 120, 130),
    ("3", "Công bố danh mục thủ tục hành chính không phụ thuộc địa giới hành chính", "province", 90, 80),
    ("3", "Rà soát, đơn giản hóa thủ tục hành chính cấp xã", "commune", 150, None),
    ("4", "Sắp xếp các đơn vị sự nghiệp công lập", "agency", 300, None),
    ("5", "Xây dựng vị trí việc làm cấp xã", "commune", 250, None),
    ("6", "Tự chủ tài chính của đơn vị sự nghiệp", "agency", 330, None),
    ("7", "Số hóa kết quả giải quyết thủ tục hành chính còn hiệu lực", "commune", 180, 170),
    ("8", "Khảo sát sự hài lòng của người dân tại các Trung tâm phục vụ hành chính công", "province", 340, None),
]


def ensure_plans_content(now: datetime) -> int:
    """Create the demo plan, inspection and quotas once; returns how many things were made."""
    today = now.date()
    province = unit_on("14", today)
    staff = User.objects.filter(username="cchc.snv").first()
    if staff is None or province is None or Plan.objects.filter(unit=province, year=today.year).exists():
        return 0
    agency = Unit.objects.filter(parent=province, kind=UnitKind.AGENCY).valid_on(today).order_by("code").first()
    commune = unit_on("04105", today)
    leads = {"province": province, "agency": agency or province, "commune": commune or province}
    plan = services.create_plan(
        staff,
        province,
        today.year,
        f"Kế hoạch cải cách hành chính năm {today.year}",
        "15/KH-UBND",
        date(today.year, 1, 10),
        "Nghị quyết 76/NQ-CP; Quyết định 876/QĐ-BNV",
    )
    services.add_directive(
        staff,
        plan,
        "02/CT-UBND",
        date(today.year, 1, 15),
        "UBND tỉnh Sơn La",
        "Chỉ thị về tăng cường kỷ luật, kỷ cương hành chính",
    )
    areas = {a.code: a for a in ReformArea.objects.all()}
    start = date(today.year, 1, 1)
    for code, title, lead, due_in, done_after in TASKS:
        task = services.add_task(
            staff, plan, area=areas[code], title=title, lead_unit=leads[lead], deadline=start + timedelta(days=due_in)
        )
        if done_after is not None and start + timedelta(days=done_after) <= today:
            done = datetime.combine(start + timedelta(days=done_after), now.timetz())
            services.report_progress(staff, task, "Đã hoàn thành theo kế hoạch", TaskStatus.DONE, at=done)
    if commune is not None:
        inspection = services.record_inspection(
            staff,
            province,
            "surprise",
            today - timedelta(days=20),
            "Đoàn kiểm tra công vụ tỉnh",
            [commune],
            "Niêm yết thủ tục hành chính chưa đầy đủ",
        )
        services.require_fix(
            staff, inspection, commune, "Niêm yết đầy đủ thủ tục hành chính", today + timedelta(days=10)
        )
    agencies = list(Unit.objects.filter(parent=province, kind=UnitKind.AGENCY).valid_on(today).order_by("code"))
    if agencies:
        before = [2619 // len(agencies)] * len(agencies)
        before[0] += 2619 - sum(before)
        after = list(before)
        after[0] -= 40  # 2,619 → 2,579
        for unit, old, new in zip(agencies, before, after, strict=True):
            for year, approved in ((today.year - 1, old), (today.year, new)):
                services.set_quota(
                    staff,
                    unit,
                    year,
                    "civil_servant",
                    approved,
                    approved - 5,
                    f"QĐ giao biên chế năm {year}",
                    date(year, 1, 5),
                )
    return 1

"""Reference data of the plans app: the reform areas and a starting rating rule."""

# The eight areas of the PAR index (Decision 876/QĐ-BNV), which reform plans are organised by.
AREAS = [
    ("1", "Công tác chỉ đạo, điều hành cải cách hành chính"),
    ("2", "Cải cách thể chế"),
    ("3", "Cải cách thủ tục hành chính"),
    ("4", "Cải cách tổ chức bộ máy hành chính nhà nước"),
    ("5", "Cải cách chế độ công vụ"),
    ("6", "Cải cách tài chính công"),
    ("7", "Xây dựng và phát triển chính quyền điện tử, chính quyền số"),
    ("8", "Tác động của cải cách hành chính đến người dân, tổ chức và phát triển kinh tế - xã hội"),
]
# A starting rule; each province sets its own in the administration pages.
BANDS = [
    {"code": "excellent", "label": "Hoàn thành xuất sắc nhiệm vụ", "min": 90},
    {"code": "good", "label": "Hoàn thành tốt nhiệm vụ", "min": 70},
    {"code": "completed", "label": "Hoàn thành nhiệm vụ", "min": 50},
    {"code": "not_completed", "label": "Không hoàn thành nhiệm vụ", "min": 0},
]


def ensure(area_model, rule_model) -> None:
    for code, name in AREAS:
        area_model.objects.update_or_create(code=code, defaults={"name": name})
    rule_model.objects.get_or_create(year=2018, defaults={"bands": BANDS})

from datetime import date, datetime
from io import StringIO

import pytest
from django.core.management import call_command

from motcua.workdays import rules, services
from motcua.workdays.models import CalendarOverride

VN = rules.VIETNAM


@pytest.mark.django_db
def test_the_override_table_wins_over_the_package():
    received = datetime(2026, 11, 23, 8, 0, tzinfo=VN)
    one_day = rules.Duration(1, rules.DurationUnit.WORKING_DAYS)
    # 24/11/2026 is off in the package: Mon 08:00 + 1 day = Wed 08:00.
    assert services.due_at(received, one_day) == datetime(2026, 11, 25, 8, 0, tzinfo=VN)
    CalendarOverride.objects.create(date=date(2026, 11, 24), kind="working_day", name="Đi làm bình thường")
    assert services.due_at(received, one_day) == datetime(2026, 11, 24, 8, 0, tzinfo=VN)
    CalendarOverride.objects.create(date=date(2026, 11, 23), kind="day_off", name="Nghỉ đột xuất")
    # A day off on the day of receipt moves the start to the next working day (Tue 24/11, now working).
    assert services.due_at(received, one_day) == datetime(2026, 11, 24, 17, 30, tzinfo=VN)


@pytest.mark.django_db
def test_calendar_import(tmp_path):
    path = tmp_path / "calendar.csv"
    path.write_text(
        "date,kind,name,legal_basis\n"
        "2027-02-05,day_off,Nghỉ Tết Đinh Mùi,Thông báo của Bộ Nội vụ\n"
        "2027-02-20,working_day,Làm bù,Thông báo của Bộ Nội vụ\n",
        encoding="utf-8",
    )
    call_command("import", "calendar", str(path), stdout=StringIO())
    calendar = services.office_calendar(2027)
    assert not calendar.is_working_day(date(2027, 2, 5))
    assert calendar.is_working_day(date(2027, 2, 20))

    broken = tmp_path / "broken.csv"
    broken.write_text("date,kind,name\n2027-13-01,holiday,\n", encoding="utf-8")
    err = StringIO()
    with pytest.raises(SystemExit):
        call_command("import", "calendar", str(broken), stdout=StringIO(), stderr=err)
    assert "Line 2: unknown kind “holiday”" in err.getvalue()
    assert "Line 2: column “name” is empty" in err.getvalue()
    assert CalendarOverride.objects.count() == 2


def test_years_outside_the_supported_window_are_refused():
    with pytest.raises(rules.CalendarRangeError):
        services.office_calendar(1200)


@pytest.mark.django_db
def test_days_off_follow_the_calendar_including_overrides():
    CalendarOverride.objects.create(date=date(2026, 11, 24), kind="working_day", name="Đi làm bình thường")
    listed = dict(services.days_off_between(date(2026, 8, 20), date(2026, 11, 30)))
    assert listed[date(2026, 8, 22)] == "Ngày làm bù"  # make-up Saturday, named by us
    assert listed[date(2026, 8, 31)].startswith("Ngày nghỉ (thay cho")
    assert listed[date(2026, 9, 2)] == "Quốc khánh"
    assert date(2026, 11, 24) not in listed  # declared a working day again

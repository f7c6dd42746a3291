"""`motcua import officials FILE`: accounts with their unit and roles, and one invitation each."""

import re
from io import StringIO
from pathlib import Path

import pytest
from django.core import mail
from django.core.management import call_command

from motcua.people.models import Invitation, Role, RoleAssignment, User
from motcua.units.services import unit_on
from tests.factories import DAY, UserFactory

DATA = Path(__file__).parent / "data"
HEADER = "username,full_name,email,phone,unit_code,roles\n"

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def queue(settings):
    """Tasks run as soon as they are queued; links on the public address."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    settings.MOTCUA_PUBLIC_URL = "https://dichvucong.sonla.gov.vn"


def run(path, *args, capture):
    """The command as an administrator runs it; returns what it printed."""
    out = StringIO()
    with capture(execute=True):
        call_command("import", "officials", str(path), *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def refused(path, capture):
    err = StringIO()
    with capture(execute=True), pytest.raises(SystemExit) as exit_:
        call_command("import", "officials", str(path), stdout=StringIO(), stderr=err)
    assert exit_.value.code == 1
    return err.getvalue().splitlines()[1:]


def held(username):
    return sorted((a.role, a.unit.code) for a in RoleAssignment.objects.filter(user__username=username))


def test_the_first_import_makes_every_official_and_mails_each_an_invitation(django_capture_on_commit_callbacks):
    printed = run(DATA / "officials.csv", capture=django_capture_on_commit_callbacks)

    assert printed.splitlines() == [
        "officials: 8 tạo mới / created, 0 cập nhật / updated, 0 không đổi / unchanged",
        "  8 lời mời đặt mật khẩu / invitations to set a password",
    ]
    quang = User.objects.get(username="quang.snv")
    assert (quang.full_name, quang.email, quang.phone) == ("Quàng Thị Lan", "quangthilan@sonla.gov.vn", "0912345601")
    assert not quang.has_usable_password() and quang.is_active
    assert held("quang.snv") == [("reform_staff", "14.SNV"), ("unit_leader", "14.SNV")]
    assert held("lo.ttpvhcc") == [("desk_officer", "14.TTPVHCC")]  # the role by its Vietnamese name
    assert User.objects.get(username="lo.ttpvhcc").phone == "0912345603"  # +84 read as 0
    assert User.objects.get(username="hoang.snv").phone == "02123852466"  # a landline
    assert held("vi.stp") == [("processing_officer", "14.STP"), ("unit_leader", "14.STP")]
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        User.objects.filter(invitations__isnull=False).values_list("email", flat=True)
    )
    assert len(mail.outbox) == 8
    assert Invitation.objects.filter(sent_at__isnull=False).count() == 8
    message = next(m for m in mail.outbox if m.to == ["quangthilan@sonla.gov.vn"])
    assert message.subject == "motcua: đặt mật khẩu tài khoản của bạn"
    assert message.body.startswith("Kính gửi Quàng Thị Lan,\n\nTài khoản của bạn trên hệ thống một cửa motcua")
    assert "tên đăng nhập: quang.snv" in message.body and "trong vòng 3 ngày" in message.body
    assert re.search(r"https://dichvucong\.sonla\.gov\.vn/tai-khoan/dat-mat-khau/\S+/\S+/", message.body)


def test_a_re_import_invites_nobody_twice_and_updates_what_changed(tmp_path, django_capture_on_commit_callbacks):
    run(DATA / "officials.csv", capture=django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 8
    again = run(DATA / "officials.csv", capture=django_capture_on_commit_callbacks)
    assert again.splitlines()[0] == "officials: 0 tạo mới / created, 0 cập nhật / updated, 8 không đổi / unchanged"
    assert len(mail.outbox) == 8 and Invitation.objects.count() == 8

    text = (DATA / "officials.csv").read_text()
    text = text.replace("Tòng Văn Hải,tongvanhai@sonla.gov.vn", "Tòng Văn Hải,hai.tv@sonla.gov.vn")  # new address
    text = text.replace("04105.PKT,processing_officer", "04105.PVHXH,processing_officer;desk_officer")  # moved
    text += "sa.snv,Sa Văn Minh,savanminh@sonla.gov.vn,,14.SNV,reform_staff\n"
    changed = tmp_path / "officials.csv"
    changed.write_text(text)
    printed = run(changed, capture=django_capture_on_commit_callbacks)

    assert printed.splitlines() == [
        "officials: 1 tạo mới / created, 2 cập nhật / updated, 6 không đổi / unchanged",
        "  1 lời mời đặt mật khẩu / invitations to set a password",
    ]
    assert [m.to for m in mail.outbox[8:]] == [["savanminh@sonla.gov.vn"]]
    assert User.objects.get(username="tong.ttpvhcc").email == "hai.tv@sonla.gov.vn"
    assert held("luong.maison") == [("desk_officer", "04105.PVHXH"), ("processing_officer", "04105.PVHXH")]


def test_reinvite_sends_again_to_those_asked(django_capture_on_commit_callbacks):
    run(DATA / "officials.csv", capture=django_capture_on_commit_callbacks)
    printed = run(
        DATA / "officials.csv", "--reinvite", "cam.maison,ha.maison", capture=django_capture_on_commit_callbacks
    )
    assert printed.splitlines()[1] == "  2 lời mời đặt mật khẩu / invitations to set a password"
    assert sorted(m.to[0] for m in mail.outbox[8:]) == [
        "camthingoc@maison.sonla.gov.vn",
        "havanchung@maison.sonla.gov.vn",
    ]
    run(DATA / "officials.csv", "--reinvite", capture=django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 18 and Invitation.objects.count() == 18


def test_an_official_made_by_hand_with_a_password_is_not_invited(tmp_path, django_capture_on_commit_callbacks):
    UserFactory(username="vi.stp", roles=[(Role.PROCESSING_OFFICER, "14.STP")])
    printed = run(DATA / "officials.csv", capture=django_capture_on_commit_callbacks)
    assert printed.splitlines() == [
        "officials: 7 tạo mới / created, 1 cập nhật / updated, 0 không đổi / unchanged",
        "  7 lời mời đặt mật khẩu / invitations to set a password",
    ]
    assert "vithithao@sonla.gov.vn" not in [m.to[0] for m in mail.outbox]


def test_a_mail_that_failed_goes_when_the_file_is_imported_again(settings, django_capture_on_commit_callbacks):
    settings.MAILERS = {"default": {"BACKEND": "tests.people.test_officials_import.BrokenMailer"}}
    run(DATA / "officials.csv", capture=django_capture_on_commit_callbacks)
    assert Invitation.objects.filter(sent_at__isnull=True, attempts=1).count() == 8
    assert Invitation.objects.first().last_error == "ConnectionRefusedError: mail server down"
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    printed = run(DATA / "officials.csv", capture=django_capture_on_commit_callbacks)
    assert printed.splitlines()[1] == "  0 lời mời đặt mật khẩu / invitations to set a password, 8 gửi lại / sent again"
    assert len(mail.outbox) == 8 and Invitation.objects.count() == 8
    run(DATA / "officials.csv", capture=django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 8


def test_inviting_again_while_a_mail_is_unsent_sends_that_one(settings, django_capture_on_commit_callbacks):
    settings.MAILERS = {"default": {"BACKEND": "tests.people.test_officials_import.BrokenMailer"}}
    run(DATA / "officials.csv", capture=django_capture_on_commit_callbacks)
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    printed = run(DATA / "officials.csv", "--reinvite", capture=django_capture_on_commit_callbacks)
    assert printed.splitlines()[1] == "  8 lời mời đặt mật khẩu / invitations to set a password"
    assert len(mail.outbox) == 8 and Invitation.objects.count() == 8
    assert set(Invitation.objects.values_list("attempts", flat=True)) == {2}


class BrokenMailer:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("mail server down")


def test_a_bad_row_refuses_the_file_naming_row_and_column(tmp_path, django_capture_on_commit_callbacks):
    users = User.objects.count()
    bad = tmp_path / "officials.csv"
    bad.write_text(
        HEADER
        + "nong.snv,Nông Văn Bình,nongvanbinh@sonla.gov.vn,0912345610,14.SNV,reform_staff\n"
        + "lu.snv,Lù Thị Dung,luthidung@sonla.gov.vn,0912345611,14.XYZ,reform_staff\n"
        + "bac.snv,Bạc Văn Tâm,bacvantam@sonla.gov.vn,0912345612,14.SNV,truong_phong\n"
        + "nong.snv,Nông Văn Bình,binh@sonla.gov.vn,12345,14.SNV,citizen\n"
        + "dieu.snv,Điêu Thị Mai,dieu-at-sonla,,,desk_officer\n"
    )
    problems = refused(bad, django_capture_on_commit_callbacks)
    assert problems == [
        "  Dòng 3, cột “unit_code”: không có đơn vị nào mang mã “14.XYZ” vào hôm nay"
        " | Line 3, column “unit_code”: no unit has the code “14.XYZ” today",
        "  Dòng 4, cột “roles”: “truong_phong” không phải là vai trò của cán bộ (desk_officer, processing_officer,"
        " unit_leader, reform_staff, administrator) | Line 4, column “roles”: “truong_phong” is not an official’s role"
        " (desk_officer, processing_officer, unit_leader, reform_staff, administrator)",
        "  Dòng 5, cột “username”: “nong.snv” đã có ở dòng 2"
        " | Line 5, column “username”: “nong.snv” is already on line 2",
        "  Dòng 5, cột “phone”: “12345” không phải là số điện thoại"
        " | Line 5, column “phone”: “12345” is not a phone number",
        "  Dòng 5, cột “roles”: “citizen” không phải là vai trò của cán bộ (desk_officer, processing_officer,"
        " unit_leader, reform_staff, administrator) | Line 5, column “roles”: “citizen” is not an official’s role"
        " (desk_officer, processing_officer, unit_leader, reform_staff, administrator)",
        "  Dòng 6, cột “unit_code”: ô này để trống | Line 6, column “unit_code”: the cell is empty",
        "  Dòng 6, cột “email”: “dieu-at-sonla” không phải là địa chỉ thư điện tử"
        " | Line 6, column “email”: “dieu-at-sonla” is not an e-mail address",
    ]
    assert User.objects.count() == users and not Invitation.objects.exists() and mail.outbox == []


def test_a_password_column_or_a_citizens_account_refuses_the_file(tmp_path, django_capture_on_commit_callbacks):
    with_password = tmp_path / "officials.csv"
    with_password.write_text(
        "username,full_name,email,phone,unit_code,roles,password\n"
        "nong.snv,Nông Văn Bình,nongvanbinh@sonla.gov.vn,,14.SNV,reform_staff,Secret-123456\n"
    )
    assert refused(with_password, django_capture_on_commit_callbacks) == [
        "  Dòng 1: tệp không được chứa mật khẩu: mỗi cán bộ tự đặt mật khẩu từ thư mời"
        " | Line 1: the file must not carry passwords: each official sets theirs from the invitation"
    ]
    User.objects.create_user("minh@example.vn", email="minh@example.vn", password="citizen-pass-1")
    takeover = tmp_path / "takeover.csv"
    takeover.write_text(HEADER + "minh@example.vn,Lò Văn Minh,minh@example.vn,,14.SNV,administrator\n")
    assert refused(takeover, django_capture_on_commit_callbacks) == [
        "  Dòng 2, cột “username”: “minh@example.vn” là tài khoản của người dân"
        " | Line 2, column “username”: “minh@example.vn” is a citizen’s account"
    ]
    assert held("minh@example.vn") == [] and mail.outbox == []


def test_the_invitation_link_sets_the_password_once(client, django_capture_on_commit_callbacks):
    run(DATA / "officials.csv", capture=django_capture_on_commit_callbacks)
    body = next(m for m in mail.outbox if m.to == ["camthingoc@maison.sonla.gov.vn"]).body
    path = re.search(r"https://dichvucong\.sonla\.gov\.vn(/tai-khoan/dat-mat-khau/\S+/)", body).group(1)

    form = client.get(path)  # the token moves into the session, out of the address
    assert form.status_code == 302 and form.url.endswith("/dat-mat-khau/")
    page = client.get(form.url)
    assert "Tên đăng nhập của bạn là cam.maison." in page.text
    short = client.post(form.url, {"new_password1": "ngan", "new_password2": "ngan"})
    assert short.status_code == 200 and not User.objects.get(username="cam.maison").has_usable_password()
    done = client.post(form.url, {"new_password1": "Hat-Lot-Mai-Son-2026", "new_password2": "Hat-Lot-Mai-Son-2026"})
    assert done.status_code == 302 and done.url == "/dang-nhap/"
    assert User.objects.get(username="cam.maison").check_password("Hat-Lot-Mai-Son-2026")
    signed_in = client.post("/dang-nhap/", {"username": "cam.maison", "password": "Hat-Lot-Mai-Son-2026"})
    assert signed_in.status_code == 302 and signed_in.url == "/sau-dang-nhap/"
    client.logout()
    spent = client.get(path)
    assert spent.status_code == 200 and "Đường dẫn này đã được dùng hoặc đã hết hạn." in spent.text


def test_an_xlsx_file_is_read_the_same(tmp_path, django_capture_on_commit_callbacks):
    import csv

    from openpyxl import Workbook

    book = Workbook()
    for cells in csv.reader((DATA / "officials.csv").read_text().splitlines()):
        book.active.append(cells)
    book.save(tmp_path / "officials.xlsx")
    printed = run(tmp_path / "officials.xlsx", capture=django_capture_on_commit_callbacks)
    assert printed.splitlines()[0] == "officials: 8 tạo mới / created, 0 cập nhật / updated, 0 không đổi / unchanged"
    assert held("ha.maison") == [("unit_leader", "04105")]
    assert unit_on("04105", DAY) == RoleAssignment.objects.get(user__username="ha.maison").unit


# ---------------------------------------------------------------------------------------------
# The page where administrators upload the file


def upload(client, path, capture, **extra):
    with capture(execute=True), path.open("rb") as handle:
        return client.post("/lam-viec/can-bo/", {"file": handle, **extra}, follow=True)


def test_an_administrator_uploads_the_officials_and_sees_them_invited(client, django_capture_on_commit_callbacks):
    admin = UserFactory(username="quantri.tinh", roles=[(Role.ADMINISTRATOR, "14")])
    client.force_login(admin)
    page = upload(client, DATA / "officials.csv", django_capture_on_commit_callbacks)
    assert "Đã nhập tệp: 8 tạo mới, 0 cập nhật, 0 không đổi." in page.text
    assert len(mail.outbox) == 8 and User.objects.filter(invitations__sent_at__isnull=False).count() == 8
    assert "Cán bộ một cửa · Trung tâm Phục vụ hành chính công tỉnh Sơn La" in page.text  # lo.ttpvhcc's role
    assert page.text.count("đang chờ gửi") == 8  # the page came back before the queue sent them
    assert client.get("/lam-viec/can-bo/").text.count("đã gửi ") == 8
    again = upload(client, DATA / "officials.csv", django_capture_on_commit_callbacks, reinvite="1")
    assert "Đã nhập tệp: 0 tạo mới, 0 cập nhật, 8 không đổi." in again.text
    assert len(mail.outbox) == 16


def test_an_administrator_of_a_commune_touches_only_its_officials(client, tmp_path, django_capture_on_commit_callbacks):
    admin = UserFactory(username="quantri.maison", roles=[(Role.ADMINISTRATOR, "04105")])
    UserFactory(username="vi.stp", roles=[(Role.PROCESSING_OFFICER, "14.STP")])
    client.force_login(admin)
    users = User.objects.count()
    page = upload(client, DATA / "officials.csv", django_capture_on_commit_callbacks)
    assert "Tệp bị từ chối, không có gì được lưu:" in page.text
    assert "Dòng 2, cột “unit_code”: Vai trò của bạn không bao gồm đơn vị này." in page.text  # 14.SNV
    assert "Dòng 9, cột “username”: “vi.stp” là tài khoản không thuộc quyền quản trị của bạn" in page.text
    assert "Dòng 6," not in page.text and "Dòng 8," not in page.text  # Mai Sơn's own rows are fine
    assert User.objects.count() == users and mail.outbox == []
    lines = (DATA / "officials.csv").read_text().splitlines()
    mai_son = tmp_path / "mai-son.csv"
    mai_son.write_text("\n".join([lines[0], *[line for line in lines if ",04105" in line]]) + "\n")
    page = upload(client, mai_son, django_capture_on_commit_callbacks)
    assert "Đã nhập tệp: 3 tạo mới, 0 cập nhật, 0 không đổi." in page.text
    assert sorted(m.to[0] for m in mail.outbox) == [
        "camthingoc@maison.sonla.gov.vn",
        "havanchung@maison.sonla.gov.vn",
        "luongvantuan@maison.sonla.gov.vn",
    ]


def test_the_officials_page_is_for_administrators(client):
    client.force_login(UserFactory(desk=True))
    assert client.get("/lam-viec/can-bo/").status_code == 403
    client.force_login(UserFactory(roles=[(Role.ADMINISTRATOR, "14")]))
    assert client.get("/lam-viec/can-bo/").status_code == 200

"""The whole cycle through the pages: the council opens the framework, a district scores itself
with evidence, the council adjusts a score with a reason, the district responds once, the council
finalises and publishes; the public page shows the frozen results."""

import json
from datetime import date
from decimal import Decimal as D

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.par import services
from motcua.par.models import AssessmentStatus, Score, Stage
from motcua.par.reminders import reminders, send_reminders
from motcua.people.models import Role, User
from motcua.people.services import assign_role
from motcua.units.services import unit_on

from .conftest import import_totals, make_framework

pytestmark = pytest.mark.django_db
DAY = date(2022, 12, 31)
PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture
def cast(demo, tmp_path):
    framework = make_framework(tmp_path, "SL-2022", 2022, units=["123", "124"])
    council = User.objects.create_user("cchc.snv", password="x-not-used-1", email="snv@example.vn")
    assign_role(council, Role.REFORM_STAFF, unit_on("14", DAY))
    district = User.objects.create_user("lanhdao.mocchau", password="x-not-used-1", email="mc@example.vn")
    assign_role(district, Role.UNIT_LEADER, unit_on("123", DAY))
    other = User.objects.create_user("lanhdao.yenchau", password="x-not-used-1")
    assign_role(other, Role.UNIT_LEADER, unit_on("124", DAY))

    class Cast:
        pass

    cast = Cast()
    cast.framework, cast.council, cast.district, cast.other = framework, council, district, other
    cast.moc_chau = unit_on("123", DAY)
    cast.leaf = {c.code: c for c in services.leaves(framework)}
    return cast


def post(client, user, url, data):
    client.force_login(user)
    return client.post(url, data)


def test_the_whole_cycle_through_the_pages(client, cast):
    f, leaf = cast.framework, cast.leaf
    base = f"/chi-so-cchc/{f.code}/"
    mine = f"{base}don-vi/{cast.moc_chau.pk}/"
    # The district cannot run the framework; the council opens the self-assessment.
    post(client, cast.district, f"{base}thao-tac/", {"step": "self"})
    f.refresh_from_db()
    assert f.stage == Stage.DRAFT
    post(client, cast.council, f"{base}thao-tac/", {"step": "self", "deadline": "2022-11-30"})
    f.refresh_from_db()
    assert (f.stage, f.self_deadline) == (Stage.SELF_ASSESSMENT, date(2022, 11, 30))
    # The district scores itself; a score above the maximum is refused and nothing is kept.
    scores = {
        f"score_{leaf[c].pk}": v for c, v in {"1.1": "6", "1.2": "4", "2.1": "9", "2.2": "19", "3.1": "25"}.items()
    }
    response = post(client, cast.district, mine, {**scores, "step": "save"})
    assert response.status_code == 302
    assert not Score.objects.filter(self_score__isnull=False).exists()  # 1.1 to 2.2 were fine, but not kept
    assert "25 nằm ngoài khoảng 0–20.00 điểm của tiêu chí 3.1" in client.get(mine).content.decode()
    scores[f"score_{leaf['3.1'].pk}"] = "18"
    evidence = SimpleUploadedFile("ke-hoach.pdf", PDF, content_type="application/pdf")
    post(
        client,
        cast.district,
        mine,
        {
            **scores,
            f"explain_{leaf['1.1'].pk}": "Kế hoạch số 12/KH-UBND",
            f"files_{leaf['1.1'].pk}": evidence,
            "step": "submit",
        },
    )
    assessment = services.assessment_for(f, cast.moc_chau)
    assert assessment.status == AssessmentStatus.SUBMITTED
    assert assessment.scores.get(criterion=leaf["1.1"]).evidence.get().original_name == "ke-hoach.pdf"
    # Another district's leader cannot see Mộc Châu's assessment.
    client.force_login(cast.other)
    assert client.get(mine).status_code == 404
    # The council adjusts 2.2 with a reason (a change without one is refused) and sends it.
    post(client, cast.council, f"{base}thao-tac/", {"step": "appraisal"})
    s22 = assessment.scores.get(criterion=leaf["2.2"])
    post(client, cast.council, mine, {f"appraised_{s22.pk}": "17", "step": "appraise"})
    s22.refresh_from_db()
    assert s22.appraised_score is None
    post(
        client,
        cast.council,
        mine,
        {f"appraised_{s22.pk}": "17", f"reason_{s22.pk}": "Thiếu báo cáo quý IV", "step": "send"},
    )
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.APPRAISED
    assert assessment.scores.get(criterion=leaf["1.1"]).appraised_score == D(6)  # accepted as scored
    # The district responds once.
    post(client, cast.district, mine, {f"response_{s22.pk}": "Báo cáo quý IV gửi ngày 20/12", "step": "respond"})
    again = post(client, cast.district, mine, {f"response_{s22.pk}": "Lần hai", "step": "respond"})
    assert again.status_code == 302
    s22.refresh_from_db()
    assert s22.response == "Báo cáo quý IV gửi ngày 20/12"
    post(client, cast.council, mine, {"step": "finalise"})
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.FINAL
    # Survey points come from a sheet; the results count appraised + survey.
    import_totals_survey(f)
    f.refresh_from_db()  # at the appraisal: ranked once the council has sent its appraisal
    row = next(r for r in services.results(f).rows if r.unit_code == "123")
    assert row.points == D(6 + 4 + 9 + 17 + 18 + 35)
    # Publish: the council is asked first; a post without the confirmation publishes nothing.
    publish = {"step": "publish", "decision": "94/QĐ-UBND ngày 12/01/2023"}
    asked = post(client, cast.council, f"{base}thao-tac/", publish)
    f.refresh_from_db()
    assert asked.status_code == 200 and f.stage == Stage.APPRAISAL
    page = asked.content.decode()
    assert "Công bố kết quả này?" in page and "Sau khi công bố, người dân sẽ xem được." in page
    assert 'name="confirm" value="yes"' in page and 'value="94/QĐ-UBND ngày 12/01/2023"' in page
    assert f'href="{base}"' in page  # cancel: back to the framework
    assert client.get(f"/ket-qua/cchc/{f.code}/").status_code == 404
    # Confirmed: frozen, public, and the framework page offers the exports.
    post(client, cast.council, f"{base}thao-tac/", {**publish, "confirm": "yes"})
    f.refresh_from_db()
    assert f.stage == Stage.PUBLISHED
    client.logout()
    page = client.get(f"/ket-qua/cchc/{f.code}/?unit={cast.moc_chau.pk}").content.decode()
    assert "Huyện Mộc Châu" in page and "94/QĐ-UBND" in page and "par-radar-data" in page
    data = json.loads(client.get("/api/par/results", {"framework": f.code}).content)
    assert data["published"] and data["rows"][0]["points"] == "89.00"
    # After publication the district's page is read-only and a change is refused.
    post(client, cast.district, mine, {**scores, "step": "save"})
    assert services.results(f).rows[0].points == D("89.00")


def import_totals_survey(framework):
    from motcua.core.tabular import Row

    rows = [
        Row(
            2,
            {
                "framework": framework.code,
                "unit_code": "123",
                "criterion_code": "4.1",
                "self_score": "",
                "appraised_score": "",
                "survey_score": "35",
            },
        )
    ]
    services.import_scores(
        ["framework", "unit_code", "criterion_code", "self_score", "appraised_score", "survey_score"], rows
    )


def test_unpublished_results_are_not_public(client, cast):
    assert client.get(f"/ket-qua/cchc/{cast.framework.code}/").status_code == 404
    assert client.get("/api/par/results", {"framework": cast.framework.code}).status_code == 404
    client.force_login(cast.district)
    assert client.get("/api/par/results", {"framework": cast.framework.code}).status_code == 200


def test_the_api_takes_a_score_sheet_from_the_council_only(client, cast):
    sheet = (
        b"framework,unit_code,criterion_code,self_score,appraised_score,survey_score\n"
        b"SL-2022,123,1.1,5,,\nSL-2022,123,1.2,9,,\n"
    )
    client.force_login(cast.council)
    refused = client.post("/api/par/scores", {"file": SimpleUploadedFile("s.csv", sheet)})
    assert refused.status_code == 422
    assert refused.json()["problems"][0]["line"] == 3
    assert not Score.objects.exists()
    good = sheet.replace(b"1.2,9", b"1.2,3")
    assert client.post("/api/par/scores", {"file": SimpleUploadedFile("s.csv", good)}).json() == {
        "created": 2,
        "updated": 0,
        "unchanged": 0,
    }
    client.force_login(cast.district)
    assert client.post("/api/par/scores", {"file": SimpleUploadedFile("s.csv", good)}).status_code == 404


def test_assignments_and_deadlines_send_reminders(cast):
    services.assign(cast.council, cast.leaf["1.1"], cast.moc_chau, date(2022, 11, 10))
    services.set_stage(cast.council, cast.framework, Stage.SELF_ASSESSMENT, date(2022, 11, 30))
    assert reminders(date(2022, 11, 1)) == {}
    due = reminders(date(2022, 11, 8))
    assert due == {cast.moc_chau.pk: ["Tiêu chí 1.1 của Chỉ số CCHC các huyện năm 2022 đến hạn ngày 10/11/2022."]}
    later = reminders(date(2022, 11, 28))
    assert len(later[cast.moc_chau.pk]) == 2 and len(later[unit_on("124", DAY).pk]) == 1
    assert send_reminders.call("2022-11-28") == 1  # only Mộc Châu's leader has an e-mail address
    assert mail.outbox[-1].to == ["mc@example.vn"]
    with pytest.raises(services.ParError):
        services.assign(cast.district, cast.leaf["1.2"], cast.moc_chau)


def test_the_stage_moves_forward_only(cast):
    services.set_stage(cast.council, cast.framework, Stage.APPRAISAL)
    with pytest.raises(services.ParError):
        services.set_stage(cast.council, cast.framework, Stage.SELF_ASSESSMENT)
    assessment = services.assessment_for(cast.framework, cast.moc_chau)
    with pytest.raises(services.ParError):  # self-scoring is over
        services.self_score(cast.district, assessment, cast.leaf["1.1"], D(5))
    with pytest.raises(services.ParError):
        services.assessment_for(cast.framework, unit_on("125", DAY))  # Mai Sơn is not assessed here


def test_scores_from_a_sheet_and_the_what_if_on_the_framework_page(client, cast, tmp_path):
    import_totals(tmp_path, "SL-2022", {"123": D("88.5"), "124": D("91")})
    client.force_login(cast.council)
    page = client.get(f"/chi-so-cchc/SL-2022/?unit={cast.moc_chau.pk}")
    assert page.context["lift"][0:2] == ("A", D("1.50"))
    assert "par-ranking-data" in page.content.decode()
    for fmt, kind in (("xlsx", "spreadsheetml"), ("pdf", "pdf")):
        assert kind in client.get(f"/chi-so-cchc/SL-2022/?format={fmt}")["Content-Type"]
    assert client.get("/chi-so-cchc/SL-2022/?export=xlsx").status_code == 200
    client.force_login(User.objects.create_user("nobody", password="x-not-used-1"))
    assert client.get("/chi-so-cchc/SL-2022/").status_code == 403  # no role: no back office at all


def test_the_council_enters_survey_points_and_reads_the_evidence(client, cast):
    services.set_stage(cast.council, cast.framework, Stage.SELF_ASSESSMENT)
    assessment = services.assessment_for(cast.framework, cast.moc_chau)
    evidence = SimpleUploadedFile("bao-cao.pdf", PDF, content_type="application/pdf")
    score = services.self_score(cast.district, assessment, cast.leaf["1.1"], D(5), "Báo cáo", [evidence])
    stored = score.evidence.get()
    url = f"/chi-so-cchc/SL-2022/don-vi/{cast.moc_chau.pk}/"
    response = post(client, cast.council, url, {f"survey_{cast.leaf['4.1'].pk}": "41", "step": "survey"})
    assert response.status_code == 302 and not assessment.scores.filter(survey_score__isnull=False).exists()
    post(client, cast.council, url, {f"survey_{cast.leaf['4.1'].pk}": "37,5", "step": "survey"})
    assert assessment.scores.get(criterion=cast.leaf["4.1"]).survey_score == D("37.5")
    download = client.get(f"/chi-so-cchc/SL-2022/minh-chung/{stored.pk}/")
    assert b"".join(download.streaming_content) == PDF
    client.force_login(cast.other)
    assert client.get(f"/chi-so-cchc/SL-2022/minh-chung/{stored.pk}/").status_code == 404
    with pytest.raises(services.ParError):
        services.set_survey(cast.district, assessment, cast.leaf["4.1"], D(30))


def test_during_the_self_assessment_the_framework_shows_progress_not_ranks(client, cast):
    f, leaf = cast.framework, cast.leaf
    base = f"/chi-so-cchc/{f.code}/"
    services.set_stage(cast.council, f, Stage.SELF_ASSESSMENT, date(2022, 11, 30))
    mine = services.assessment_for(f, cast.moc_chau)
    services.self_score(cast.district, mine, leaf["1.1"], D(6))
    client.force_login(cast.council)
    page = client.get(base)
    states = {p.unit.code: p.state for p, _label in page.context["progress"]}
    assert states == {"123": "in_progress", "124": "not_started"}
    summary = page.context["progress_summary"]
    assert (summary.total, summary.submitted, summary.submitted_percent) == (2, 0, D("0.00"))
    html = page.content.decode()
    assert "chưa xếp hạng cho đến khi điểm được thẩm định" in html and "par-ranking-data" not in html
    assert "Đang tự đánh giá" in html and "Chưa bắt đầu" in html and "0/2 đơn vị đã gửi thẩm định (0,00%)" in html
    assert services.results(f).rows == [] and [u.unit_code for u in services.results(f).awaiting] == ["123"]
    # Mộc Châu submits: half the units have.
    for code, value in {"1.2": 4, "2.1": 9, "2.2": 19, "3.1": 18}.items():
        services.self_score(cast.district, mine, leaf[code], D(value))
    services.submit(cast.district, mine)
    page = client.get(base)
    assert "1/2 đơn vị đã gửi thẩm định (50,00%)" in page.content.decode()
    # Yên Châu's leader reads the counts for all, and the row of Yên Châu only.
    client.force_login(cast.other)
    page = client.get(base)
    assert [(p.unit.code, p.state) for p, _label in page.context["progress"]] == [("124", "not_started")]
    assert page.context["progress_summary"].submitted == 1
    # At the appraisal, a unit is ranked once the council has sent its appraisal; Yên Châu, with
    # no score at all, is listed apart.
    services.set_stage(cast.council, f, Stage.APPRAISAL)
    found = services.results(f)
    assert (found.rows, [u.unit_code for u in found.awaiting]) == ([], ["123"])
    services.send_appraisal(cast.council, mine)
    found = services.results(f)
    assert [(r.unit_code, r.rank, r.points) for r in found.rows] == [("123", 1, D(56))]
    assert [u.unit_code for u in found.no_data] == ["124"] and found.summary.count == 1
    client.force_login(cast.council)
    html = client.get(base).content.decode()
    assert "par-ranking-data" in html and "Chưa có dữ liệu trong kỳ" in html
    # Published: the list apart is frozen with the ranking, and public.
    services.publish(cast.council, f, "94/QĐ-UBND ngày 12/01/2023")
    frozen = services.results(f)
    assert frozen.published and [u.unit_code for u in frozen.no_data] == ["124"]
    client.logout()
    public = client.get(f"/ket-qua/cchc/{f.code}/").content.decode()
    no_data = public[public.index("Chưa có dữ liệu trong kỳ") :].split("</ul>")[0]
    assert unit_on("124", DAY).name in no_data and "Huyện Mộc Châu" not in no_data
    data = json.loads(client.get("/api/par/results", {"framework": f.code}).content)
    assert [r["unit_code"] for r in data["rows"]] == ["123"] and data["no_data"][0]["unit_code"] == "124"

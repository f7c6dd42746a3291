"""Every address, as every role: who may read, who is sent to sign in, and who is told nothing.

The table is the access policy, read by hand. Objects of a unit outside the reader's roles answer
404 (the reader learns nothing of them), a page the reader's role has no business with answers 403.
A new address fails ``test_every_address_is_in_the_table`` until it is given its row.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from .conftest import ROLES

pytestmark = pytest.mark.django_db

# ok: 200 · go: redirected elsewhere · in: sent to sign in (401 from the API) · no: 403 · nf: 404 ·
# get: the address only takes POST (405)
W = "__world__"

ADDRESSES = {
    "home": lambda w: "/",
    "workspace": lambda w: "/lam-viec/",
    "after-login": lambda w: "/sau-dang-nhap/",
    "login": lambda w: "/dang-nhap/",
    "logout": lambda w: "/dang-xuat/",
    "second-step": lambda w: "/dang-nhap/ma-xac-thuc/",
    "two-factor": lambda w: "/tai-khoan/xac-thuc-hai-buoc/",
    "officials": lambda w: "/lam-viec/can-bo/",
    "set-password": lambda w: "/tai-khoan/dat-mat-khau/MQ/d2h9gb-0123456789abcdef0123456789abcdef/",
    "portal:procedures": lambda w: "/thu-tuc/",
    "portal:procedure": lambda w: "/thu-tuc/1.001193/",
    "portal:apply": lambda w: "/thu-tuc/1.001193/nop/",
    "portal:form": lambda w: f"/mau-don/{w.component.pk}/",
    "portal:sign-up": lambda w: "/dang-ky/",
    "portal:verify": lambda w: "/xac-minh/",
    "portal:resend": lambda w: "/xac-minh/gui-lai/",
    "portal:forgot": lambda w: "/quen-mat-khau/",
    "portal:reset": lambda w: "/quen-mat-khau/dat-lai/",
    "portal:mine": lambda w: "/ca-nhan/",
    "portal:notices": lambda w: "/ca-nhan/thong-bao/",
    "portal:draft": lambda w: f"/ca-nhan/ho-so-nhap/{w.draft.pk}/",
    "portal:discard": lambda w: f"/ca-nhan/ho-so-nhap/{w.draft.pk}/xoa/",
    "portal:remove-file": lambda w: f"/ca-nhan/ho-so-nhap/{w.draft.pk}/tep/{w.draft.files.first().pk}/xoa/",
    "portal:dossier": lambda w: f"/ca-nhan/ho-so/{w.dossier.pk}/",
    "portal:feedback": lambda w: "/phan-anh-kien-nghi/",
    "portal:feedback-lookup": lambda w: "/phan-anh-kien-nghi/tra-cuu/",
    "portal:feedback-inbox": lambda w: "/phan-anh-kien-nghi/xu-ly/",
    "portal:feedback-answer": lambda w: f"/phan-anh-kien-nghi/xu-ly/{w.feedback.pk}/",
    "portal:news": lambda w: "/tin-tuc/",
    "portal:article": lambda w: f"/tin-tuc/{w.article.slug}/",
    "portal:results": lambda w: "/ket-qua/",
    "portal:signed-report": lambda w: f"/ket-qua/bao-cao/{w.signed.pk}/",
    "dossiers:inbox": lambda w: "/ho-so/",
    "dossiers:intake": lambda w: "/ho-so/tiep-nhan/",
    "dossiers:register": lambda w: "/ho-so/so-theo-doi/",
    "dossiers:search": lambda w: "/ho-so/tim-kiem/?q=minh",
    "dossiers:detail": lambda w: f"/ho-so/{w.dossier.pk}/",
    "dossiers:act": lambda w: f"/ho-so/{w.dossier.pk}/thao-tac/assign/",
    "dossiers:document": lambda w: f"/ho-so/{w.dossier.pk}/mau/01.pdf",
    "dossiers:file": lambda w: f"/ho-so/{w.dossier.pk}/tep/{w.file.pk}/",
    "reports:settlement": lambda w: "/bao-cao/",
    "reports:sign": lambda w: "/bao-cao/ky-chot/",
    "reports:signed": lambda w: f"/bao-cao/da-ky/{w.signed.pk}/",
    "reports:cell": lambda w: f"/bao-cao/ho-so/?unit={w.dossier.receiving_unit.parent.code}",
    "quality:dashboard": lambda w: "/chi-so/",
    "quality:pulling": lambda w: "/chi-so/keo-diem/?measure=digitized",
    "par:frameworks": lambda w: "/chi-so-cchc/",
    "par:framework": lambda w: f"/chi-so-cchc/{w.framework.code}/",
    "par:run": lambda w: f"/chi-so-cchc/{w.framework.code}/thao-tac/",
    "par:assessment": lambda w: f"/chi-so-cchc/{w.framework.code}/don-vi/{w.assessment.unit_id}/",
    "par:evidence": lambda w: f"/chi-so-cchc/{w.framework.code}/minh-chung/{w.evidence.pk}/",
    "plans:index": lambda w: "/cai-cach/",
    "plans:plan": lambda w: f"/cai-cach/ke-hoach/{w.plan.pk}/",
    "plans:tasks": lambda w: "/cai-cach/nhiem-vu/",
    "plans:task": lambda w: f"/cai-cach/nhiem-vu/{w.task.pk}/",
    "plans:review": lambda w: "/cai-cach/so-ket/",
    "plans:inspections": lambda w: "/cai-cach/kiem-tra/",
    "plans:inspection": lambda w: f"/cai-cach/kiem-tra/{w.inspection.pk}/",
    "plans:ratings": lambda w: "/cai-cach/xep-loai/",
    "plans:staffing": lambda w: "/cai-cach/bien-che/",
    "par-public-list": lambda w: "/ket-qua/cchc/",
    "par-public": lambda w: f"/ket-qua/cchc/{w.published.code}/",
    "lookup": lambda w: "/tra-cuu/",
    "captcha-image": lambda w: f"/captcha/image/{w.captcha_key}/",
    "captcha-image-2x": lambda w: f"/captcha/image/{w.captcha_key}@2/",
    "captcha-audio": lambda w: f"/captcha/audio/{w.captcha_key}.wav",
    "captcha-refresh": lambda w: "/captcha/refresh/",
    "oidc_authentication_init": lambda w: "/oidc/dang-nhap/",
    "oidc_authentication_callback": lambda w: "/oidc/callback/",
    "set_language": lambda w: "/i18n/setlang/",
    "api-1:openapi-json": lambda w: "/api/openapi.json",
    "api-1:openapi-view": lambda w: "/api/docs",
    "api-1:api-root": lambda w: "/api/",
    "api-1:list_units": lambda w: "/api/units",
    "api-1:get_unit": lambda w: "/api/units/04105",
    "api-1:list_fields": lambda w: "/api/fields",
    "api-1:list_procedures": lambda w: "/api/procedures",
    "api-1:get_procedure": lambda w: "/api/procedures/1.001193",
    "api-1:due": lambda w: "/api/calendar/due?procedure=1.001193&received_at=2026-11-16T09:00:00",
    "api-1:list_dossiers": lambda w: "/api/dossiers",
    "api-1:get_dossier": lambda w: f"/api/dossiers/{w.dossier.code}",
    "api-1:lookup": lambda w: "/api/lookup",  # the code and secret go in a POST's body
    "api-1:settlement": lambda w: "/api/reports/settlement?unit=04105&from=2026-10-01&to=2026-10-31",
    "api-1:service_index": lambda w: "/api/quality/index?unit=04105&from=2026-01-01&to=2026-10-31",
    "api-1:frameworks": lambda w: "/api/par/frameworks",
    "api-1:par_results": lambda w: f"/api/par/results?framework={w.published.code}",
    "api-1:tasks": lambda w: "/api/plans/tasks",
    "api-1:review": lambda w: "/api/plans/review?unit=04105&year=2026&date_from=2026-01-01&date_to=2026-03-31",
    "api-1:rating": lambda w: "/api/plans/rating?unit=04105&year=2026",
    "api-1:staffing": lambda w: "/api/plans/staffing?unit=14&year=2026",
    "api-1:plans": lambda w: "/api/plans/plans",
    "api-1:inspections": lambda w: "/api/plans/inspections",
    # Province instances post here with their token (tests/national); no session opens it.
    "national:receive": lambda w: "/quoc-gia/dong-bo/",
}


def walk(patterns, ns=None):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue  # Django's admin checks staff status and model permissions itself (test_admin.py)
            yield from walk(pattern.url_patterns, pattern.namespace or ns)
        elif isinstance(pattern, URLPattern):
            yield f"{ns}:{pattern.name}" if ns and pattern.name else pattern.name


def outcome(response) -> str:
    code = response.status_code
    if code in (301, 302):
        return "in" if "/dang-nhap/" in response["Location"] else "go"
    return {200: "ok", 401: "in", 403: "no", 404: "nf", 405: "get"}.get(code, str(code))


EXPECTED = {
    "home": "ok ok ok go go go go go go",
    "workspace": "in no no ok ok ok ok ok ok",
    "after-login": "in go go go go go go go go",
    "login": "ok go go go go go go go go",
    "logout": "get get get get get get get get get",
    "second-step": "in go go go go go go go go",
    "two-factor": "in no no ok ok ok ok ok ok",
    "officials": "in no no no no no no no ok",
    "set-password": "ok ok ok ok ok ok ok ok ok",  # a link that does not hold shows only that it does not
    "portal:procedures": "ok ok ok ok ok ok ok ok ok",
    "portal:procedure": "ok ok ok ok ok ok ok ok ok",
    "portal:apply": "in get get get get get get get get",
    "portal:form": "ok ok ok ok ok ok ok ok ok",
    "portal:sign-up": "ok ok ok ok ok ok ok ok ok",
    "portal:verify": "ok ok ok ok ok ok ok ok ok",
    "portal:resend": "get get get get get get get get get",
    "portal:forgot": "ok ok ok ok ok ok ok ok ok",
    "portal:reset": "ok ok ok ok ok ok ok ok ok",
    "portal:mine": "in ok ok ok ok ok ok ok ok",
    "portal:notices": "in get get get get get get get get",
    "portal:draft": "in ok nf nf nf nf nf nf nf",
    "portal:discard": "in ok nf nf nf nf nf nf nf",
    "portal:remove-file": "in ok nf nf nf nf nf nf nf",
    "portal:dossier": "in ok nf nf nf nf nf nf nf",
    "portal:feedback": "ok ok ok ok ok ok ok ok ok",
    "portal:feedback-lookup": "ok ok ok ok ok ok ok ok ok",
    "portal:feedback-inbox": "in no no ok ok ok ok ok ok",
    "portal:feedback-answer": "in no no nf nf ok ok ok nf",
    "portal:news": "ok ok ok ok ok ok ok ok ok",
    "portal:article": "ok ok ok ok ok ok ok ok ok",
    "portal:results": "ok ok ok ok ok ok ok ok ok",
    "portal:signed-report": "ok ok ok ok ok ok ok ok ok",
    "dossiers:inbox": "in no no ok ok ok ok ok ok",
    "dossiers:intake": "in no no ok ok go go go go",
    "dossiers:register": "in no no ok ok ok ok ok ok",
    "dossiers:search": "in no no ok ok ok ok ok ok",
    "dossiers:detail": "in no no nf ok ok ok ok ok",
    "dossiers:act": "in no no get get get get get get",
    "dossiers:document": "in no no nf ok ok ok ok ok",
    "dossiers:file": "in no no nf ok ok ok ok ok",
    "reports:settlement": "in no no nf nf nf ok ok ok",
    "reports:sign": "in no no get get get get get get",
    "reports:signed": "in no no nf nf nf ok ok ok",
    "reports:cell": "in no no nf nf nf ok ok ok",
    "quality:dashboard": "in no no nf nf nf ok ok ok",
    "quality:pulling": "in no no nf nf nf ok ok ok",
    "par:frameworks": "in no no ok ok ok ok ok ok",
    "par:framework": "in no no nf nf ok ok ok ok",
    "par:run": "in no no get get get get get get",
    "par:assessment": "in no no nf nf ok ok ok ok",
    "par:evidence": "in no no nf nf ok ok ok ok",
    "plans:index": "in no no ok ok ok ok ok ok",
    "plans:plan": "in no no nf nf ok ok ok ok",
    "plans:tasks": "in no no ok ok ok ok ok ok",
    "plans:task": "in no no nf nf ok ok ok ok",
    "plans:review": "in no no ok ok ok ok ok ok",
    "plans:inspections": "in no no ok ok ok ok ok ok",
    "plans:inspection": "in no no nf nf ok ok ok ok",
    "plans:ratings": "in no no ok ok ok ok ok ok",
    "plans:staffing": "in no no ok ok ok ok ok ok",
    "par-public-list": "ok ok ok ok ok ok ok ok ok",
    "par-public": "ok ok ok ok ok ok ok ok ok",
    "lookup": "ok ok ok ok ok ok ok ok ok",
    "captcha-image": "ok ok ok ok ok ok ok ok ok",
    "captcha-image-2x": "ok ok ok ok ok ok ok ok ok",
    "captcha-audio": "nf nf nf nf nf nf nf nf nf",
    "captcha-refresh": "nf nf nf nf nf nf nf nf nf",
    "oidc_authentication_init": "nf nf nf nf nf nf nf nf nf",
    "oidc_authentication_callback": "nf nf nf nf nf nf nf nf nf",
    "set_language": "go go go go go go go go go",
    "api-1:openapi-json": "ok ok ok ok ok ok ok ok ok",
    "api-1:openapi-view": "ok ok ok ok ok ok ok ok ok",
    "api-1:api-root": "nf nf nf nf nf nf nf nf nf",
    "api-1:list_units": "ok ok ok ok ok ok ok ok ok",
    "api-1:get_unit": "ok ok ok ok ok ok ok ok ok",
    "api-1:list_fields": "ok ok ok ok ok ok ok ok ok",
    "api-1:list_procedures": "ok ok ok ok ok ok ok ok ok",
    "api-1:get_procedure": "ok ok ok ok ok ok ok ok ok",
    "api-1:due": "ok ok ok ok ok ok ok ok ok",
    "api-1:list_dossiers": "in ok ok ok ok ok ok ok ok",
    "api-1:get_dossier": "in ok nf nf ok ok ok ok ok",
    "api-1:lookup": "get get get get get get get get get",
    "api-1:settlement": "in nf nf nf nf nf ok ok ok",
    "api-1:service_index": "in nf nf nf nf nf ok ok ok",
    "api-1:frameworks": "ok ok ok ok ok ok ok ok ok",
    "api-1:par_results": "ok ok ok ok ok ok ok ok ok",
    "api-1:tasks": "in ok ok ok ok ok ok ok ok",
    "api-1:review": "in nf nf nf nf ok ok ok ok",
    "api-1:rating": "in nf nf nf nf ok ok ok ok",
    "api-1:staffing": "in nf nf nf nf nf nf ok ok",
    "api-1:plans": "in ok ok ok ok ok ok ok ok",
    "api-1:inspections": "in ok ok ok ok ok ok ok ok",
    "national:receive": "get get get get get get get get get",
}


def test_every_address_is_in_the_table():
    named = set(walk(get_resolver().url_patterns)) - {None}  # the unnamed one serves the public news images
    assert named == set(ADDRESSES) | {f"api-1:{name}" for name in API_ACTIONS} | {"api-1:receive"}
    assert set(ADDRESSES) == set(EXPECTED)


def test_every_role_reads_only_what_the_table_allows(client, world):
    found = {}
    for name, address in ADDRESSES.items():
        outcomes = []
        for role in ROLES:
            world.client_for(client, role)
            outcomes.append(outcome(client.get(address(world))))
        found[name] = " ".join(outcomes)
    differences = [
        f"{name}: expected {EXPECTED[name]!r}, found {found[name]!r}"
        for name in ADDRESSES
        if found[name] != EXPECTED[name]
    ]
    assert not differences, "\n".join(["roles: " + " ".join(ROLES), *differences])


# Every action of the API on one dossier, with a body its schema accepts.
ACTION_BODY = {
    "note": "Ghi chú", "reasons": "Lý do", "reason": "Lý do", "assignee": "xuly.maison", "to_step": 1,
    "unit": "04105", "units": ["04105.PKT"], "task": "Cho ý kiến", "answer": "Đồng ý",
    "fees": [{"name": "Lệ phí", "amount": 8000}], "new_appointment": "2026-12-30T10:00:00+07:00",
    "rating": "satisfied",
}  # fmt: skip
API_ACTIONS = {
    "accept": "accept", "refuse": "refuse", "supplement": "supplement", "resume": "resume", "assign": "assign",
    "forward": "forward", "send_back": "send-back", "transfer": "transfer", "consult": "consult",
    "answer": "consultations/{consultation}/answer", "payment_request": "payment-request", "payment": "payment",
    "leader_approve": "leader-approve", "leader_return": "leader-return", "leader_refuse": "leader-refuse",
    "apology": "apology", "result": "result", "hand_over": "return", "stop": "stop", "withdraw": "withdraw",
    "rate": "rate", "public_rate": None, "sign": None, "import_scores": None,
}  # fmt: skip
PAGE_ACTIONS = {
    "dossiers:act assign": (lambda w: f"/ho-so/{w.dossier.pk}/thao-tac/assign/", {"assignee": "xuly.maison"}),
    "dossiers:act forward": (lambda w: f"/ho-so/{w.dossier.pk}/thao-tac/forward/", {"note": "x"}),
    "portal:draft": (lambda w: f"/ca-nhan/ho-so-nhap/{w.draft.pk}/", {"applicant_name": "Kẻ lạ", "submit": "1"}),
    "portal:discard": (lambda w: f"/ca-nhan/ho-so-nhap/{w.draft.pk}/xoa/", {"confirm": "1"}),
    "portal:remove-file": (
        lambda w: f"/ca-nhan/ho-so-nhap/{w.draft.pk}/tep/{w.draft.files.first().pk}/xoa/",
        {"confirm": "1"},
    ),
    "portal:dossier withdraw": (lambda w: f"/ca-nhan/ho-so/{w.dossier.pk}/", {"action": "withdraw", "reason": "x"}),
    "portal:feedback-answer": (lambda w: f"/phan-anh-kien-nghi/xu-ly/{w.feedback.pk}/",
                               {"answer": "x", "publish": "1"}),
    "par:assessment": (lambda w: f"/chi-so-cchc/{w.framework.code}/don-vi/{w.assessment.unit_id}/",
                       {"action": "submit"}),
    "plans:task": (lambda w: f"/cai-cach/nhiem-vu/{w.task.pk}/", {"note": "Đã xong", "done": "1"}),
}  # fmt: skip


def fingerprint(world) -> tuple:
    """What an action could have changed: the number of rows of every table of ours, and the
    state of the objects acted on."""
    from django.apps import apps

    counts = tuple(
        (model._meta.label, model.objects.count())
        for model in apps.get_models()
        if model.__module__.startswith("motcua.")
    )
    d, a = world.dossier, world.assessment
    d.refresh_from_db()
    a.refresh_from_db()
    world.feedback.refresh_from_db()
    return counts, d.status, d.assignee_id, d.version, a.status, world.feedback.answer


@pytest.mark.parametrize("role", ["anonymous", "other_citizen", "other_desk"])
def test_no_one_acts_outside_their_units(client, world, role):
    """Every acting address refuses the outsider (404 for what is of another unit, 401/403 or the
    sign-in page for the rest) and leaves everything as it was."""
    before = fingerprint(world)
    world.client_for(client, role)
    refused = []
    for name, path in API_ACTIONS.items():
        if path is None:
            continue
        address = f"/api/dossiers/{world.dossier.code}/" + path.format(consultation=1)
        response = client.post(address, ACTION_BODY, content_type="application/json")
        refused.append((name, response.status_code))
    for name, (address, data) in PAGE_ACTIONS.items():
        refused.append((name, outcome(client.post(address(world), data))))
    assert fingerprint(world) == before
    official = {"dossiers:act assign", "dossiers:act forward", "portal:feedback-answer", "par:assessment", "plans:task"}
    for name, status in refused:
        if role == "anonymous":
            assert status in (401, "in"), name
        elif role == "other_citizen" and name in official:
            assert status == "no", name  # no back office for citizens
        else:
            assert status in (404, "nf"), name  # another's object: not even its existence


def test_the_same_actions_work_for_those_whose_units_they_are(client, world):
    """The refusals above come from scope, not from a malformed request."""
    world.client_for(client, "leader")
    response = client.post(f"/api/dossiers/{world.dossier.code}/assign", ACTION_BODY, content_type="application/json")
    assert response.status_code == 200, response.content
    world.dossier.refresh_from_db()
    assert world.dossier.assignee == world.users["processor"]
    address, data = PAGE_ACTIONS["portal:feedback-answer"]
    assert outcome(client.post(address(world), data)) == "go"
    world.feedback.refresh_from_db()
    assert world.feedback.answer == "x"
    world.client_for(client, "citizen")
    address, data = PAGE_ACTIONS["portal:discard"]
    assert outcome(client.post(address(world), data)) == "go"
    assert not type(world.draft).objects.filter(pk=world.draft.pk).exists()

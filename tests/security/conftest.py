"""One small province with something of every kind in the Mai Sơn commune (04105), and one user
per role, for walking every address as each of them."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from motcua.catalog.models import Procedure
from motcua.people.models import Role, User
from motcua.people.services import assign_role
from motcua.units.services import unit_on

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
ROLES = ["anonymous", "citizen", "other_citizen", "other_desk", "desk", "processor", "leader", "reform", "admin"]


def pdf(name="scan.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


@dataclass
class World:
    users: dict
    dossier: object
    file: object
    draft: object
    feedback: object
    signed: object
    article: object
    component: object
    framework: object
    assessment: object
    evidence: object
    published: object
    plan: object
    task: object
    inspection: object
    captcha_key: str

    def client_for(self, client, role):
        client.logout()
        if self.users.get(role) is not None:
            client.force_login(self.users[role])
        return client


def _user(username, role=None, unit=None, today=None, **flags):
    flags.setdefault("full_name", username)
    user = User.objects.create_user(username, password=None, **flags)
    if role is not None:
        assign_role(user, role, unit_on(unit, today))
    return user


@pytest.fixture
def world(demo, settings, tmp_path):
    from captcha.models import CaptchaStore

    from motcua.demo.par_content import ensure_par_content
    from motcua.demo.plans_content import ensure_plans_content
    from motcua.demo.portal_content import ensure_portal_content
    from motcua.dossiers import services as dossiers
    from motcua.dossiers.models import DossierFile
    from motcua.par import services as par
    from motcua.par.models import Framework
    from motcua.plans.models import Inspection, Plan, Task
    from motcua.portal import services as portal
    from motcua.portal.models import Application, Article, Feedback
    from motcua.reports import services as reports

    settings.MEDIA_ROOT = tmp_path
    now = timezone.now()
    today = timezone.localdate()
    users = {
        "anonymous": None,
        "citizen": _user("0912345678", phone="0912345678", full_name="Lò Văn Minh"),
        "other_citizen": _user("0987654321", phone="0987654321", full_name="Điêu Thị Lan"),
        "other_desk": _user("motcua.tinh", Role.DESK_OFFICER, "14.TTPVHCC", today),
        "desk": _user("motcua.maison", Role.DESK_OFFICER, "04105.TTPVHCC", today),
        "processor": _user("xuly.maison"),
        "leader": _user("lanhdao.maison", Role.UNIT_LEADER, "04105", today),
        "reform": _user("cchc.snv", Role.REFORM_STAFF, "14", today, is_staff=True),
        "admin": _user("quantri", Role.ADMINISTRATOR, "14", today, is_staff=True, is_superuser=True),
    }
    ensure_portal_content(now)
    ensure_par_content(now)
    ensure_plans_content(now)

    birth = Procedure.objects.get(code="1.001193")
    component = birth.components.order_by("order").first()
    component.form_file.save("to-khai.pdf", ContentFile(PDF))
    desk_unit = unit_on("04105.TTPVHCC", today)
    applicant = portal.ApplicationInput(desk_unit, "Lò Văn Minh", "014095001234", "0912345678")
    submitted = portal.start_application(users["citizen"], birth)
    portal.save_draft(submitted, applicant, {c.pk: [pdf()] for c in birth.components.all()})
    dossier = dossiers.accept(users["desk"], portal.submit(submitted))
    # a processing officer of the commune, covering the office the dossier was routed to
    assign_role(users["processor"], Role.PROCESSING_OFFICER, unit_on("04105", today))
    draft = portal.start_application(users["citizen"], birth)
    portal.save_draft(draft, applicant, {component.pk: [pdf()]})

    commune = unit_on("04105", today)
    month_end = today.replace(day=1) - timedelta(days=1)
    report = reports.settlement_report(commune, month_end.replace(day=1), month_end, "procedure")
    signed = reports.sign_off(users["leader"], report)

    framework = Framework.objects.get(code=f"SL-XA-{today.year}")
    assessment = par.assessment_for(framework, commune)
    criterion = framework.criteria.filter(source="self", children__isnull=True).order_by("code").first()
    score = par.self_score(users["leader"], assessment, criterion, criterion.max_points, "Đủ", [pdf("minh-chung.pdf")])
    plan = Plan.objects.get(unit=unit_on("14", today), year=today.year)
    return World(
        users=users,
        dossier=dossier,
        file=DossierFile.objects.filter(component__dossier=dossier).first(),
        draft=Application.objects.get(pk=draft.pk),
        feedback=Feedback.objects.get(unit=commune),
        signed=signed,
        article=Article.objects.first(),
        component=component,
        framework=framework,
        assessment=assessment,
        evidence=score.evidence.get(),
        published=Framework.objects.get(code="SL-HUYEN-2022"),
        plan=plan,
        task=Task.objects.filter(plan=plan, lead_unit=commune).first(),
        inspection=Inspection.objects.first(),
        captcha_key=CaptchaStore.generate_key(),
    )


def vn(*args):
    from motcua.workdays.rules import VIETNAM

    return datetime(*args, tzinfo=VIETNAM)


__all__ = ["ROLES", "World", "date", "pdf", "vn"]

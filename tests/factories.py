"""Factories for the few rows a test needs on top of the reference data (the demo province's
units, agencies and procedures, loaded once per test database).

    UserFactory(desk=True)                      a desk officer of Mai Sơn's one-stop desk
    UserFactory(roles=[(Role.UNIT_LEADER, "04105")], username="leader")
    DossierFactory(procedure=…, actor=desk)     received and accepted at the desk, through the services
    DossierFactory(online=True, actor=citizen)  submitted online, waiting at the desk
    step_on(d, at, desk=…, officer=…, leader=…) one step further, moved on by the step's holder
    settle(d, at, desk=…, officer=…, leader=…)  through the remaining steps to the result
"""

from datetime import date, datetime

import factory

from motcua.catalog.models import Procedure
from motcua.dossiers import services
from motcua.dossiers.rules import Action, Channel
from motcua.people.models import Role, User
from motcua.people.services import assign_role
from motcua.units.services import unit_on
from motcua.workdays.rules import VIETNAM

DAY = date(2026, 11, 16)  # the units in force on this day are the ones roles are held on


class UserFactory(factory.django.DjangoModelFactory):
    """A user; ``roles`` is a list of (role, unit code) held on the units in force on ``DAY``."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.LazyAttribute(lambda o: o.username.title())
    password = factory.django.Password("not-used-here-1")

    class Params:
        desk = factory.Trait(roles__held=[(Role.DESK_OFFICER, "04105.TTPVHCC")])
        processor = factory.Trait(roles__held=[(Role.PROCESSING_OFFICER, "04105.PKT")])
        leader = factory.Trait(roles__held=[(Role.UNIT_LEADER, "04105")])
        citizen = factory.Trait(roles__held=[(Role.CITIZEN, "14")])

    @factory.post_generation
    def roles(self, create, extracted, held=(), **kwargs):
        for role, code in extracted or held:
            assign_role(self, role, unit_on(code, DAY))


class DossierFactory(factory.Factory):
    """A dossier received through ``services.receive`` (the one way in), as the desk or online."""

    class Meta:
        model = services.Intake

    procedure = factory.LazyFunction(lambda: Procedure.objects.get(code="1.012994"))
    receiving_unit = factory.LazyFunction(lambda: unit_on("04105.TTPVHCC", DAY))
    processing_unit = factory.LazyFunction(lambda: unit_on("04105.PKT", DAY))
    channel = Channel.IN_PERSON
    applicant = factory.LazyFunction(
        lambda: services.Applicant(name="Lò Văn Minh", id_number="012345678901", phone="0912345678")
    )
    components = factory.LazyAttribute(
        lambda o: [services.ComponentInput(order=c.order, digitized=True) for c in o.procedure.components.all()]
    )

    class Params:
        online = factory.Trait(channel=Channel.ONLINE)

    @classmethod
    def _create(cls, model_class, actor=None, at=None, decision=None, **fields):
        intake = model_class(**fields)
        if decision is None:
            decision = Action.SUBMIT if intake.channel is Channel.ONLINE else Action.ACCEPT
        at = at or datetime(2026, 11, 16, 9, tzinfo=VIETNAM)
        return services.receive(actor, intake, decision, at=at)


LEADER_STEPS = ("leader", "reviewer", "signer")


def step_holder(d, *, desk, officer, leader):
    """Who of the three holds the dossier's current step (the desk its own, the leader the
    assignment, review and signing, the officer the others)."""
    step = next((s for s in services.template_steps(d) if s.order == d.current_step), None)
    role = step.role if step else None
    return role, desk if role == "desk" else (leader if role in LEADER_STEPS else officer)


def step_on(d, at, *, desk, officer, leader, approved=True, reasons="Không đủ điều kiện"):
    """Move the dossier one step on, by the step's holder: the leader decides at the signing step."""
    role, actor = step_holder(d, desk=desk, officer=officer, leader=leader)
    if role == "signer":
        if approved:
            return services.leader_approve(actor, d, at=at)
        return services.leader_refuse(actor, d, reasons, at=at)
    return services.forward(actor, d, at=at)


def settle(d, at, *, desk, officer, leader, **result):
    """Move the dossier through its remaining steps and issue the result at the last one, each by
    the step's holder (the leader deciding at the signing step as the result will say), all at ``at``."""
    approved = result.setdefault("approved", True)
    people = {"desk": desk, "officer": officer, "leader": leader}
    while services.next_step(d) is not None:
        d = step_on(d, at, approved=approved, reasons=result.get("reasons") or "Không đủ điều kiện", **people)
    role, actor = step_holder(d, **people)
    if role == "signer" and services.leader_decision(d)[0] is None:
        d = step_on(d, at, approved=approved, reasons=result.get("reasons") or "Không đủ điều kiện", **people)
    return services.issue_result(actor, d, at=at, **result)

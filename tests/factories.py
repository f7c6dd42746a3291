"""Factories for the few rows a test needs on top of the reference data (the demo province's
units, agencies and procedures, loaded once per test database).

    UserFactory(desk=True)                      a desk officer of Mai Sơn's one-stop desk
    UserFactory(roles=[(Role.UNIT_LEADER, "04105")], username="leader")
    DossierFactory(procedure=…, actor=desk)     received and accepted at the desk, through the services
    DossierFactory(online=True, actor=citizen)  submitted online, waiting at the desk
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

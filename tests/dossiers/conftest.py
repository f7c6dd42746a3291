from datetime import datetime, timedelta

import pytest

from motcua.catalog.competence import deciding_units
from motcua.catalog.models import Procedure
from motcua.dossiers import services
from motcua.dossiers.rules import Channel
from motcua.people.models import Role
from motcua.units.services import unit_on
from motcua.workdays.rules import VIETNAM
from tests.factories import DossierFactory, UserFactory

DAY = datetime(2026, 11, 16).date()


def vn(*args) -> datetime:
    return datetime(*args, tzinfo=VIETNAM)


@pytest.fixture
def people(db):
    class People:
        desk = UserFactory(username="desk", desk=True)
        processor = UserFactory(username="processor", processor=True)
        leader = UserFactory(username="leader", leader=True)
        other_desk = UserFactory(username="otherdesk", roles=[(Role.DESK_OFFICER, "14.TTPVHCC")])
        partner = UserFactory(username="partner", roles=[(Role.PROCESSING_OFFICER, "04105.PVHXH")])

    return People


@pytest.fixture
def land_procedure(db):
    return Procedure.objects.get(code="1.012994")  # 21 working days, six steps of 168 h


def intake_for(procedure, *, channel=Channel.IN_PERSON, provided=None, applicant_id="012345678901"):
    orders = [c.order for c in procedure.components.all()]
    provided = orders if provided is None else provided
    return services.Intake(
        procedure=procedure,
        receiving_unit=unit_on("04105.TTPVHCC", DAY),
        processing_unit=deciding_units(procedure, unit_on("04105.TTPVHCC", DAY), DAY)[0],  # PKT for land
        channel=channel,
        applicant=services.Applicant(name="Lò Văn Minh", id_number=applicant_id, phone="0912345678"),
        components=[services.ComponentInput(order=o, provided=o in provided, digitized=True) for o in orders],
    )


@pytest.fixture
def accepted(people, land_procedure):
    """A land dossier accepted at the Mai Sơn desk on Monday 16/11/2026 at 09:00."""
    return DossierFactory(procedure=land_procedure, actor=people.desk, at=vn(2026, 11, 16, 9))


def walk_to_last_step(d, people, at: datetime, actors: dict | None = None):
    """Move a dossier in process on to the last step of its process, each step moved on by its
    holder (the leader approving at the signing step), an hour apart from ``at``."""
    holders = {"desk": people.desk, "leader": people.leader, "reviewer": people.leader, "signer": people.leader,
               **(actors or {})}  # fmt: skip
    while services.next_step(d) is not None:
        role = next(s.role for s in services.template_steps(d) if s.order == d.current_step)
        actor = holders.get(role, people.processor)
        d = services.leader_approve(actor, d, at=at) if role == "signer" else services.forward(actor, d, at=at)
        at += timedelta(hours=1)
    return d

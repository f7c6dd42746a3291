from datetime import datetime

import pytest

from motcua.catalog.models import Procedure
from motcua.dossiers import services
from motcua.dossiers.rules import Action, Channel
from motcua.people.models import Role, User
from motcua.people.services import assign_role
from motcua.units.services import unit_on
from motcua.workdays.rules import VIETNAM

DAY = datetime(2026, 11, 16).date()


def vn(*args) -> datetime:
    return datetime(*args, tzinfo=VIETNAM)


def make_user(username, role, unit_code):
    user = User.objects.create_user(username, password="not-used-here-1", full_name=username.title())
    assign_role(user, role, unit_on(unit_code, DAY))
    return user


@pytest.fixture
def people(db):
    class People:
        desk = make_user("desk", Role.DESK_OFFICER, "04105.TTPVHCC")
        processor = make_user("processor", Role.PROCESSING_OFFICER, "04105.PKT")
        leader = make_user("leader", Role.UNIT_LEADER, "04105")
        other_desk = make_user("otherdesk", Role.DESK_OFFICER, "14.TTPVHCC")
        partner = make_user("partner", Role.PROCESSING_OFFICER, "04105.PVHXH")

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
        processing_unit=unit_on("04105.PKT", DAY),
        channel=channel,
        applicant=services.Applicant(name="Lò Văn Minh", id_number=applicant_id, phone="0912345678"),
        components=[services.ComponentInput(order=o, provided=o in provided, digitized=True) for o in orders],
    )


@pytest.fixture
def accepted(people, land_procedure):
    """A land dossier accepted at the Mai Sơn desk on Monday 16/11/2026 at 09:00."""
    return services.receive(people.desk, intake_for(land_procedure), Action.ACCEPT, at=vn(2026, 11, 16, 9))

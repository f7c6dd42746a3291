"""Routing that follows competence: intake sends a dossier to a unit that may decide its procedure,
the desk chooses among those only, and a leader assigns only people the assignment accepts."""

from dataclasses import replace

import pytest
from django.test import Client

from motcua.catalog.models import Procedure
from motcua.dossiers import services
from motcua.dossiers.models import Dossier
from motcua.dossiers.rules import Action, Channel, InvalidInput, Status
from motcua.people.models import Role
from motcua.units.services import unit_on
from tests.factories import DossierFactory, UserFactory

from .conftest import DAY, intake_for, vn


@pytest.fixture
def birth(db):
    return Procedure.objects.get(code="1.001193")  # decided by the commune office (VP)


def test_a_unit_that_cannot_decide_the_procedure_is_refused_and_nothing_is_stored(people, land_procedure):
    intake = replace(intake_for(land_procedure), processing_unit=unit_on("04105.PVHXH", DAY))
    with pytest.raises(InvalidInput) as refused:
        services.receive(people.desk, intake, Action.ACCEPT, at=vn(2026, 11, 16, 9))
    assert str(refused.value.message) == (
        "Phòng Văn hóa - Xã hội Xã Mai Sơn không có thẩm quyền giải quyết thủ tục 1.012994; "
        "hãy chuyển hồ sơ đến: Phòng Kinh tế Xã Mai Sơn."
    )
    assert not Dossier.objects.exists()


def test_an_online_dossier_gets_its_code_and_its_deciding_office_at_once(people, land_procedure):
    citizen = UserFactory(username="citizen", citizen=True)
    dossier = DossierFactory(procedure=land_procedure, online=True, actor=citizen, at=vn(2026, 11, 14, 20))
    assert (dossier.status, dossier.code, dossier.processing_unit.code) == (
        Status.SUBMITTED,
        "04105.TTPVHCC-261114-0001",
        "04105.PKT",
    )
    assert services.dossier_for(people.processor, dossier.code) == dossier  # in the officer's scope


def test_accepting_routes_a_dossier_sent_to_the_authority_to_the_office_that_decides(people, birth):
    submitted = DossierFactory(
        procedure=birth, processing_unit=unit_on("04105.VP", DAY), online=True, at=vn(2026, 11, 14, 20)
    )
    Dossier.objects.filter(pk=submitted.pk).update(processing_unit=unit_on("04105", DAY))  # as routed before
    accepted = services.accept(people.desk, Dossier.objects.get(pk=submitted.pk), at=vn(2026, 11, 16, 8))
    assert accepted.processing_unit.code == "04105.VP"
    assert accepted.steps.get().unit.code == "04105.TTPVHCC"  # the desk's own first step
    assert accepted.events.last().changes["processing_unit_id"] == unit_on("04105.VP", DAY).pk
    assert services.differences(accepted) == {}


def test_the_desk_may_choose_only_among_the_units_that_decide(people, land_procedure):
    submitted = DossierFactory(procedure=land_procedure, online=True, at=vn(2026, 11, 14, 20))
    with pytest.raises(InvalidInput, match=r"1\.012994"):
        services.accept(people.desk, submitted, processing_unit=unit_on("04105.VP", DAY), at=vn(2026, 11, 16, 8))
    assert Dossier.objects.get(pk=submitted.pk).status == Status.SUBMITTED
    accepted = services.accept(
        people.desk, submitted, processing_unit=unit_on("04105.PKT", DAY), at=vn(2026, 11, 16, 8)
    )
    assert accepted.status == Status.ACCEPTED and accepted.processing_unit.code == "04105.PKT"


def test_a_leader_is_offered_exactly_the_people_the_assignment_accepts(people, accepted):
    outsider = UserFactory(username="outsider", roles=[(Role.PROCESSING_OFFICER, "04105.VP")])
    offered = services.assignable(accepted)
    assert [u.username for u in offered] == ["desk", "leader", "processor"]  # the desk's step first
    for person in offered:
        services.assign(people.leader, accepted, person, at=vn(2026, 11, 16, 10))
    with pytest.raises(InvalidInput):
        services.assign(people.leader, accepted, outsider, at=vn(2026, 11, 16, 11))


def test_the_accept_form_offers_the_deciding_units_and_routes_to_the_one_chosen(people, birth):
    submitted = DossierFactory(
        procedure=birth, processing_unit=unit_on("04105.VP", DAY), channel=Channel.ONLINE, at=vn(2026, 11, 14, 20)
    )
    client = Client(headers={"accept-language": "vi"})
    client.force_login(people.desk)
    page = client.get(f"/ho-so/{submitted.pk}/").content.decode()
    assert 'name="processing_unit"' in page and "Văn phòng HĐND và UBND Xã Mai Sơn" in page
    form = {"version": submitted.version, "components": "1", "processing_unit": unit_on("04105.PKT", DAY).pk}
    form |= {f"provided_{c.order}": "on" for c in birth.components.all()}
    refused = client.post(f"/ho-so/{submitted.pk}/thao-tac/accept/", form, follow=True)
    assert "không có thẩm quyền giải quyết thủ tục 1.001193" in refused.content.decode()
    form["processing_unit"] = unit_on("04105.VP", DAY).pk
    client.post(f"/ho-so/{submitted.pk}/thao-tac/accept/", form)
    assert Dossier.objects.get(pk=submitted.pk).status == Status.ACCEPTED

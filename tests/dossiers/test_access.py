"""Who may act on a dossier, and the citizen's lookup."""

import pytest

from motcua.dossiers import services
from motcua.dossiers.rules import (
    NotPermitted,
)

from .conftest import vn


def test_roles_outside_the_dossier_cannot_act(accepted, people):
    with pytest.raises(NotPermitted):
        services.forward(people.other_desk, accepted)
    d = services.forward(people.desk, accepted, at=vn(2026, 11, 16, 10))
    with pytest.raises(NotPermitted):
        services.assign(people.processor, d, people.processor)  # only the unit leader assigns
    with pytest.raises(NotPermitted):
        services.issue_result(people.other_desk, d, approved=True)
    assert services.dossier_for(people.other_desk, d.code) is None
    assert services.dossier_for(people.processor, d.code) == d


def test_lookup_needs_code_and_secret(accepted):
    assert services.lookup(accepted.code, accepted.secret.lower()) == accepted
    assert services.lookup(accepted.code, "WRONG123") is None
    assert services.lookup("", accepted.secret) is None

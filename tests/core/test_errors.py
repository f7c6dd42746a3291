from django.utils import translation

from motcua.core import errors
from motcua.core.messages import Message
from motcua.dossiers import rules
from motcua.people.accounts import AccountError


def test_each_refusal_carries_its_message_and_http_status():
    translation.activate("en")
    found = {kind: kind(Message("The file %(name)s is empty.") % {"name": "a.pdf"}) for kind in
             (errors.Refused, errors.InvalidInput, errors.TransitionError, errors.NotPermitted)}  # fmt: skip
    assert {kind.__name__: error.status_code for kind, error in found.items()} == {
        "Refused": 422, "InvalidInput": 422, "TransitionError": 409, "NotPermitted": 403,
    }  # fmt: skip
    assert all(str(error) == "The file a.pdf is empty." == str(error.message) for error in found.values())


def test_the_dossier_refusals_are_the_core_ones():
    assert rules.DossierError is errors.Refused
    assert (rules.InvalidInput, rules.TransitionError, rules.NotPermitted) == (
        errors.InvalidInput, errors.TransitionError, errors.NotPermitted,
    )  # fmt: skip
    assert issubclass(AccountError, errors.Refused)

"""The hook for signing the leader's decision digitally.

No signer is configured by default: the decision is recorded as the leader's approval (or refusal)
and nothing claims a signature. A deployment with a signing service names a callable in the
``MOTCUA_DECISION_SIGNER`` setting (a dotted path); it is called with the ``Decision`` inside the
decision's transaction, before the decision is recorded. It returns a reference to what it signed
(recorded with the decision's event), or raises a ``Refused`` to refuse the decision, in which case
nothing is recorded.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class Decision:
    """What the signer is asked to sign."""

    dossier_id: int
    code: str
    action: str  # rules.Action value: leader_approve or leader_refuse
    signer_username: str
    at: datetime
    reasons: str = ""


def signer() -> Callable[[Decision], str] | None:
    """The configured signer, or None."""
    path = getattr(settings, "MOTCUA_DECISION_SIGNER", None)
    return import_string(path) if path else None

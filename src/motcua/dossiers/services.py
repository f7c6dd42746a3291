"""The public face of the dossiers app: other apps, views and the API use only what is named here.

Every change to a dossier goes through one of these operations, each in one transaction: the
journal locks the row, appends an event, applies it to the row and then tells every registered
projection, in that same transaction, so that what they keep changes with the dossier or not at all.

What a save feeds (each registered from its app's ``AppConfig.ready()``; tested to match):

    projection     app            keeps
    ledger         reports        the settlement report's daily ledger (form II.06a)
    index          quality        the service index's counters (Decision 766)
    outbox         sync           which version of the dossier the national portal must receive
    notices        notifications  the applicant's notices (e-mail, SMS), sent after commit

Where things are:
    intake.py      receive (with scans), accept, refuse, request_supplement, resume, next_code
    processing.py  assign, forward, send_back, transfer, consult, fees, apologize
    decisions.py   the leader's decision at a signing step: leader_approve, leader_return,
                   leader_refuse (signing.py: the hook a digital signer plugs into)
    closing.py     issue_result, stop, withdraw, hand_over, rate
    files.py       attach_file, send_supplement, supplement_sent
    access.py      who sees a dossier and who may act: visible_dossiers, dossier_for, lookup,
                   available_actions and refusal (over duties.py: who acts at which step)
    search.py      the officers' search box within their scope: classify, search (keys in folding.py)
    steps.py       the internal process and the clock: template_steps, progress, state_of, urgency
    components.py  the documents handed in and what they say (digitized, reused)
    journal.py     the writer: locked, record, replay, differences
    projections.py the registry of projections
"""

from .access import (
    OFFICIAL_ROLES,
    PROCESSING_ROLES,
    action_label,
    assignable,
    available_actions,
    dossier_for,
    lookup,
    may_answer,
    may_read_files,
    refusal,
    timeline,
    visible_dossiers,
)
from .closing import hand_over, issue_result, rate, stop, withdraw
from .components import ComponentInput
from .decisions import leader_approve, leader_refuse, leader_return
from .duties import PAGE_ACTIONS
from .files import attach_file, send_supplement, supplement_sent, supplements_sent
from .intake import (
    Applicant,
    Intake,
    accept,
    check_id_number,
    new_secret,
    next_code,
    receive,
    refuse,
    request_supplement,
    resume,
)
from .journal import DATETIME_FIELDS, ROW_FIELDS, differences, replay
from .processing import (
    answer_consultation,
    apologize,
    assign,
    consult,
    forward,
    record_payment,
    request_payment,
    send_back,
    transfer,
    transfer_targets,
)
from .rules import DossierError, InvalidInput, NotPermitted, TransitionError
from .search import classify, search
from .steps import (
    Progress,
    is_late_for_supplement,
    leader_decision,
    next_step,
    progress,
    state_of,
    template_steps,
    urgency,
)

__all__ = [
    "DATETIME_FIELDS",
    "OFFICIAL_ROLES",
    "PAGE_ACTIONS",
    "PROCESSING_ROLES",
    "ROW_FIELDS",
    "Applicant",
    "ComponentInput",
    "DossierError",
    "Intake",
    "InvalidInput",
    "NotPermitted",
    "Progress",
    "TransitionError",
    "accept",
    "action_label",
    "answer_consultation",
    "apologize",
    "assign",
    "assignable",
    "attach_file",
    "available_actions",
    "check_id_number",
    "classify",
    "consult",
    "differences",
    "dossier_for",
    "forward",
    "hand_over",
    "is_late_for_supplement",
    "issue_result",
    "leader_approve",
    "leader_decision",
    "leader_refuse",
    "leader_return",
    "lookup",
    "may_answer",
    "may_read_files",
    "new_secret",
    "next_code",
    "next_step",
    "progress",
    "rate",
    "receive",
    "record_payment",
    "refusal",
    "refuse",
    "replay",
    "request_payment",
    "request_supplement",
    "resume",
    "search",
    "send_back",
    "send_supplement",
    "state_of",
    "stop",
    "supplement_sent",
    "supplements_sent",
    "template_steps",
    "timeline",
    "transfer",
    "transfer_targets",
    "urgency",
    "visible_dossiers",
    "withdraw",
]

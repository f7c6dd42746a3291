"""The dossier API: the same actions as the pages, through the same services. Handlers translate."""

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Header, Query, Router
from ninja import Status as WithStatus
from ninja.errors import HttpError
from ninja.security import django_auth

from motcua.catalog.services import procedure_by_code
from motcua.core.schemas import Id
from motcua.core.throttle import LOOKUP_MISSES
from motcua.people.models import User
from motcua.units.services import unit_on

from . import once, services
from .models import Dossier
from .rules import Action, Channel, InvalidInput, Status
from .schemas import (
    AnswerIn,
    ApologyIn,
    AssignIn,
    ComponentsIn,
    ConsultIn,
    DossierDetail,
    DossierFilter,
    DossierOut,
    IntakeIn,
    LookupIn,
    LookupOut,
    NoteIn,
    PaymentIn,
    PaymentRequestIn,
    PublicRateIn,
    RateIn,
    ReasonIn,
    ResultIn,
    ReturnIn,
    SendBackIn,
    TransferIn,
)

router = Router(tags=["dossiers"], auth=django_auth)
public = Router(tags=["lookup"])


def _unit(code: str):
    unit = unit_on(code, timezone.localdate())
    if unit is None:
        raise InvalidInput(_("No unit with code %(code)s today.") % {"code": code})
    return unit


def _dossier(request, ref: str) -> Dossier:
    dossier = services.dossier_for(request.user, ref)
    if dossier is None:
        raise Http404(_("No such dossier."))
    return dossier


def _out(dossier: Dossier) -> dict:
    return {
        "id": dossier.pk,
        "code": dossier.code,
        "procedure": dossier.procedure.code,
        "procedure_name": dossier.procedure.name,
        "receiving_unit": dossier.receiving_unit.code,
        "processing_unit": dossier.processing_unit.code,
        "channel": dossier.channel,
        "status": dossier.status,
        "status_label": str(dossier.get_status_display()),
        "applicant_name": dossier.applicant_name,
        "submitted_at": dossier.submitted_at,
        "received_at": dossier.received_at,
        "due_at": dossier.due_at,
        "appointment_at": dossier.appointment_at,
        "finished_at": dossier.finished_at,
        "outcome": dossier.outcome,
        "returned_at": dossier.returned_at,
        "current_step": dossier.current_step,
        "digitized": dossier.digitized,
        "version": dossier.version,
    }


def _events(dossier: Dossier, public_only: bool = False) -> list[dict]:
    events = services.timeline(dossier, public_only)
    return [
        {
            "seq": e.seq,
            "action": e.action,
            "at": e.at,
            "by": "" if public_only else e.actor_name,
            "from_status": e.from_status,
            "to_status": e.to_status,
            "note": e.note if not public_only or e.action in PUBLIC_NOTES else "",
        }
        for e in events
    ]


# Notes the applicant reads (what to supplement, why refused, the apology); other notes stay inside.
PUBLIC_NOTES = {Action.REQUEST_SUPPLEMENT, Action.REFUSE, Action.APOLOGIZE, Action.STOP, Action.WITHDRAW}


def _detail(request, dossier: Dossier) -> dict:
    dossier.refresh_from_db()
    return {
        **_out(dossier),
        "secret": dossier.secret,
        "steps": [
            {
                "order": s.order,
                "title": s.title,
                "role": s.role,
                "unit": s.unit.code,
                "started_at": s.started_at,
                "due_at": s.due_at,
                "finished_at": s.finished_at,
                "late": s.late,
            }
            for s in dossier.steps.select_related("unit")
        ],
        "events": _events(dossier),
        "actions": [a.value for a in services.available_actions(request.user, dossier)],
    }


@router.post(
    "",
    response={200: DossierDetail, 201: DossierDetail},
    summary="Receive a dossier (intake)",
    description="With an `Idempotency-Key` header (20 to 64 letters, digits, `-` or `_`, new for each dossier), "
    "a request repeated with the same key answers 200 with the dossier the first one made, and makes no other.",
)
def receive(request, body: IntakeIn, idempotency_key: str | None = Header(None, alias="Idempotency-Key")):
    key = once.valid_key(idempotency_key)
    if idempotency_key and not key:
        raise InvalidInput(_("The Idempotency-Key header must be 20 to 64 letters, digits, - or _."))
    done = once.dossier_for_key(request.user, key)
    if done is not None:
        return WithStatus(200, _detail(request, done))
    procedure = procedure_by_code(body.procedure)
    if procedure is None:
        raise InvalidInput(_("No procedure with code %(code)s.") % {"code": body.procedure})
    applicant = body.applicant
    intake = services.Intake(
        procedure=procedure,
        receiving_unit=_unit(body.receiving_unit),
        processing_unit=_unit(body.processing_unit),
        channel=Channel(body.channel),
        applicant=services.Applicant(
            name=applicant.name,
            id_number=applicant.id_number,
            id_kind=applicant.id_kind,
            phone=applicant.phone,
            email=applicant.email,
            address=applicant.address,
            address_unit=_unit(applicant.address_unit) if applicant.address_unit else None,
        ),
        components=[services.ComponentInput(**c.dict()) for c in body.components],
        fees_paid=body.fees_paid,
    )
    dossier, created = once.receive_once(request.user, key, intake, Action(body.decision), body.reasons)
    return WithStatus(201 if created else 200, _detail(request, dossier))


@router.get("", response=list[DossierOut], summary="Dossiers you may see")
def list_dossiers(request, filters: Query[DossierFilter]):
    queryset = services.visible_dossiers(request.user).select_related("procedure", "receiving_unit", "processing_unit")
    if filters.status is not None:
        queryset = queryset.filter(status=filters.status)
    if filters.q:
        queryset = queryset.filter(code__icontains=filters.q) | queryset.filter(applicant_name__icontains=filters.q)
    queryset = queryset.order_by("due_at", "pk")[filters.offset : filters.offset + filters.limit]
    return [_out(d) for d in queryset]


@router.get("/{ref}", response=DossierDetail, summary="One dossier with its steps and history")
def get_dossier(request, ref: str):
    return _detail(request, _dossier(request, ref))


def _action(path: str, summary: str):
    return router.post(f"/{{ref}}/{path}", response=DossierDetail, summary=summary)


@_action("accept", "Accept a dossier waiting at intake")
def accept(request, ref: str, body: ComponentsIn):
    components = [services.ComponentInput(**c.dict()) for c in body.components] if body.components else None
    d = services.accept(request.user, _dossier(request, ref), components=components, fees_paid=body.fees_paid,
                        version=body.version)  # fmt: skip
    return _detail(request, d)


@_action("refuse", "Refuse at intake, with reasons")
def refuse(request, ref: str, body: ReasonIn):
    return _detail(request, services.refuse(request.user, _dossier(request, ref), body.reasons, version=body.version))


@_action("supplement", "Ask for a supplement (everything missing at once)")
def supplement(request, ref: str, body: ReasonIn):
    d = services.request_supplement(request.user, _dossier(request, ref), body.reasons, version=body.version)
    return _detail(request, d)


@_action("resume", "The supplement came back: resume processing")
def resume(request, ref: str, body: ComponentsIn):
    components = [services.ComponentInput(**c.dict()) for c in body.components] if body.components else None
    d = services.resume(request.user, _dossier(request, ref), components=components, note=body.note,
                        version=body.version)  # fmt: skip
    return _detail(request, d)


@_action("assign", "Assign the dossier to an officer (unit leader)")
def assign(request, ref: str, body: AssignIn):
    assignee = User.objects.filter(username=body.assignee).first()
    if assignee is None:
        raise InvalidInput(_("No user %(name)s.") % {"name": body.assignee})
    d = services.assign(request.user, _dossier(request, ref), assignee, body.note, version=body.version)
    return _detail(request, d)


@_action("forward", "Finish the current step and go to the next")
def forward(request, ref: str, body: NoteIn):
    return _detail(request, services.forward(request.user, _dossier(request, ref), body.note, version=body.version))


@_action("send-back", "Send the dossier back to an earlier step")
def send_back(request, ref: str, body: SendBackIn):
    d = services.send_back(request.user, _dossier(request, ref), body.to_step, body.note, version=body.version)
    return _detail(request, d)


@_action("leader-approve", "The leader approves at the signing step; the dossier goes on")
def leader_approve(request, ref: str, body: NoteIn):
    d = services.leader_approve(request.user, _dossier(request, ref), body.note, version=body.version)
    return _detail(request, d)


@_action("leader-return", "The leader returns the dossier to the previous step, with the reason")
def leader_return(request, ref: str, body: ReasonIn):
    d = services.leader_return(request.user, _dossier(request, ref), body.reasons, version=body.version)
    return _detail(request, d)


@_action("leader-refuse", "The leader refuses the request, with the reasons; the refusal is issued next")
def leader_refuse(request, ref: str, body: ReasonIn):
    d = services.leader_refuse(request.user, _dossier(request, ref), body.reasons, version=body.version)
    return _detail(request, d)


@_action("transfer", "Transfer to another agency or level")
def transfer(request, ref: str, body: TransferIn):
    d = services.transfer(request.user, _dossier(request, ref), _unit(body.unit), body.note, version=body.version)
    return _detail(request, d)


@_action("consult", "Consult other agencies in parallel, each with a deadline")
def consult(request, ref: str, body: ConsultIn):
    units = [_unit(code) for code in body.units]
    d = services.consult(request.user, _dossier(request, ref), units, body.task, body.hours, version=body.version)
    return _detail(request, d)


@router.post("/{ref}/consultations/{consultation_id}/answer", response=DossierDetail, summary="Answer a consultation")
def answer(request, ref: str, consultation_id: Id, body: AnswerIn):
    dossier = _dossier(request, ref)
    consultation = dossier.consultations.filter(pk=consultation_id).first()
    if consultation is None:
        raise Http404(_("No such consultation."))
    services.answer_consultation(request.user, consultation, body.answer)
    return _detail(request, dossier)


@_action("payment-request", "Ask the applicant to pay")
def payment_request(request, ref: str, body: PaymentRequestIn):
    fees = [(f.name, f.amount) for f in body.fees]
    d = services.request_payment(request.user, _dossier(request, ref), fees, body.note, version=body.version)
    return _detail(request, d)


@_action("payment", "Record the payment")
def payment(request, ref: str, body: PaymentIn):
    d = services.record_payment(request.user, _dossier(request, ref), body.online, version=body.version)
    return _detail(request, d)


@_action("apology", "Apology letter with a new appointment (form 04)")
def apology(request, ref: str, body: ApologyIn):
    d = services.apologize(request.user, _dossier(request, ref), body.new_appointment, body.reason,
                           version=body.version)  # fmt: skip
    return _detail(request, d)


@_action("result", "Issue the result: approved, or refused with reasons")
def result(request, ref: str, body: ResultIn):
    d = services.issue_result(request.user, _dossier(request, ref), approved=body.approved,
                              result_number=body.result_number, electronic=body.electronic, reasons=body.reasons,
                              version=body.version)  # fmt: skip
    return _detail(request, d)


@_action("return", "Hand the result over to the applicant")
def hand_over(request, ref: str, body: ReturnIn):
    d = services.hand_over(request.user, _dossier(request, ref), body.method, body.tracking_number, body.note,
                           version=body.version)  # fmt: skip
    return _detail(request, d)


@_action("stop", "Stop processing at the applicant's request")
def stop(request, ref: str, body: ReasonIn):
    return _detail(request, services.stop(request.user, _dossier(request, ref), body.reasons, version=body.version))


@_action("withdraw", "Withdraw the dossier")
def withdraw(request, ref: str, body: ReasonIn):
    d = services.withdraw(request.user, _dossier(request, ref), body.reasons, version=body.version)
    return _detail(request, d)


@_action("rate", "Record the applicant's rating (at the desk device)")
def rate(request, ref: str, body: RateIn):
    return _detail(request, services.rate(_dossier(request, ref), body.rating, body.comment, actor=request.user))


def _lookup_out(dossier: Dossier) -> dict:
    progress = services.progress(dossier)
    return {
        "held_by": progress.holder.name if progress.holder else None,
        "step": progress.step,
        "steps": progress.steps,
        "step_title": progress.title,
        "code": dossier.code,
        "procedure_name": dossier.procedure.name,
        "status": dossier.status,
        "status_label": str(dossier.get_status_display()),
        "received_at": dossier.received_at,
        "appointment_at": dossier.appointment_at,
        "finished_at": dossier.finished_at,
        "returned_at": dossier.returned_at,
        "result_ready": dossier.status in (Status.RESULT_READY, Status.RETURNED),
        "timeline": _events(dossier, public_only=True),
    }


def _held(request, code: str, secret: str) -> Dossier:
    """The dossier the code and secret name; misses are counted per address and throttled."""
    if LOOKUP_MISSES.blocked(request):
        raise HttpError(429, _("Too many attempts from your connection. Wait 15 minutes and try again."))
    dossier = services.lookup(code, secret)
    if dossier is None:
        LOOKUP_MISSES.hit(request)
        raise Http404(_("No dossier matches this code and secret."))
    return dossier


@public.post(
    "/lookup",
    response=LookupOut,
    summary="Look a dossier up by its code and secret",
    description="The code and secret go in the body (JSON), never in the address. Misses are throttled per address.",
)
def lookup(request, body: LookupIn):
    return _lookup_out(_held(request, body.code, body.secret))


@public.post("/lookup/rate", response=LookupOut, summary="Rate a returned dossier by its code and secret")
def public_rate(request, body: PublicRateIn):
    return _lookup_out(services.rate(_held(request, body.code, body.secret), body.rating, body.comment))

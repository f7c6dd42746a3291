"""The shapes of the dossier API's requests and answers."""

from datetime import datetime
from decimal import Decimal

from ninja import Schema
from pydantic import Field

from motcua.core.schemas import Count

from .rules import Action, Channel, Rating, ReturnMethod


class ApplicantIn(Schema):
    name: str
    id_number: str = ""
    id_kind: str = "personal"
    phone: str = ""
    email: str = ""
    address: str = ""
    address_unit: str | None = Field(None, description="Code of the applicant's commune or ward.")


class ComponentIn(Schema):
    order: Count
    provided: bool = True
    digitized: bool = False
    reused: bool = False
    note: str = ""


class IntakeIn(Schema):
    procedure: str = Field(description="Procedure code, e.g. 1.012994")
    receiving_unit: str
    processing_unit: str
    channel: Channel = Channel.IN_PERSON
    applicant: ApplicantIn
    components: list[ComponentIn] = []
    decision: Action = Field(Action.ACCEPT, description="accept, request_supplement, refuse, or submit (online)")
    reasons: str = ""
    fees_paid: bool = False


class StepOut(Schema):
    order: int
    title: str
    role: str
    unit: str
    started_at: datetime
    due_at: datetime
    finished_at: datetime | None
    late: bool | None


class EventOut(Schema):
    seq: int
    action: str
    at: datetime
    by: str
    from_status: int | None
    to_status: int
    note: str


class DossierOut(Schema):
    id: int
    code: str | None
    procedure: str
    procedure_name: str
    receiving_unit: str
    processing_unit: str
    channel: int
    status: int
    status_label: str
    applicant_name: str
    submitted_at: datetime
    received_at: datetime | None
    due_at: datetime | None
    appointment_at: datetime | None
    finished_at: datetime | None
    outcome: str
    returned_at: datetime | None
    current_step: int | None
    digitized: bool
    version: int


class DossierDetail(DossierOut):
    secret: str
    steps: list[StepOut]
    events: list[EventOut]
    actions: list[str]


class LookupOut(Schema):
    code: str
    procedure_name: str
    status: int
    status_label: str
    received_at: datetime | None
    appointment_at: datetime | None
    finished_at: datetime | None
    returned_at: datetime | None
    result_ready: bool
    held_by: str | None = Field(description="The office holding the dossier now (none once it has left them).")
    step: int = Field(description="The step of the procedure's process it stands at (0: not begun).")
    steps: int = Field(description="How many steps the procedure's process has.")
    step_title: str
    timeline: list[EventOut]


class NoteIn(Schema):
    note: str = ""
    version: Count | None = None


class ReasonIn(Schema):
    reasons: str
    version: Count | None = None


class ComponentsIn(Schema):
    components: list[ComponentIn] | None = None
    fees_paid: bool = False
    note: str = ""
    version: Count | None = None


class AssignIn(Schema):
    assignee: str = Field(description="Username of the officer.")
    note: str = ""
    version: Count | None = None


class SendBackIn(Schema):
    to_step: Count
    note: str
    version: Count | None = None


class TransferIn(Schema):
    unit: str
    note: str
    version: Count | None = None


class ConsultIn(Schema):
    units: list[str]
    task: str
    hours: Decimal = Field(Decimal(8), gt=0, le=10_000, max_digits=7, decimal_places=2)
    version: Count | None = None


class AnswerIn(Schema):
    answer: str


class FeeIn(Schema):
    name: str
    amount: int = Field(ge=0, le=10**12, description="Đồng")


class PaymentRequestIn(Schema):
    fees: list[FeeIn]
    note: str = ""
    version: Count | None = None


class PaymentIn(Schema):
    online: bool = False
    version: Count | None = None


class ApologyIn(Schema):
    new_appointment: datetime
    reason: str
    version: Count | None = None


class ResultIn(Schema):
    approved: bool = True
    result_number: str = ""
    electronic: bool = False
    reasons: str = ""
    version: Count | None = None


class ReturnIn(Schema):
    method: ReturnMethod = ReturnMethod.DESK
    tracking_number: str = ""
    note: str = ""
    version: Count | None = None


class RateIn(Schema):
    rating: Rating
    comment: str = ""


class LookupIn(Schema):
    code: str = Field(max_length=60)
    secret: str = Field(max_length=16, description="The secret printed on the receipt; never sent in an address.")


class PublicRateIn(RateIn):
    code: str
    secret: str


class DossierFilter(Schema):
    status: int | None = Field(None, ge=0, le=99)
    q: str | None = Field(None, description="Code or applicant name.")
    limit: int = Field(50, ge=1, le=500)
    offset: Count = 0

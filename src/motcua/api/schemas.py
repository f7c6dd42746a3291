from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from ninja import Schema
from pydantic import Field

# Bounds that keep every number a caller sends within what the database columns hold.
Year = Annotated[int, Field(ge=1990, le=2100, description="A calendar year, e.g. 2026.")]
Id = Annotated[int, Field(ge=1, le=2_147_483_647)]
Count = Annotated[int, Field(ge=0, le=2_147_483_647)]


class Message(Schema):
    detail: str


class UnitRef(Schema):
    code: str
    name: str
    valid_from: date


class UnitOut(Schema):
    code: str
    name: str
    kind: str
    level: str
    parent_code: str | None
    valid_from: date
    valid_to: date | None


class UnitDetail(UnitOut):
    parent: UnitRef | None
    predecessors: list[UnitRef]
    successors: list[UnitRef]
    children: list[UnitRef]


class FieldOut(Schema):
    code: str
    name: str
    procedure_count: int


class ProcedureOut(Schema):
    code: str
    name: str
    field_code: str
    field_name: str
    level: str
    duration_value: Decimal
    duration_unit: str
    result_type: str
    online_kind: str
    multi_agency: bool


class ComponentOut(Schema):
    order: int
    name: str
    required: bool


class FeeOut(Schema):
    name: str
    amount: int


class StepOut(Schema):
    order: int
    title: str
    role: str
    hours: Decimal


class ProcessOut(Schema):
    version: int
    valid_from: date
    total_hours: Decimal
    steps: list[StepOut]


class ProcedureDetail(ProcedureOut):
    agency: str
    legal_basis: str
    components: list[ComponentOut]
    fees: list[FeeOut]
    process: ProcessOut | None


class DueOut(Schema):
    procedure: str
    duration_value: Decimal
    duration_unit: str
    received_at: datetime
    clock_starts_at: datetime
    due_at: datetime
    working_hours: Decimal | None

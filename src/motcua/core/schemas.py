"""Schema pieces every app's API may use: numbers bounded to what the database columns hold, and
the plain message answer."""

from typing import Annotated

from ninja import Schema
from pydantic import Field

# Bounds that keep every number a caller sends within what the database columns hold.
Year = Annotated[int, Field(ge=1990, le=2100, description="A calendar year, e.g. 2026.")]
Id = Annotated[int, Field(ge=1, le=2_147_483_647)]
Count = Annotated[int, Field(ge=0, le=2_147_483_647)]


class Message(Schema):
    detail: str

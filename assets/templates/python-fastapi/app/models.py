"""Pydantic models describing the API's request and response bodies."""

from datetime import datetime
from typing import Annotated, Optional

from pydantic import BaseModel, ConfigDict, Field, computed_field, field_validator

Name = Annotated[str, Field(min_length=1, max_length=100, examples=["Mechanical keyboard"])]
Price = Annotated[float, Field(gt=0, le=1_000_000, examples=[79.9])]
Quantity = Annotated[int, Field(ge=0, le=1_000_000, examples=[3])]
Tag = Annotated[str, Field(min_length=1, max_length=30)]


def _normalise_tags(tags: Optional[list[str]]) -> Optional[list[str]]:
    """Lowercase, strip and de-duplicate tags while keeping their order."""
    if tags is None:
        return None
    seen: dict[str, None] = {}
    for tag in tags:
        cleaned = tag.strip().lower()
        if cleaned:
            seen.setdefault(cleaned, None)
    return list(seen)


class _StrictModel(BaseModel):
    # Reject unknown fields so typos in requests surface as 422 errors.
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class ItemCreate(_StrictModel):
    """Body for POST /items and PUT /items/{id}."""

    name: Name
    description: Optional[str] = Field(default=None, max_length=1000)
    price: Price
    quantity: Quantity = 0
    tags: list[Tag] = Field(default_factory=list, max_length=10)

    @field_validator("tags")
    @classmethod
    def normalise_tags(cls, value: list[str]) -> list[str]:
        return _normalise_tags(value) or []


class ItemUpdate(_StrictModel):
    """Body for PATCH /items/{id}: every field optional, only sent fields change."""

    name: Optional[Name] = None
    description: Optional[str] = Field(default=None, max_length=1000)
    price: Optional[Price] = None
    quantity: Optional[Quantity] = None
    tags: Optional[list[Tag]] = Field(default=None, max_length=10)

    @field_validator("tags")
    @classmethod
    def normalise_tags(cls, value: Optional[list[str]]) -> Optional[list[str]]:
        return _normalise_tags(value)


class Item(BaseModel):
    """An item as returned by the API."""

    id: int
    name: str
    description: Optional[str] = None
    price: float
    quantity: int
    tags: list[str]
    created_at: datetime
    updated_at: datetime

    @computed_field  # type: ignore[prop-decorator]
    @property
    def in_stock(self) -> bool:
        return self.quantity > 0


class ItemPage(BaseModel):
    """A page of items plus the total number matching the filters."""

    items: list[Item]
    total: int
    limit: int
    offset: int

"""A thread-safe in-memory item store.

Replace this with a database-backed implementation exposing the same methods
when you need persistence; the routes only depend on this interface.
"""

import itertools
import threading
from datetime import datetime, timezone
from typing import Any, Optional

from .models import Item, ItemCreate


def _now() -> datetime:
    return datetime.now(timezone.utc)


class ItemStore:
    def __init__(self) -> None:
        self._items: dict[int, Item] = {}
        self._ids = itertools.count(1)
        self._lock = threading.Lock()

    def list(
        self,
        *,
        q: Optional[str] = None,
        tag: Optional[str] = None,
        in_stock: Optional[bool] = None,
    ) -> list[Item]:
        with self._lock:
            items = list(self._items.values())
        if q:
            needle = q.lower()
            items = [
                i
                for i in items
                if needle in i.name.lower() or needle in (i.description or "").lower()
            ]
        if tag:
            items = [i for i in items if tag.lower() in i.tags]
        if in_stock is not None:
            items = [i for i in items if i.in_stock == in_stock]
        return sorted(items, key=lambda i: i.id)

    def get(self, item_id: int) -> Optional[Item]:
        with self._lock:
            return self._items.get(item_id)

    def create(self, data: ItemCreate) -> Item:
        now = _now()
        with self._lock:
            item = Item(id=next(self._ids), created_at=now, updated_at=now, **data.model_dump())
            self._items[item.id] = item
            return item

    def update(self, item_id: int, changes: dict[str, Any]) -> Optional[Item]:
        with self._lock:
            existing = self._items.get(item_id)
            if existing is None:
                return None
            updated = existing.model_copy(update={**changes, "updated_at": _now()})
            self._items[item_id] = updated
            return updated

    def delete(self, item_id: int) -> bool:
        with self._lock:
            return self._items.pop(item_id, None) is not None

    def __len__(self) -> int:
        return len(self._items)

"""{{project_name}}: a small FastAPI service exposing CRUD endpoints for items.

Run with:  uvicorn app.main:app --reload
Docs at:   http://127.0.0.1:8000/docs
"""

from typing import Annotated, Optional

from fastapi import Depends, FastAPI, HTTPException, Query, Response, status

from . import __version__
from .models import Item, ItemCreate, ItemPage, ItemUpdate
from .store import ItemStore

app = FastAPI(
    title="{{project_name}}",
    version=__version__,
    description="Items CRUD service generated from the FlashFusion FastAPI template.",
)

_store = ItemStore()


def get_store() -> ItemStore:
    """Dependency returning the item store (overridden in tests)."""
    return _store


StoreDep = Annotated[ItemStore, Depends(get_store)]


def _get_or_404(store: ItemStore, item_id: int) -> Item:
    item = store.get(item_id)
    if item is None:
        raise HTTPException(status_code=status.HTTP_404_NOT_FOUND, detail=f"Item {item_id} not found")
    return item


@app.get("/health", tags=["meta"])
def health(store: StoreDep) -> dict[str, object]:
    return {"status": "ok", "items": len(store)}


@app.get("/items", response_model=ItemPage, tags=["items"])
def list_items(
    store: StoreDep,
    q: Annotated[Optional[str], Query(max_length=100, description="Search name/description")] = None,
    tag: Annotated[Optional[str], Query(max_length=30)] = None,
    in_stock: Optional[bool] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> ItemPage:
    items = store.list(q=q, tag=tag, in_stock=in_stock)
    return ItemPage(items=items[offset : offset + limit], total=len(items), limit=limit, offset=offset)


@app.post("/items", response_model=Item, status_code=status.HTTP_201_CREATED, tags=["items"])
def create_item(payload: ItemCreate, store: StoreDep, response: Response) -> Item:
    item = store.create(payload)
    response.headers["Location"] = f"/items/{item.id}"
    return item


@app.get("/items/{item_id}", response_model=Item, tags=["items"])
def read_item(item_id: int, store: StoreDep) -> Item:
    return _get_or_404(store, item_id)


@app.put("/items/{item_id}", response_model=Item, tags=["items"])
def replace_item(item_id: int, payload: ItemCreate, store: StoreDep) -> Item:
    _get_or_404(store, item_id)
    updated = store.update(item_id, payload.model_dump())
    assert updated is not None
    return updated


@app.patch("/items/{item_id}", response_model=Item, tags=["items"])
def update_item(item_id: int, payload: ItemUpdate, store: StoreDep) -> Item:
    current = _get_or_404(store, item_id)
    changes = payload.model_dump(exclude_unset=True)
    # Explicit nulls are only meaningful for the optional description.
    nulls = [k for k, v in changes.items() if v is None and k != "description"]
    if nulls:
        raise HTTPException(
            status_code=422,
            detail=f"Fields cannot be null: {', '.join(sorted(nulls))}",
        )
    if not changes:
        return current
    updated = store.update(item_id, changes)
    assert updated is not None
    return updated


@app.delete("/items/{item_id}", status_code=status.HTTP_204_NO_CONTENT, tags=["items"])
def delete_item(item_id: int, store: StoreDep) -> Response:
    if not store.delete(item_id):
        raise HTTPException(status_code=status.HTTP_404_NOT_FOUND, detail=f"Item {item_id} not found")
    return Response(status_code=status.HTTP_204_NO_CONTENT)

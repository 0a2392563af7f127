from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from app.main import app, get_store
from app.store import ItemStore


@pytest.fixture()
def client() -> Iterator[TestClient]:
    """A TestClient backed by a fresh, empty store for every test."""
    store = ItemStore()
    app.dependency_overrides[get_store] = lambda: store
    with TestClient(app) as test_client:
        yield test_client
    app.dependency_overrides.clear()


def make_item(client: TestClient, **overrides) -> dict:
    payload = {"name": "Keyboard", "price": 79.9, "quantity": 3, **overrides}
    response = client.post("/items", json=payload)
    assert response.status_code == 201, response.text
    return response.json()


def test_health(client: TestClient) -> None:
    response = client.get("/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "items": 0}


def test_create_item_returns_201_and_location(client: TestClient) -> None:
    response = client.post(
        "/items",
        json={"name": "  Mouse  ", "price": 25, "tags": ["Office", "office", " USB "]},
    )
    assert response.status_code == 201
    body = response.json()
    assert body["id"] == 1
    assert body["name"] == "Mouse"
    assert body["quantity"] == 0
    assert body["in_stock"] is False
    assert body["tags"] == ["office", "usb"]
    assert response.headers["location"] == "/items/1"


def test_read_item(client: TestClient) -> None:
    created = make_item(client)
    response = client.get(f"/items/{created['id']}")
    assert response.status_code == 200
    assert response.json() == created


def test_list_items_with_filters_and_pagination(client: TestClient) -> None:
    make_item(client, name="Keyboard", tags=["desk"])
    make_item(client, name="Monitor", description="27 inch display", quantity=0)
    make_item(client, name="Desk lamp", tags=["desk"])

    page = client.get("/items").json()
    assert page["total"] == 3
    assert [i["name"] for i in page["items"]] == ["Keyboard", "Monitor", "Desk lamp"]

    assert client.get("/items", params={"tag": "DESK"}).json()["total"] == 2
    assert client.get("/items", params={"q": "display"}).json()["items"][0]["name"] == "Monitor"
    assert client.get("/items", params={"in_stock": False}).json()["total"] == 1

    second_page = client.get("/items", params={"limit": 2, "offset": 2}).json()
    assert [i["name"] for i in second_page["items"]] == ["Desk lamp"]
    assert second_page["total"] == 3


def test_patch_updates_only_sent_fields(client: TestClient) -> None:
    created = make_item(client, description="Clicky")
    response = client.patch(f"/items/{created['id']}", json={"quantity": 10})
    assert response.status_code == 200
    body = response.json()
    assert body["quantity"] == 10
    assert body["name"] == created["name"]
    assert body["description"] == "Clicky"
    assert body["created_at"] == created["created_at"]


def test_patch_can_clear_description_but_not_required_fields(client: TestClient) -> None:
    created = make_item(client, description="Clicky")
    cleared = client.patch(f"/items/{created['id']}", json={"description": None})
    assert cleared.status_code == 200
    assert cleared.json()["description"] is None

    rejected = client.patch(f"/items/{created['id']}", json={"name": None})
    assert rejected.status_code == 422


def test_put_replaces_item(client: TestClient) -> None:
    created = make_item(client, description="Old", tags=["a"])
    response = client.put(f"/items/{created['id']}", json={"name": "New", "price": 10})
    assert response.status_code == 200
    body = response.json()
    assert body["name"] == "New"
    assert body["description"] is None
    assert body["tags"] == []
    assert body["quantity"] == 0


def test_delete_item(client: TestClient) -> None:
    created = make_item(client)
    assert client.delete(f"/items/{created['id']}").status_code == 204
    assert client.get(f"/items/{created['id']}").status_code == 404
    assert client.delete(f"/items/{created['id']}").status_code == 404


@pytest.mark.parametrize("method", ["get", "put", "patch", "delete"])
def test_unknown_item_returns_404(client: TestClient, method: str) -> None:
    kwargs = {"json": {"name": "X", "price": 1}} if method in {"put", "patch"} else {}
    response = client.request(method.upper(), "/items/999", **kwargs)
    assert response.status_code == 404
    assert response.json() == {"detail": "Item 999 not found"}


@pytest.mark.parametrize(
    "payload, field",
    [
        ({"price": 5}, "name"),
        ({"name": "", "price": 5}, "name"),
        ({"name": "Thing", "price": 0}, "price"),
        ({"name": "Thing", "price": 5, "quantity": -1}, "quantity"),
        ({"name": "Thing", "price": 5, "colour": "red"}, "colour"),
    ],
)
def test_invalid_payloads_are_rejected(client: TestClient, payload: dict, field: str) -> None:
    response = client.post("/items", json=payload)
    assert response.status_code == 422
    locations = [error["loc"][-1] for error in response.json()["detail"]]
    assert field in locations


def test_pagination_limits_are_validated(client: TestClient) -> None:
    assert client.get("/items", params={"limit": 0}).status_code == 422
    assert client.get("/items", params={"limit": 101}).status_code == 422
    assert client.get("/items", params={"offset": -1}).status_code == 422

"""The published OpenAPI document is right: one schema per component name, and the responses
the API sends validate against it (issue 17, finding 9). schemathesis (scripts/fuzz_api.sh)
does the same over every operation with generated inputs."""

import importlib
import inspect
from collections import defaultdict

import jsonschema_rs  # schemathesis's validator, installed with it
import pytest
from django.apps import apps
from ninja import Schema


def _api_schemas() -> dict[str, list[type]]:
    found: dict[str, list[type]] = defaultdict(list)
    for config in apps.get_app_configs():
        if not config.name.startswith("dangshi."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.api")
        except ModuleNotFoundError:
            continue
        for _name, obj in inspect.getmembers(module, inspect.isclass):
            if issubclass(obj, Schema) and obj.__module__ == module.__name__:
                found[obj.__name__].append(obj)
    return found


def test_no_two_different_schemas_share_a_component_name_so_generated_clients_send_the_right_body():
    clashes = {name: [f"{m.__module__}.{m.__qualname__}" for m in models]
               for name, models in _api_schemas().items()
               if len({str(m.model_json_schema()) for m in models}) > 1}
    assert clashes == {}


@pytest.fixture
def published(world):
    return world.client("office").get("/api/v1/openapi.json").json()


def test_the_colliding_bodies_the_fuzzer_found_are_published_with_their_own_fields(published):
    components = published["components"]["schemas"]
    assert {"PledgeItemOut", "PledgeProgressOut", "PledgeProgressIn", "TaskProgressIn", "MatterProgressOut",
            "ItemOut"} <= set(components)
    assert set(components["TaskProgressIn"]["properties"]) != set(components["PledgeProgressIn"]["properties"])


@pytest.mark.parametrize("persona", ["office", "admin_a", "member_a"])
def test_every_parameterless_get_answers_what_the_published_schema_says(world, published, persona):
    client = world.client(persona)
    checked = 0
    for path, operations in published["paths"].items():
        if "{" in path or "get" not in operations or path.endswith(("openapi.json", "/docs")):
            continue
        response = client.get(path)
        assert response.status_code < 500, path
        declared = operations["get"]["responses"].get(str(response.status_code))
        assert declared is not None, f"{path}: {response.status_code} is not in the published schema"
        body_schema = declared.get("content", {}).get("application/json", {}).get("schema")
        if body_schema and response.get("Content-Type", "").startswith("application/json"):
            validator = jsonschema_rs.Draft202012Validator({**body_schema, "components": published["components"]})
            errors = [e.message for e in validator.iter_errors(response.json())][:3]
            assert errors == [], f"{persona} GET {path}: {errors}"
            checked += 1
    assert checked >= 10

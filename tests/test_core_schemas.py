"""The schemas sent in strict mode satisfy OpenAI's strict rules."""

import pytest

from summarizer.schemas import BriefDraft, Extraction, strict_json_schema


def _objects(node, path="$"):
    if isinstance(node, dict):
        if node.get("type") == "object":
            yield path, node
        for key, value in node.items():
            yield from _objects(value, f"{path}.{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _objects(value, f"{path}[{i}]")


def _keys(node):
    if isinstance(node, dict):
        for key, value in node.items():
            yield key
            yield from _keys(value)
    elif isinstance(node, list):
        for value in node:
            yield from _keys(value)


@pytest.mark.parametrize("model", [Extraction, BriefDraft])
def test_strict_rules(model):
    schema = strict_json_schema(model)
    objects = list(_objects(schema))
    assert len(objects) >= 2
    for path, obj in objects:
        assert obj["additionalProperties"] is False, path
        assert sorted(obj["required"]) == sorted(obj["properties"]), path
    keys = set(_keys(schema))
    assert "default" not in keys
    assert "$ref" not in keys and "$defs" not in keys


def test_optional_values_are_nullable_not_omitted():
    claim = strict_json_schema(Extraction)["properties"]["claims"]["items"]
    assert "attributed_to" in claim["required"]
    assert {"type": "null"} in claim["properties"]["attributed_to"]["anyOf"]

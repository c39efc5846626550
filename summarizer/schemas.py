"""Every pydantic schema sent to a chat model, written for OpenAI strict mode.

Strict mode wants every field required, no defaults, and `additionalProperties: false` on every object; an optional
value is spelled `X | None`. `strict_json_schema` produces that form with definitions inlined, which local servers
(llama.cpp) also handle better than `$ref`.
"""

from __future__ import annotations

import copy
from functools import lru_cache
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Claim(_Strict):
    """One factual claim an article makes, backed by a verbatim quote."""

    statement: str = Field(description="The claim as one short, self-contained sentence in the brief's language.")
    quote: str = Field(
        description="A verbatim span copied character for character from the article that supports the claim."
    )
    attributed_to: str | None = Field(
        description="Who the article says the claim comes from (e.g. KCNA, TASS, NIS), or null if unattributed."
    )


class Extraction(_Strict):
    """The key claims of one article (or one chunk of a long article)."""

    claims: list[Claim] = Field(description="The article's key claims about the event, most important first.")


class CitedText(_Strict):
    """A sentence of the brief and the ids of the claims that support it."""

    text: str = Field(description="The sentence, in the brief's language, stating only what the claims support.")
    claim_ids: list[str] = Field(description='Ids of the supporting claims, e.g. ["c3", "c17"].')


class ConflictDraft(_Strict):
    """A point on which sources disagree, with each side and who says it."""

    topic: str = Field(description="What the sources disagree about, e.g. 'North Korean soldiers killed'.")
    positions: list[CitedText] = Field(description="Each side, with its attribution in the text, and its claims.")


class BriefDraft(_Strict):
    """The reconciled brief as the model writes it; citations are claim ids that the code resolves to sources."""

    headline: str = Field(description="A factual headline of at most 15 words.")
    summary: CitedText = Field(description="A short summary paragraph of two or three sentences.")
    points: list[CitedText] = Field(description="Key points, most important and best supported first.")
    conflicts: list[ConflictDraft] = Field(description="Disagreements between sources, each side kept.")


def strict_json_schema(model: type[BaseModel]) -> dict[str, Any]:
    """The model's JSON schema in OpenAI strict form: all fields required, no extra keys, no defaults, no $ref,
    no descriptions."""
    return copy.deepcopy(_strict_json_schema(model))  # a copy: callers may change what they get


@lru_cache(maxsize=16)
def _strict_json_schema(model: type[BaseModel]) -> dict[str, Any]:
    schema = model.model_json_schema()
    defs = schema.pop("$defs", {})

    def walk(node: Any) -> Any:
        if isinstance(node, dict):
            if "$ref" in node:
                return walk(defs[node["$ref"].split("/")[-1]])
            # Descriptions repeat the prompt's instructions and are paid for on every call: the prompt carries them.
            node = {k: walk(v) for k, v in node.items() if k not in ("default", "title", "description")}
            if node.get("type") == "object":
                node["additionalProperties"] = False
                node["required"] = list(node.get("properties", {}))
            return node
        if isinstance(node, list):
            return [walk(item) for item in node]
        return node

    result: dict[str, Any] = walk(schema)
    return result

"""End to end through the real openai client against an OpenAI-compatible server on 127.0.0.1."""

import asyncio
import json
from pathlib import Path

import pytest

from summarizer import asummarize
from summarizer.cleaning import clean
from summarizer.documents import load
from summarizer.render import to_markdown
from summarizer.testing import FakeOpenAIServer, chat_completion

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def _run(server: FakeOpenAIServer, **options):
    return asyncio.run(asummarize([SEEDS], base_url=server.base_url, api_key="sk-test", model="m", **options))


def _assert_citations_verified(brief):
    originals = {d.id: d.text for d in load([SEEDS]).documents}
    statements = brief.statements()
    assert statements
    for statement in statements:
        assert statement.citations, statement.text
        for citation in statement.citations:
            assert citation.source_id in originals
            assert originals[citation.source_id][citation.start : citation.end] == citation.quote


def test_strict_json_schema_request_and_verified_citations():
    with FakeOpenAIServer() as server:
        brief = _run(server)
    first = server.requests[0]
    fmt = first["response_format"]
    assert fmt["type"] == "json_schema"
    assert fmt["json_schema"]["strict"] is True
    assert fmt["json_schema"]["schema"]["additionalProperties"] is False
    assert first["model"] == "m"
    assert {k.lower(): v for k, v in first["_headers"].items()}["authorization"] == "Bearer sk-test"
    # One extraction per article plus one reconciliation.
    assert len(server.requests) == 6
    assert brief.diagnostics.calls == 6
    assert brief.diagnostics.input_tokens > 0 and brief.diagnostics.output_tokens > 0
    assert brief.diagnostics.claims_verified == brief.diagnostics.claims_extracted > 0
    _assert_citations_verified(brief)
    assert len({sid for s in brief.statements() for sid in s.source_ids}) >= 3
    markdown = to_markdown(brief)
    assert markdown.startswith("# ") and "## Sources" in markdown and "[1]" in markdown
    # The scripted model reports the casualty disagreement; both sides survive resolution with their sources.
    (conflict,) = brief.conflicts
    sides = {tuple(p.source_ids): p.text for p in conflict.positions}
    assert "600" in sides[(3,)] and "6,000" in sides[(4,)]


def test_article_text_sits_inside_its_delimiters():
    with FakeOpenAIServer() as server:
        _run(server)
    extraction = [r for r in server.requests if "⟦ARTICLE" in r["messages"][1]["content"]]
    assert len(extraction) == 5
    texts = {clean(d).text for d in load([SEEDS]).documents}
    for request in extraction:
        user = request["messages"][1]["content"]
        head, _, rest = user.partition("⟦ARTICLE ")
        tag, _, rest = rest.partition("⟧\n")
        body, _, tail = rest.partition(f"\n⟦END {tag}⟧")
        title, _, body = body.partition("\n")
        assert title.startswith("Title: ") and body in texts
        assert tail.strip() == ""
        assert tag in request["messages"][0]["content"]


@pytest.mark.parametrize("status", [400, 500])
def test_server_rejecting_json_schema_falls_back(status, sleeps):
    def reject_schema(body, n):
        if (body.get("response_format") or {}).get("type") == "json_schema":
            error = {"error": {"message": "response_format json_schema is not supported", "type": "invalid_request"}}
            return status, {}, json.dumps(error).encode()
        return None

    with FakeOpenAIServer(handler=reject_schema) as server:
        brief = _run(server, concurrency=1)
    kinds = [(r.get("response_format") or {}).get("type") for r in server.requests]
    # Refused once, then asked again in the next mode at once: the SDK does not retry a 500 that names the format.
    assert kinds.count("json_schema") == 1 and sleeps.slept == []
    assert "json_object" in kinds
    # After the fallback, the backend remembers: no further json_schema attempts.
    last_schema = max(i for i, k in enumerate(kinds) if k == "json_schema")
    assert all(k == "json_object" for k in kinds[last_schema + 1 :])
    # The schema travels in the prompt too, since json_object alone does not enforce it.
    assert "JSON schema" in server.requests[-1]["messages"][-1]["content"]
    _assert_citations_verified(brief)


def test_server_without_any_response_format_gets_plain_json_prompt():
    def no_formats(body, n):
        if body.get("response_format"):
            return 400, {}, b'{"error": {"message": "Unsupported param: response_format"}}'
        return None

    with FakeOpenAIServer(handler=no_formats) as server:
        brief = _run(server, concurrency=1)
    assert server.requests[-1].get("response_format") is None
    _assert_citations_verified(brief)


def test_fabricated_quotes_are_dropped_and_counted():
    def fabricate(body, n):
        if body["response_format"]["json_schema"]["name"] != "Extraction" or n != 1:
            return None
        content = json.dumps(
            {
                "claims": [
                    {
                        "statement": "Invented",
                        "quote": "Kim resigned and moved to Paris last week",
                        "attributed_to": None,
                    },
                    {
                        "statement": "Kim backs Russia",
                        "quote": "North Korean leader Kim Jong-un has expressed unwavering support for Russia",
                        "attributed_to": None,
                    },
                ]
            }
        )
        return chat_completion(content)

    with FakeOpenAIServer(handler=fabricate) as server:
        brief = _run(server, concurrency=1)
    dropped = brief.diagnostics.dropped_claims
    assert [d.statement for d in dropped] == ["Invented"]
    assert "Paris" not in to_markdown(brief)
    _assert_citations_verified(brief)

"""Model faults, injected by an OpenAI-compatible server on 127.0.0.1 that counts what it receives.

The SDK's retry sleeps are recorded instead of slept, so that the tests are fast while still proving which delays a
real run would honour.
"""

import asyncio
import email.utils
import json
import time
from pathlib import Path

import pytest

from summarizer import asummarize, errors
from summarizer.documents import Document
from summarizer.testing import FakeOpenAIServer, chat_completion

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
ONE = [Document(title="Dam bursts", text=(SEEDS / "001_a8cd699bb4811162.txt").read_text())]


def _error(status, message, code=None, headers=None):
    body = {"error": {"message": message, "type": "error", "code": code}}
    return status, headers or {}, json.dumps(body).encode()


def _run(server, inputs=(SEEDS,), **options):
    options = {"base_url": server.base_url, "api_key": "sk-test", "model": "m", "max_retries": 2, **options}
    return asyncio.run(asummarize(list(inputs), **options))


def _extractions(server):
    return [r for r in server.requests if "⟦ARTICLE" in r["messages"][1]["content"]]


def test_twenty_429s_with_retry_after_then_success(sleeps):
    def limited(body, n):
        return _error(429, "Rate limit reached", headers={"Retry-After": "1"}) if n <= 20 else None

    with FakeOpenAIServer() as clean_server:
        expected = _run(clean_server, cache=False)
    with FakeOpenAIServer(handler=limited) as server:
        brief = _run(server, concurrency=1, max_retries=25, cache=False)
    assert len(server.requests) == 20 + 6  # bounded: 20 refusals, then one call per article and one reconciliation
    assert sleeps.slept == [1.0] * 20  # Retry-After honoured every time
    bodies = [json.dumps(r["messages"]) for r in _extractions(server)]
    assert len(set(bodies)) == 5  # each article extracted once (retries of the same request aside)
    assert brief.model_dump(exclude={"diagnostics"}) == expected.model_dump(exclude={"diagnostics"})


def test_429_beyond_the_retry_budget_is_a_typed_error(sleeps):
    with FakeOpenAIServer(handler=lambda body, n: _error(429, "Rate limit reached")) as server:
        with pytest.raises(errors.RateLimited, match="429"):
            _run(server, inputs=ONE)
    assert len(server.requests) == 3  # 1 + max_retries


@pytest.mark.parametrize(
    "headers",
    [
        {"Retry-After": "3600"},
        {"Retry-After": email.utils.formatdate(time.time() + 3601, usegmt=True)},
        {"retry-after-ms": "3600000"},
    ],
)
def test_retry_after_above_the_maximum_wait_fails_at_once(sleeps, headers):
    limited = [True]

    def later(body, n):
        if limited[0] and n >= 3:
            return _error(429, "Rate limit reached", headers=headers)
        return None

    with FakeOpenAIServer(handler=later) as server:
        with pytest.raises(errors.RateLimited, match=r"asks to wait 3\d{3} s"):
            _run(server, concurrency=1)
        assert len(server.requests) == 3 and sleeps.slept == []
        # The two answers that came back are kept: the re-run pays only for the rest.
        limited[0] = False
        brief = _run(server)
    assert len(server.requests) == 3 + 4 and brief.diagnostics.cache_hits == 2


def test_insufficient_quota_is_not_retried(sleeps):
    def broke(body, n):
        return _error(429, "You exceeded your current quota", code="insufficient_quota")

    with FakeOpenAIServer(handler=broke) as server:
        with pytest.raises(errors.QuotaExceeded, match="quota"):
            _run(server, inputs=ONE, max_retries=5)
    assert len(server.requests) == 1 and sleeps.slept == []


def test_persistent_500_costs_exactly_the_configured_attempts(sleeps):
    with FakeOpenAIServer(handler=lambda body, n: _error(500, "Internal Server Error")) as server:
        with pytest.raises(errors.ServerFailed, match="500"):
            _run(server, inputs=ONE, max_retries=3)
    assert len(server.requests) == 4  # not attempts x SDK retries x re-asks
    assert len(sleeps.slept) == 3


@pytest.mark.parametrize(
    ("status", "error", "message"),
    [
        (400, errors.BadRequest, "refused the request"),
        (401, errors.AuthenticationFailed, "OPENAI_API_KEY"),
        (403, errors.AuthenticationFailed, "403"),
        (404, errors.ModelNotFound, "model 'm' not found"),
    ],
)
def test_client_errors_cost_one_request(sleeps, status, error, message):
    with FakeOpenAIServer(handler=lambda body, n: _error(status, "nope")) as server:
        with pytest.raises(error, match=message):
            _run(server, inputs=ONE)
    assert len(server.requests) == 1 and sleeps.slept == []


def test_client_error_with_concurrency_starts_no_new_request(sleeps):
    with FakeOpenAIServer(handler=lambda body, n: _error(401, "bad key")) as server:
        with pytest.raises(errors.AuthenticationFailed):
            _run(server, concurrency=2)
    # Two in flight when the first error came back; nothing started after it, no reconciliation.
    assert len(server.requests) == 2


VLLM_TOO_LONG = "This model's maximum context length is 1000 tokens. However, you requested 1500 tokens."


@pytest.mark.parametrize(
    "error",
    [
        _error(400, "This model's maximum context length is 1000 tokens.", code="context_length_exceeded"),
        _error(400, VLLM_TOO_LONG),
        (400, {"Content-Type": "text/plain"}, VLLM_TOO_LONG.encode()),  # no JSON at all
    ],
)
def test_context_length_exceeded_splits_the_input(sleeps, error):
    def small_context(body, n):
        if len(body["messages"][-1]["content"]) > 2000:
            return error
        return None

    with FakeOpenAIServer(handler=small_context) as server:
        brief = _run(server, inputs=ONE, cache=False)  # no cache to hide a resend
    bodies = [json.dumps(r["messages"]) for r in server.requests]
    assert len(bodies) == len(set(bodies))  # never resent unchanged
    sizes = [len(r["messages"][-1]["content"]) for r in _extractions(server)]
    assert sizes[0] > 2000 and all(size <= 2000 for size in sizes[1:]) and len(sizes) >= 3
    assert brief.points or brief.summary


def test_invalid_json_once_then_valid_costs_two_calls_and_carries_the_error(sleeps):
    def once_invalid(body, n):
        return chat_completion('{"claims": [{"statement": "x"}]}') if n == 1 else None

    with FakeOpenAIServer(handler=once_invalid) as server:
        _run(server, inputs=ONE)
    extraction = _extractions(server)
    assert len(extraction) == 2
    reask = extraction[1]["messages"]
    assert reask[-2] == {"role": "assistant", "content": '{"claims": [{"statement": "x"}]}'}
    assert "could not be used" in reask[-1]["content"] and "quote" in reask[-1]["content"]


def test_always_invalid_stops_within_the_reask_budget_and_counts_usage(sleeps):
    with FakeOpenAIServer(handler=lambda body, n: chat_completion("not json at all")) as server:
        with pytest.raises(errors.OutputInvalid, match="3 times") as caught:
            _run(server, inputs=ONE)
    assert len(server.requests) == 3
    usage = caught.value.usage
    assert usage.calls == 3 and usage.input_tokens > 0 and usage.output_tokens > 0


@pytest.mark.parametrize(
    ("answer", "error"),
    [
        (chat_completion('{"claims": [', finish_reason="length"), errors.OutputTruncated),
        (chat_completion("", finish_reason="content_filter"), errors.OutputRefused),
        (chat_completion(None, refusal="I can't help with that."), errors.OutputRefused),
    ],
)
def test_truncation_filter_and_refusal_are_typed_and_not_cached(sleeps, tmp_path, answer, error):
    with FakeOpenAIServer(handler=lambda body, n: answer) as server:
        with pytest.raises(error):
            _run(server, inputs=ONE)
    assert len(server.requests) == 1  # no identical re-ask
    assert not list((tmp_path / "cache").rglob("*.json"))


def test_stalled_server_is_bounded_by_the_timeout():
    def stall(body, n):
        time.sleep(1.5)

    started = time.monotonic()
    with FakeOpenAIServer(handler=stall) as server:
        with pytest.raises(errors.ServerFailed, match="in time"):
            _run(server, inputs=ONE, timeout=0.3, max_retries=1)
        assert len(server.requests) == 2
    assert time.monotonic() - started < 5


def test_connection_cut_mid_body_is_retried_within_budget(sleeps):
    def cut(body, n):
        if n == 1:
            return 200, {"Content-Length": "5000"}, b'{"id": "x", "choi'
        return None

    with FakeOpenAIServer(handler=cut) as server:
        brief = _run(server, inputs=ONE)
    assert len(server.requests) == 3  # the cut answer, its retry, the reconciliation
    assert brief.summary


def test_html_page_instead_of_json_is_a_typed_error(sleeps):
    page = (200, {"Content-Type": "text/html"}, b"<html><body>Welcome to nginx!</body></html>")
    with FakeOpenAIServer(handler=lambda body, n: page) as server:
        with pytest.raises(errors.ModelError):
            _run(server, inputs=ONE)
    assert len(server.requests) <= 3


def test_broken_json_body_is_a_typed_error_naming_the_server(sleeps):
    garbage = (200, {"Content-Type": "application/json"}, b'{"id": "x", "choices": [')
    with FakeOpenAIServer(handler=lambda body, n: garbage) as server:
        with pytest.raises(errors.ServerFailed, match="not JSON"):
            _run(server, inputs=ONE)
    assert len(server.requests) == 1

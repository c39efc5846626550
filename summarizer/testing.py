"""Test doubles shipped with the package: a scripted in-process backend and an OpenAI-compatible HTTP server.

Both answer with `echo_answer`, a deterministic stand-in for a model: it extracts an article's sentences as claims
(so their quotes verify) and groups claims that share their words into points. Tests, the benchmark and users'
own test suites use them to exercise the whole pipeline with no network and no key.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, TypeVar

from pydantic import BaseModel

from .backend import Completion, Message, Usage
from .chunking import count_tokens, sentence_spans

T = TypeVar("T", bound=BaseModel)
_BLOCK = re.compile(r"⟦(ARTICLE|CLAIMS) (\w+)⟧\n(.*?)\n⟦END \2⟧", re.DOTALL)
_ATTRIBUTION = re.compile(r"\b(?:according to|cited|said|reported|per)\b\s+([A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*)*)")
_FACT = re.compile(r"^\[(\w+)\] \(sources? ([\d, ]+)(?:; per ([^)]*))?\) (.*)$")
_NUMBER = re.compile(r"\d[\d,.]*")


def echo_answer(messages: list[Message], schema_name: str) -> dict[str, Any]:
    """A schema-valid answer built from the request itself: sentences become claims, shared words become points."""
    text = "\n".join(m["content"] for m in messages if m["role"] == "user")
    block = _BLOCK.search(text)
    body = block.group(3).removeprefix("Title: ").partition("\n")[2] if block and block.group(1) == "ARTICLE" else ""
    body = block.group(3) if block and block.group(1) == "CLAIMS" else body
    if schema_name == "Extraction":
        claims = []
        for start, end in sentence_spans(body):
            sentence = body[start:end]
            if len(sentence.split()) >= 6:
                who = _ATTRIBUTION.search(sentence)
                claims.append({"statement": sentence, "quote": sentence, "attributed_to": who and who.group(1)})
        # Like a model asked for key facts: sentences with figures first.
        claims.sort(key=lambda c: not re.search(r"\d", str(c["quote"])))
        limit = re.search(r"at most (\d+)", text)
        return {"claims": claims[: int(limit.group(1)) if limit else 12]}
    facts = [m.groups() for m in map(_FACT.match, body.splitlines()) if m]
    groups: list[list[tuple[str, ...]]] = []
    for fact in facts:
        words = _words(fact[3])
        for group in groups:
            if len(words & _words(group[0][3])) / max(1, min(len(words), len(_words(group[0][3])))) >= 0.6:
                group.append(fact)
                break
        else:
            groups.append([fact])
    groups.sort(key=lambda g: -len(g))
    points = [{"text": g[0][3], "claim_ids": [f[0] for f in g]} for g in groups[:8]]
    killed = [f for f in facts if re.search(r"killed|died|dead", f[3]) and _NUMBER.search(f[3])]
    figures = {_NUMBER.search(f[3]).group() for f in killed}  # type: ignore[union-attr]
    conflicts = []
    if len(figures) > 1:
        conflicts.append(
            {"topic": "Soldiers killed", "positions": [{"text": f[3], "claim_ids": [f[0]]} for f in killed]}
        )
    first = points[0]["text"] if points else "No verified claims"
    headline = " ".join(str(first).split()[:12])
    return {
        "headline": headline,
        "summary": points[0] if points else {"text": first, "claim_ids": []},
        "points": points[1:],
        "conflicts": conflicts,
    }


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"\w+", text.casefold()) if len(w) > 3}


Responder = Callable[[list[Message], str], dict[str, Any]]


class ScriptedBackend:
    """An in-process ChatBackend that answers from a function (echo_answer by default) and records requests."""

    def __init__(self, responder: Responder = echo_answer) -> None:
        self.responder = responder
        self.requests: list[tuple[list[Message], str]] = []

    async def complete(self, messages: list[Message], schema: type[T]) -> Completion[T]:
        self.requests.append((messages, schema.__name__))
        answer = self.responder(messages, schema.__name__)
        usage = Usage(1, sum(count_tokens(m["content"]) for m in messages), count_tokens(json.dumps(answer)))
        return Completion(schema.model_validate(answer), usage)


def chat_completion(
    content: str | None,
    finish_reason: str = "stop",
    refusal: str | None = None,
    usage: tuple[int, int] | None = None,
) -> tuple[int, dict[str, str], bytes]:
    """A 200 answer carrying one chat completion, as a handler returns it: (status, headers, body)."""
    completion: dict[str, Any] = {
        "id": "chatcmpl-fake",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": "fake",
        "choices": [
            {
                "index": 0,
                "finish_reason": finish_reason,
                "message": {"role": "assistant", "content": content, "refusal": refusal},
            }
        ],
    }
    if usage:
        completion["usage"] = {"prompt_tokens": usage[0], "completion_tokens": usage[1], "total_tokens": sum(usage)}
    return 200, {"Content-Type": "application/json"}, json.dumps(completion).encode()


Handler = Callable[[dict[str, Any], int], tuple[int, dict[str, str], bytes] | None]
"""Called with (request body, request number); returns (status, headers, body) to answer, or None for the default."""


class FakeOpenAIServer:
    """An OpenAI-compatible chat-completions server on 127.0.0.1 for tests and benchmarks.

    Answers with echo_answer after `latency` seconds; `handler` can inject faults per request. Counts requests and
    the tokens they carry. Use as a context manager; `base_url` is what to give the openai client.
    """

    def __init__(self, latency: float = 0.0, handler: Handler | None = None) -> None:
        self.latency = latency
        self.handler = handler
        self.requests: list[dict[str, Any]] = []
        self.lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/v1"

    def __enter__(self) -> FakeOpenAIServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    def answer(self, body: dict[str, Any]) -> tuple[int, dict[str, str], bytes]:
        """The default answer: a chat completion whose content is echo_answer's JSON, with token usage."""
        content = json.dumps(echo_answer(body["messages"], _schema_name(body)))
        prompt_tokens = sum(count_tokens(str(m.get("content", ""))) for m in body["messages"])
        return chat_completion(content, usage=(prompt_tokens, count_tokens(content)))

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class _Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # Headers and body go out in separate writes: without this, Nagle's algorithm and delayed ACKs add
            # 40 ms to some answers, a cost no real server has.
            disable_nagle_algorithm = True

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - silence per-request logs
                pass

            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length) or b"{}")
                body["_headers"] = dict(self.headers)
                arrived = time.monotonic()
                with fake.lock:
                    fake.requests.append(body)
                    number = len(fake.requests)
                result = fake.handler(body, number) if fake.handler else None
                status, headers, payload = result or fake.answer(body)
                # The latency counts from arrival and includes the fake's own work, as a real server's would.
                time.sleep(max(0.0, fake.latency - (time.monotonic() - arrived)))
                self.send_response(status)
                # A handler may announce a longer body than it sends, to cut the connection mid-body.
                headers = {"Content-Type": "application/json", "Content-Length": str(len(payload)), **headers}
                for key, value in headers.items():
                    self.send_header(key, value)
                self.end_headers()
                self.wfile.write(payload)
                if int(headers["Content-Length"]) != len(payload):
                    self.close_connection = True

        return _Handler


def _schema_name(body: dict[str, Any]) -> str:
    fmt = body.get("response_format") or {}
    if fmt.get("type") == "json_schema":
        return str(fmt["json_schema"]["name"])
    if "schema" in fmt:
        return "Extraction" if "claims" in fmt["schema"].get("properties", {}) else "BriefDraft"
    last = str(body.get("messages", [{}])[-1].get("content", ""))
    return "BriefDraft" if "⟦CLAIMS" in last else "Extraction"

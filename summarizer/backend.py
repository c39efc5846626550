"""The one boundary to chat models: the ChatBackend protocol and its OpenAI-compatible implementation."""

from __future__ import annotations

import json
import logging
import os
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar

from pydantic import BaseModel, ValidationError
from tenacity import AsyncRetrying, retry_if_exception_type, stop_after_attempt

from . import errors, faults
from .chunking import count_tokens
from .prompts import render
from .schemas import strict_json_schema

if TYPE_CHECKING:  # the SDK takes a third of a second to import: only the model path pays for it
    import openai

log = logging.getLogger("summarizer")

T = TypeVar("T", bound=BaseModel)
Message = dict[str, str]

DEFAULT_MODEL = "gpt-4o-mini"
MODES = ("json_schema", "json_object", "prompt")
"""Structured-output modes, strongest first; a server that refuses one is asked in the next."""


@dataclass
class Usage:
    """Requests sent and tokens spent, summed over every attempt, failed ones included."""

    calls: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    cache_hits: int = 0

    def add(self, other: Usage) -> None:
        self.calls += other.calls
        self.input_tokens += other.input_tokens
        self.output_tokens += other.output_tokens
        self.cache_hits += other.cache_hits


@dataclass
class Completion(Generic[T]):
    """A validated answer and what it cost."""

    value: T
    usage: Usage = field(default_factory=Usage)


class ChatBackend(Protocol):
    """Anything that can answer chat messages with a validated instance of a pydantic schema."""

    async def complete(self, messages: list[Message], schema: type[T]) -> Completion[T]:
        """Answer `messages` with an instance of `schema`, or raise a ModelError."""
        ...


class _Invalid(Exception):
    """An answer that was not valid JSON for the schema; worth one re-ask carrying the error."""


class _FormatRejected(Exception):
    """The server refused the structured-output mode we asked for."""


class OpenAIBackend:
    """A ChatBackend over any OpenAI-compatible server (OpenAI, Azure, vLLM, Ollama, llama.cpp)."""

    def __init__(
        self,
        client: openai.AsyncOpenAI | None = None,
        *,
        model: str | None = None,
        base_url: str | None = None,
        api_key: str | None = None,
        temperature: float | None = 0.0,
        max_retries: int = 4,
        timeout: float = 120.0,
        reasks: int = 2,
    ) -> None:
        import openai

        if client is None:
            base_url = base_url or os.environ.get("OPENAI_BASE_URL") or None
            api_key = api_key or os.environ.get("OPENAI_API_KEY")
            if not api_key and not base_url:
                raise errors.ConfigurationError(
                    "no model configured: set OPENAI_API_KEY (and optionally OPENAI_BASE_URL), "
                    "or pass --base-url for a local server"
                )
            try:
                # Local servers usually need no key, but the SDK insists on one.
                client = openai.AsyncOpenAI(
                    api_key=api_key or "unused",
                    base_url=base_url,
                    max_retries=max_retries,
                    timeout=timeout,
                    http_client=openai.DefaultAsyncHttpxClient(event_hooks={"response": [faults.no_pointless_retry]}),
                )
            except Exception as exc:  # e.g. httpx2.InvalidURL for a malformed base URL
                raise errors.ConfigurationError(f"cannot use server URL {base_url!r}: {exc}") from None
        self.client = client
        self.model = model or os.environ.get("SUMMARIZER_MODEL") or DEFAULT_MODEL
        self.temperature = temperature
        self.reasks = reasks
        self.mode = MODES[0]

    async def aclose(self) -> None:
        """Close the HTTP connections of the client."""
        await self.client.close()

    @property
    def fingerprint(self) -> dict[str, Any]:
        """Everything besides the messages and schema that changes the answer (for cache keys)."""
        return {"model": self.model, "temperature": self.temperature, "base_url": str(self.client.base_url)}

    async def complete(self, messages: list[Message], schema: type[T]) -> Completion[T]:
        """Ask in the strongest structured-output mode the server accepts; validate here; re-ask on invalid output.

        A ModelError raised from here carries `usage`: what every attempt cost, failed ones included.
        """
        usage = Usage()
        try:
            return await self._complete(messages, schema, usage)
        except errors.ModelError as exc:
            exc.usage = usage
            raise

    async def _complete(self, messages: list[Message], schema: type[T], usage: Usage) -> Completion[T]:
        while True:
            mode = self.mode
            try:
                value = await self._ask_with_reasks(messages, schema, mode, usage)
                return Completion(value, usage)
            except _FormatRejected as exc:
                nxt = MODES.index(mode) + 1
                if nxt >= len(MODES):  # pragma: no cover - the prompt mode sends no response_format
                    raise errors.BadRequest(str(exc)) from exc
                if self.mode == mode:
                    log.warning("server refused response_format=%s (%s); falling back to %s", mode, exc, MODES[nxt])
                    self.mode = MODES[nxt]

    async def _ask_with_reasks(self, messages: list[Message], schema: type[T], mode: str, usage: Usage) -> T:
        convo = _with_schema_hint(messages, schema) if mode != "json_schema" else list(messages)
        retrying = AsyncRetrying(
            stop=stop_after_attempt(self.reasks + 1), retry=retry_if_exception_type(_Invalid), reraise=True
        )
        try:
            async for attempt in retrying:
                with attempt:
                    content = await self._send(convo, schema, mode, usage)
                    try:
                        return schema.model_validate(_parse_json(content))
                    except (ValueError, ValidationError) as exc:
                        error = _short_error(exc)
                        log.info("invalid answer (%s); re-asking", error)
                        convo = [
                            *convo,
                            {"role": "assistant", "content": content},
                            {"role": "user", "content": render("reask", error=error)},
                        ]
                        raise _Invalid(error) from exc
        except _Invalid as exc:
            raise errors.OutputInvalid(
                f"the model's answer failed validation {self.reasks + 1} times; last error: {exc}"
            ) from exc
        raise AssertionError("unreachable")  # pragma: no cover

    async def _send(self, messages: list[Message], schema: type[T], mode: str, usage: Usage) -> str:
        kwargs: dict[str, Any] = {}
        if mode == "json_schema":
            kwargs["response_format"] = {
                "type": "json_schema",
                "json_schema": {"name": schema.__name__, "schema": strict_json_schema(schema), "strict": True},
            }
        elif mode == "json_object":
            kwargs["response_format"] = {"type": "json_object", "schema": strict_json_schema(schema)}
        if self.temperature is not None:
            kwargs["temperature"] = self.temperature
        import openai

        usage.calls += 1
        try:
            response = await self.client.chat.completions.create(
                model=self.model,
                messages=messages,  # type: ignore[arg-type]
                **kwargs,
            )
        except openai.APIStatusError as exc:
            if (
                mode != "prompt"
                and exc.status_code in (400, 422, 500, 501)
                and faults.FORMAT_REJECTED.search(faults.said(exc))
            ):
                raise _FormatRejected(f"HTTP {exc.status_code}") from exc
            raise faults.convert(exc, self.model, self.client.api_key) from None
        except openai.APIError as exc:
            raise faults.convert(exc, self.model, self.client.api_key) from None
        except ValueError as exc:  # a 200 whose body is not JSON at all (json.JSONDecodeError)
            raise errors.ServerFailed(
                f"the server at {self.client.base_url} answered with a body that is not JSON ({exc}); "
                "is it an OpenAI-compatible /v1 endpoint?"
            ) from None
        if not hasattr(response, "choices") or not response.choices:
            raise errors.ServerFailed("the server answered without a chat completion (is the base URL right?)")
        if response.usage is not None:
            usage.input_tokens += response.usage.prompt_tokens or 0
            usage.output_tokens += response.usage.completion_tokens or 0
        choice = response.choices[0]
        content = choice.message.content or ""
        if response.usage is None:
            usage.input_tokens += sum(count_tokens(m["content"]) for m in messages)
            usage.output_tokens += count_tokens(content)
        if choice.finish_reason == "length":
            raise errors.OutputTruncated("the model hit its output token limit before finishing its answer")
        if choice.finish_reason == "content_filter":
            raise errors.OutputRefused("the provider's content filter stopped the answer")
        refusal = getattr(choice.message, "refusal", None)
        if refusal:
            raise errors.OutputRefused(f"the model refused: {refusal[:200]}")
        return content


def _with_schema_hint(messages: list[Message], schema: type[BaseModel]) -> list[Message]:
    hint = render("json_schema", schema=json.dumps(strict_json_schema(schema), separators=(",", ":")))
    last = messages[-1]
    return [*messages[:-1], {**last, "content": f"{last['content']}\n\n{hint}"}]


def _parse_json(content: str) -> Any:
    """Parse a JSON object from an answer, tolerating a code fence or prose around it."""
    text = content.strip()
    fence = re.search(r"```(?:json)?\s*(.*?)```", text, re.DOTALL)
    if fence:
        text = fence.group(1).strip()
    if not text.startswith("{"):
        start, end = text.find("{"), text.rfind("}")
        if start < 0 or end < start:
            raise ValueError("the answer contains no JSON object")
        text = text[start : end + 1]
    return json.loads(text)


def _short_error(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        parts = [f"{'.'.join(map(str, e['loc'])) or 'answer'}: {e['msg']}" for e in exc.errors()[:5]]
        return "; ".join(parts)
    return f"invalid JSON ({exc})"[:300]

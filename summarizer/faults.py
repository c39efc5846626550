"""What an OpenAI-compatible server's failures mean: which ones the SDK must not retry, and which error of ours each
becomes. The SDK owns HTTP retries (429, 5xx, timeouts, Retry-After); this module only stops the pointless ones and
converts what is left, once, into the hierarchy in errors.py."""

from __future__ import annotations

import datetime
import email.utils
import re
from typing import TYPE_CHECKING, Any

from . import errors

if TYPE_CHECKING:
    import openai

MAX_RETRY_AFTER = 120
"""The longest Retry-After (seconds) the openai SDK (3.x) waits for; a 429 asking for longer fails at once."""
FORMAT_REJECTED = re.compile(r"response_format|json_schema|json_object|schema|grammar", re.IGNORECASE)
CONTEXT_EXCEEDED = re.compile(
    r"context[_ ]length|maximum context|context window|too many tokens|prompt is too long|exceeds the (max|limit)",
    re.IGNORECASE,
)


async def no_pointless_retry(response: Any) -> None:
    """Tell the SDK not to retry what waiting will not fix.

    A 429 that means the account is out of quota, and a 5xx that refuses the structured-output mode (llama.cpp-style
    servers answer 500 to a json_schema they cannot compile): the latter is answered by falling back to the next mode,
    at once, instead of after every SDK retry.
    """
    status = response.status_code
    if status == 429 or (status in (500, 501) and b'"response_format"' in response.request.content):
        await response.aread()
        quota = status == 429 and b"insufficient_quota" in response.content
        if quota or (status != 429 and FORMAT_REJECTED.search(response.text)):
            response.headers["x-should-retry"] = "false"


def said(exc: openai.APIStatusError) -> str:
    """What an error response says: the SDK's message, and the body itself when it was not an OpenAI-style JSON
    error (vLLM and proxies may answer in plain text)."""
    try:
        body = exc.response.text[:2000]
    except Exception:  # a streamed body that was never read
        body = ""
    return f"{exc} {body}"


def _retry_after(response: Any) -> float | None:
    """Seconds a response asks to wait, as the SDK reads it: retry-after-ms, or Retry-After in seconds or as a date."""
    headers = response.headers
    try:
        if headers.get("retry-after-ms"):
            return float(headers["retry-after-ms"]) / 1000
        value = headers.get("retry-after", "")
        if value.replace(".", "", 1).isdigit():
            return float(value)
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return (when - datetime.datetime.now(when.tzinfo)).total_seconds()


def convert(exc: openai.APIError, model: str, api_key: str) -> errors.ModelError:
    """Turn an SDK error into one of ours, with a message a user can act on and no key in it.

    Raised `from None`: the SDK's exception (which may quote the key back from the server) is not chained.
    """
    converted = _classify(exc, model)
    converted.args = (errors.redact(str(converted), api_key),)
    return converted


def _classify(exc: openai.APIError, model: str) -> errors.ModelError:
    import openai

    if isinstance(exc, openai.AuthenticationError):
        return errors.AuthenticationFailed("the server rejected the API key (HTTP 401): check OPENAI_API_KEY")
    if isinstance(exc, openai.PermissionDeniedError):
        return errors.AuthenticationFailed("the API key may not use this model or endpoint (HTTP 403)")
    if isinstance(exc, openai.NotFoundError):
        return errors.ModelNotFound(
            f"model {model!r} not found (HTTP 404): check --model / SUMMARIZER_MODEL and --base-url"
        )
    if isinstance(exc, openai.RateLimitError):
        if getattr(exc, "code", None) == "insufficient_quota" or "insufficient_quota" in str(exc):
            return errors.QuotaExceeded("the account has no quota left (429 insufficient_quota): check billing")
        wait = _retry_after(exc.response)
        if wait is not None and wait > MAX_RETRY_AFTER:
            return errors.RateLimited(
                f"rate limited (HTTP 429): the server asks to wait {wait:.0f} s, longer than the {MAX_RETRY_AFTER} s "
                "the client waits; try again later or with a lower --concurrency"
            )
        return errors.RateLimited("rate limited (HTTP 429) past the retry budget; try --concurrency 1 or later")
    if isinstance(exc, openai.APIStatusError):
        code = getattr(exc, "code", None)
        too_long = exc.status_code in (400, 413, 422) and CONTEXT_EXCEEDED.search(said(exc))
        if code == "context_length_exceeded" or too_long:
            return errors.ContextTooLong(
                f"the request is longer than the model's context window (HTTP {exc.status_code})"
            )
        if exc.status_code in (400, 422):
            return errors.BadRequest(f"the server refused the request (HTTP {exc.status_code}): {exc.message[:200]}")
        return errors.ServerFailed(f"the server failed (HTTP {exc.status_code}) past the retry budget")
    if isinstance(exc, openai.APITimeoutError):
        return errors.ServerFailed("the server did not answer in time past the retry budget")
    if isinstance(exc, openai.APIConnectionError):
        cause = f" ({exc.__cause__})" if exc.__cause__ else ""
        return errors.ServerFailed(
            f"could not reach the model server at {exc.request.url}{cause}; check --base-url / OPENAI_BASE_URL"
        )
    return errors.ServerFailed(f"the server's answer could not be used: {exc}")

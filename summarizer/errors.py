"""Every error the library raises on purpose: one hierarchy under SummarizerError, each message actionable."""

from __future__ import annotations

import os
import re

_KEY_SHAPES = re.compile(r"\b(sk-[A-Za-z0-9_\-]{3})[A-Za-z0-9_\-]{8,}|(Bearer\s+)[^\s'\"]+")


def redact(text: str, *secrets: str | None) -> str:
    """Text with API keys masked: the given secrets, $OPENAI_API_KEY, and anything shaped like a key or token."""
    for secret in (*secrets, os.environ.get("OPENAI_API_KEY")):
        if secret and len(secret) >= 8:
            text = text.replace(secret, "***")
    return _KEY_SHAPES.sub(lambda m: (m.group(1) or m.group(2)) + "***", text)


class SummarizerError(Exception):
    """Base class for every error summarizer raises on purpose."""


class ConfigurationError(SummarizerError):
    """No usable model configuration (missing key, bad flag combination)."""


class InputError(SummarizerError):
    """The articles given cannot be used (empty folder, nothing readable)."""


class ModelError(SummarizerError):
    """The chat model or its server failed in a way retrying will not fix."""

    usage: object = None
    """What the failed request cost (a summarizer.Usage), when known."""


class AuthenticationFailed(ModelError):
    """The server rejected the API key (401) or the key lacks permission (403)."""


class ModelNotFound(ModelError):
    """The server does not know the requested model (404)."""


class RateLimited(ModelError):
    """Rate limits persisted past the retry budget, or asked for a wait longer than allowed."""


class QuotaExceeded(ModelError):
    """The account has no quota left (429 insufficient_quota): waiting will not help."""


class ContextTooLong(ModelError):
    """The request did not fit the model's context window even after splitting."""


class BadRequest(ModelError):
    """The server refused the request as malformed (400/422) for a reason other than its size."""


class ServerFailed(ModelError):
    """The server kept failing (5xx, dropped connections, timeouts, non-JSON bodies) past the retry budget."""


class OutputInvalid(ModelError):
    """The model's answer stayed invalid JSON or failed the schema after every re-ask."""


class OutputTruncated(ModelError):
    """The model stopped at its token limit (finish_reason=length) before finishing its answer."""


class OutputRefused(ModelError):
    """The model refused, or the provider's content filter stopped the answer."""

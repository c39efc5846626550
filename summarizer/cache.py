"""An on-disk cache of validated model answers, so that a re-run after a crash never pays twice for the same call.

Keys cover everything that changes the answer: the backend's fingerprint (model, base URL, temperature), the exact
messages (hence the prompt templates), the schema, and CACHE_VERSION. Entries are written atomically; an entry that
cannot be read or validated is ignored and replaced.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from pathlib import Path
from typing import Any, TypeVar

import platformdirs
from pydantic import BaseModel, ValidationError

from .backend import ChatBackend, Completion, Message, Usage
from .render import write_atomic
from .schemas import strict_json_schema

log = logging.getLogger("summarizer")
T = TypeVar("T", bound=BaseModel)

CACHE_VERSION = 1


def default_directory() -> Path:
    """$SUMMARIZER_CACHE_DIR, or the user's cache directory (e.g. ~/.cache/summarizer on Linux)."""
    return Path(os.environ.get("SUMMARIZER_CACHE_DIR") or platformdirs.user_cache_dir("summarizer")) / "responses"


class CachedBackend:
    """A ChatBackend that answers from disk when it can and stores every validated answer of the one it wraps."""

    def __init__(self, inner: ChatBackend, directory: Path, fingerprint: dict[str, Any]) -> None:
        self.inner = inner
        self.directory = directory
        self.fingerprint = fingerprint

    def key(self, messages: list[Message], schema: type[BaseModel]) -> str:
        """The cache key of a request: a hash of everything that changes the answer."""
        material = {
            "version": CACHE_VERSION,
            "backend": self.fingerprint,
            "schema": schema.__name__,
            "json_schema": strict_json_schema(schema),
            "messages": messages,
        }
        return hashlib.sha256(json.dumps(material, sort_keys=True).encode()).hexdigest()

    async def complete(self, messages: list[Message], schema: type[T]) -> Completion[T]:
        key = self.key(messages, schema)
        path = self.directory / key[:2] / f"{key}.json"
        try:
            entry = json.loads(path.read_text(encoding="utf-8"))
            return Completion(schema.model_validate(entry["answer"]), Usage(cache_hits=1))
        except FileNotFoundError:
            pass
        except (OSError, ValueError, KeyError, TypeError, ValidationError) as exc:
            log.warning("ignoring unreadable cache entry %s (%s)", path.name, type(exc).__name__)
        completion = await self.inner.complete(messages, schema)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(path, json.dumps({"answer": completion.value.model_dump(mode="json")}, ensure_ascii=False))
        except OSError as exc:  # a read-only or full disk must not fail a paid call
            log.warning("could not write the response cache at %s: %s", self.directory, exc)
        return completion

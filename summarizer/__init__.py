"""summarizer: one short, trustworthy brief from many news articles about one event, with verified citations."""

from .backend import ChatBackend, Completion, OpenAIBackend, Usage
from .brief import Brief, Citation, Conflict, Diagnostics, Source, Statement
from .documents import Document
from .errors import (
    AuthenticationFailed,
    BadRequest,
    ConfigurationError,
    ContextTooLong,
    InputError,
    ModelError,
    ModelNotFound,
    OutputInvalid,
    OutputRefused,
    OutputTruncated,
    QuotaExceeded,
    RateLimited,
    ServerFailed,
    SummarizerError,
)
from .pipeline import asummarize, summarize
from .render import to_json, to_markdown

__all__ = [
    "AuthenticationFailed",
    "BadRequest",
    "Brief",
    "ChatBackend",
    "Citation",
    "Completion",
    "ConfigurationError",
    "Conflict",
    "ContextTooLong",
    "Diagnostics",
    "Document",
    "InputError",
    "ModelError",
    "ModelNotFound",
    "OpenAIBackend",
    "OutputInvalid",
    "OutputRefused",
    "OutputTruncated",
    "QuotaExceeded",
    "RateLimited",
    "ServerFailed",
    "Source",
    "Statement",
    "SummarizerError",
    "Usage",
    "asummarize",
    "summarize",
    "to_json",
    "to_markdown",
]

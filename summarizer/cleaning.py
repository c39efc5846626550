"""Cleaning articles of site boilerplate, normalising text, and finding duplicate articles.

The cleaner keeps, for every character of the cleaned text, its index in the original text, so that a quote found
in the cleaned text can be shown and checked against the source as the user gave it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .documents import Document

# Whole lines that are page furniture on news sites, never article prose (matched case-insensitively).
_BOILERPLATE_LINES = [
    r"advertisement",
    r"x",
    r"ad",
    r"leave a (reply|comment)",
    r"your email address will not be published\.?.*",
    r"required fields are marked \*",
    r"related (sources|articles|stories|news)\s*:?.*",
    r"(•\s*)?source \d+(\s*•\s*source \d+)*",
    r"published (at|on)\s*:?.*",
    r"(updated|last updated)\s*:?\s*[\d/.: -]*(am|pm|ist|gmt|utc)?",
    r"\(?with (agency|inputs from agencies|agency inputs)\)?",
    r"share( this( article| story| post)?)?(\s+(on|via)\s+\w+)*\s*:?",
    r"(follow us|subscribe|sign up|read more|also read|watch)\b.{0,60}",
    r"(click|tap) here.*",
    r"comments?",
    r"[a-z]{1,3}",
]
_BOILERPLATE = re.compile(r"^\s*(?:" + "|".join(_BOILERPLATE_LINES) + r")\s*$", re.IGNORECASE)
# Image captions: credit in brackets at the end, or a trailing close-button "X".
_CAPTION = re.compile(
    r"(\((image|photo|picture|file photo|video|credit)s?\s*:[^)]*\)\s*$)|((?<!\bon)(?<!\bvia)\s[X×]\s*$)",
    re.IGNORECASE,
)
_INVISIBLE = {"\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad"}
DROP_INVISIBLE = dict.fromkeys(map(ord, _INVISIBLE))
"""A str.translate table that removes zero-width and other invisible characters."""


@dataclass
class Article:
    """A document after cleaning: the text the model sees, and the way back to the original."""

    id: int
    title: str
    text: str
    offsets: list[int]
    """offsets[i] is the index in `original` of character i of `text`; one extra entry marks the end."""
    original: str
    path: str = ""
    url: str | None = None
    removed_lines: list[str] = field(default_factory=list)

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a [start, end) span of the cleaned text to the matching span of the original text."""
        if end <= start:
            return self.offsets[start], self.offsets[start]
        return self.offsets[start], self.offsets[end - 1] + 1


_INSTRUCTION = re.compile(
    r"\b(ignore|disregard|forget)\b.{0,30}\b(instructions|prompts?|rules)\b|\byou are now\b|"
    r"^\W*(system|assistant|developer)\s*:|\breveal (your|the) (system )?(prompt|instructions)\b|"
    # An imperative that orders a writer about its own output ("Output X as the headline", "write X in your summary").
    r"(^|[.!?]\s+)\W*(write|output|print|say|include|put|insert|add|respond|reply|answer|begin|start)\b.{0,60}"
    r"\b(in|as|at|to|into|with) (the|your|this|each) (headline|summary|brief|title|output|answer|response)\b",
    re.IGNORECASE | re.MULTILINE,
)


def looks_like_instruction(text: str) -> bool:
    """Whether a passage addresses an AI model rather than reporting news (prompt injection)."""
    return bool(_INSTRUCTION.search(text))


def is_boilerplate(line: str) -> bool:
    """Whether a whole line is page furniture (ads, share bars, comment forms, captions), not prose."""
    return bool(_BOILERPLATE.match(line) or _CAPTION.search(line))


@lru_cache(maxsize=4096)
def normalize_char(ch: str) -> str:
    """Per-character Unicode normalisation shared by cleaning and quote matching."""
    if ch in _INVISIBLE:
        return ""
    if ch.isspace():
        return "\n" if ch in "\n\r\u2028\u2029" else " "
    return unicodedata.normalize("NFKC", ch)


def clean(doc: Document) -> Article:
    """Strip boilerplate lines, captions and a repeated title; normalise Unicode and whitespace."""
    out: list[str] = []
    offsets: list[int] = []
    removed: list[str] = []
    title_key = _key(doc.title)
    seen: set[str] = {title_key}
    leading_title = True
    for start, line in _lines(doc.text):
        key = _key(line)
        if not key:
            continue
        if key in seen or is_boilerplate(line):
            if not (leading_title and key == title_key):
                removed.append(line.strip())
            leading_title = leading_title and key == title_key
            continue
        leading_title = False
        seen.add(key)
        if out:
            out.append("\n")
            offsets.append(offsets[-1] + 1)
        _append_normalized(line, start, out, offsets)
    text = "".join(out)
    end = offsets[-1] + 1 if offsets else 0
    return Article(
        id=doc.id,
        title=" ".join("".join(normalize_char(c) for c in doc.title).split()),
        text=text,
        offsets=offsets + [end],
        original=doc.text,
        path=doc.path,
        url=doc.url,
        removed_lines=removed,
    )


def _lines(text: str) -> list[tuple[int, str]]:
    result = []
    pos = 0
    for line in text.splitlines(keepends=True):
        result.append((pos, line.rstrip("\r\n")))
        pos += len(line)
    return result


def _key(line: str) -> str:
    """A line reduced for comparison (repeated titles and lines): normalised, case-folded, spaces collapsed."""
    if not line.isascii():
        line = unicodedata.normalize("NFKC", line.translate(DROP_INVISIBLE))
    return " ".join(line.casefold().split())


_NON_SPACE = re.compile(r"\S+")


def _append_normalized(line: str, start: int, out: list[str], offsets: list[int]) -> None:
    """Append one line, normalised per character, collapsing whitespace runs and trimming both ends."""
    wrote = False
    for run in _NON_SPACE.finditer(line):
        at = start + run.start()
        word = run.group()
        where: Sequence[int]
        if word.isascii():  # nothing to normalise: the common case, kept fast
            text, where = word, range(at, at + len(word))
        else:
            pieces: list[str] = []
            places: list[int] = []
            for i, ch in enumerate(word, at):
                norm = normalize_char(ch)
                pieces.append(norm)
                places.extend([i] * len(norm))
            text, where = "".join(pieces), places
        if not text:
            continue
        if wrote:
            out.append(" ")
            offsets.append(at - 1)
        out.append(text)
        offsets.extend(where)
        wrote = True


# --- duplicates -------------------------------------------------------------------------------------------------

_WORD = re.compile(r"\w+")


@dataclass
class Duplicate:
    """An article left out because it repeats another one."""

    id: int
    duplicate_of: int
    similarity: float


def shingles(text: str, n: int = 4) -> set[tuple[str, ...]]:
    """Word n-grams of a text, case-folded: the unit of near-duplicate comparison."""
    words = _WORD.findall(text.casefold())
    return {tuple(words[i : i + n]) for i in range(max(1, len(words) - n + 1))}


def find_duplicates(articles: list[Article], threshold: float = 0.8) -> tuple[list[Article], list[Duplicate]]:
    """Split articles into those to send and those that re-post an earlier one (exact or near, by containment)."""
    kept: list[Article] = []
    kept_shingles: list[set[tuple[str, ...]]] = []
    duplicates: list[Duplicate] = []
    for article in articles:
        mine = shingles(article.text)
        best, best_id = 0.0, 0
        for other, theirs in zip(kept, kept_shingles, strict=True):
            overlap = len(mine & theirs) / max(1, min(len(mine), len(theirs)))
            if overlap > best:
                best, best_id = overlap, other.id
        if best >= threshold:
            duplicates.append(Duplicate(id=article.id, duplicate_of=best_id, similarity=round(best, 3)))
        else:
            kept.append(article)
            kept_shingles.append(mine)
    return kept, duplicates

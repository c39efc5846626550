"""Reading a brief to be scored (ours as JSON or Markdown, or anyone's Markdown) into cited units."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..brief import Brief

_CITES = re.compile(r"((?:\s*\[\d+\])+)")
_NUMBER_OF_CITE = re.compile(r"\[(\d+)\]")


@dataclass
class Unit:
    """A sentence or bullet of a brief, with the sources it cites and (for JSON briefs) its quotes per source."""

    text: str
    sources: set[int] = field(default_factory=set)
    quotes: dict[int, list[str]] | None = None
    section: str = "body"


@dataclass
class ParsedBrief:
    """A brief reduced to what the metrics read."""

    headline: str
    units: list[Unit]

    @property
    def text(self) -> str:
        """All text of the brief, citation markers removed."""
        return "\n".join([self.headline, *(u.text for u in self.units)])


def from_brief(brief: Brief) -> ParsedBrief:
    """Units of one of our Brief objects (quotes kept, so citations can be checked against sources)."""
    units = []
    for section, statements in (("summary", brief.summary), ("points", brief.points)):
        for s in statements:
            units.append(Unit(s.text, set(s.source_ids), _quotes(s.citations), section))
    for conflict in brief.conflicts:
        for i, s in enumerate(conflict.positions):
            # As rendered: the topic heads the first side.
            text = f"{conflict.topic}: {s.text}" if i == 0 else s.text
            units.append(Unit(text, set(s.source_ids), _quotes(s.citations), "conflicts"))
    return ParsedBrief(brief.headline, units)


def _quotes(citations: list) -> dict[int, list[str]]:  # type: ignore[type-arg]
    quotes: dict[int, list[str]] = {}
    for c in citations:
        quotes.setdefault(c.source_id, []).append(c.quote)
    return quotes


def from_markdown(markdown: str) -> ParsedBrief:
    """Units of a Markdown brief: each run of text ending in [n] markers is one cited unit; Sources are ignored."""
    headline = ""
    units: list[Unit] = []
    section = "body"
    for raw in markdown.splitlines():
        line = raw.strip()
        if not line:
            continue
        if line.startswith("#"):
            title = line.lstrip("#").strip()
            if line.startswith("# ") and not headline:
                headline = title
                continue
            section = title.lower()
            if section.startswith("source"):
                break
            continue
        line = re.sub(r"^([-*•]|\d+[.)])\s+", "", line)
        line = re.sub(r"\*\(\d+ sources?\)\*", "", line)
        pieces = _CITES.split(line)
        for text, cites in zip(pieces[0::2], [*pieces[1::2], ""], strict=True):
            text = text.strip(" ;,").replace("**", "")
            if text:
                ids = {int(n) for n in _NUMBER_OF_CITE.findall(cites)}
                units.append(Unit(text, ids, None, section))
    return ParsedBrief(headline, units)


def read_brief(path: str | Path) -> ParsedBrief:
    """A brief from a file: our JSON (the Brief model) or Markdown."""
    text = Path(path).read_text(encoding="utf-8")
    if text.lstrip().startswith("{"):
        return from_brief(Brief.model_validate(json.loads(text)))
    return from_markdown(text)

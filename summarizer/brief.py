"""The Brief: what every engine returns and every renderer prints."""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from .cleaning import DROP_INVISIBLE

# Brief text comes from articles and models. Nothing in it may render as a link, an image, HTML or one of our own
# citation markers: links and images keep only their text; addresses, tags and bracketed numbers go.
_MARKUP = re.compile(
    r"!?\[([^\]]*)\]\([^)]*\)"  # [text](url), ![alt](url)
    r"|</?[A-Za-z][\w:-]*(?:\s[^<>]*)?/?>"  # an HTML tag; "< 5 and > 20" is no tag
    r"|\b(?:[a-z][a-z0-9+.-]*://|www\.)[^\s<>\"'()\[\]]*[^\s<>\"'()\[\].,;:!?]"  # URLs and www. addresses
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"  # e-mail addresses
    r"|\[\d+(?:\s*[,–-]\s*\d+)*\]",  # citation markers copied from an article: [2], [2, 3]
    re.IGNORECASE,
)
_LOOSE_PUNCTUATION = re.compile(r"\s+([.,;:!?])")


def plain(text: str) -> str:
    """Text with links, images, tags, web and e-mail addresses, citation markers and invisible characters removed."""
    text = text.translate(DROP_INVISIBLE)
    # Until nothing changes: removing "<b>" from "<<b>img ...>" would otherwise leave a tag behind.
    while (stripped := _MARKUP.sub(lambda m: m.group(1) or "", text)) != text:
        text = stripped
    return _LOOSE_PUNCTUATION.sub(r"\1", " ".join(text.split()))


Plain = Annotated[str, AfterValidator(plain)]
"""Text that is made plain whenever it is set, at construction or by assignment, so no renderer needs to."""


class Citation(BaseModel):
    """A source supporting a statement, with the verified quote and where it stands in the original text."""

    source_id: int
    """Id of the source article (1..n, in file-name order)."""
    quote: str
    """The supporting passage, as it appears in the original article."""
    start: int
    """Character offset of the quote in the original article text."""
    end: int
    """Character offset just past the quote in the original article text."""


class Statement(BaseModel):
    """One sentence of the brief with the citations that back it."""

    model_config = ConfigDict(validate_assignment=True)

    text: Plain
    citations: list[Citation] = Field(default_factory=list)

    @property
    def source_ids(self) -> list[int]:
        """Distinct cited source ids, in ascending order."""
        return sorted({c.source_id for c in self.citations})

    @property
    def support(self) -> int:
        """How many distinct sources state this."""
        return len(self.source_ids)


class Conflict(BaseModel):
    """Something the sources disagree on, with each side and who says it; never averaged away."""

    model_config = ConfigDict(validate_assignment=True)

    topic: Plain
    positions: list[Statement]


class Source(BaseModel):
    """An input article as listed under Sources."""

    model_config = ConfigDict(validate_assignment=True)

    id: int
    title: Plain
    path: str = ""
    url: str | None = None
    duplicate_of: int | None = None
    """Set when this article re-posts another one and was not sent to the model."""


class DroppedClaim(BaseModel):
    """A claim left out of the brief, with the reason."""

    source_id: int
    statement: str
    quote: str
    reason: str = "quote not found in the source"


class Diagnostics(BaseModel):
    """What the run cost and what it removed, for the user to audit."""

    engine: str = ""
    calls: int = 0
    """Chat-model requests sent (cache hits not counted)."""
    cache_hits: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    claims_extracted: int = 0
    claims_verified: int = 0
    dropped_claims: list[DroppedClaim] = Field(default_factory=list)
    removed_citations: int = 0
    """Citations that pointed at no verified claim and were removed."""
    removed_statements: int = 0
    """Statements left with no valid citation and therefore removed."""
    reconcile_depth: int = 0
    """Rounds of reconciliation; above 1 when the claims did not fit one request."""
    rejected_files: list[str] = Field(default_factory=list)
    """Files that could not be used, each with its reason."""
    seconds: float = 0.0


class Brief(BaseModel):
    """A short multi-source brief in which every statement cites verified quotes."""

    model_config = ConfigDict(validate_assignment=True)

    headline: Plain
    summary: list[Statement]
    points: list[Statement]
    conflicts: list[Conflict] = Field(default_factory=list)
    sources: list[Source]
    language: str = "English"
    diagnostics: Diagnostics = Field(default_factory=Diagnostics)

    def statements(self) -> list[Statement]:
        """Every cited statement in the brief, in reading order."""
        return self.summary + self.points + [p for c in self.conflicts for p in c.positions]

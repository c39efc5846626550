"""Checking that each quoted passage really stands in its source, tolerant of quote marks, spacing and case only."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .brief import Citation, DroppedClaim
from .cleaning import Article, looks_like_instruction
from .schemas import Claim

_ELLIPSIS = re.compile(r"\.\.\.|…|\[\.\.\.\]|\[…\]")
MIN_QUOTE_WORDS = 3


@dataclass
class VerifiedClaim:
    """A claim whose quote was found in its source, with the quote as it stands in the original text."""

    id: str
    source_id: int
    statement: str
    attributed_to: str | None
    citation: Citation


class QuoteIndex:
    """One article's text reduced to a match key (case-folded words only), with a map back to the cleaned text."""

    def __init__(self, article: Article) -> None:
        self.article = article
        self.key, self.positions = _match_key(article.text)

    def locate(self, quote: str) -> tuple[int, int] | None:
        """The [start, end) span of the quote in the cleaned text, or None; '...' may stand for omitted words."""
        segments = [_match_key(part)[0] for part in _ELLIPSIS.split(quote)]
        segments = [s for s in segments if s]
        if sum(len(s.split()) for s in segments) < MIN_QUOTE_WORDS:
            return None
        start = end = None
        search_from = 0
        for segment in segments:
            found = self._find_words(segment, search_from)
            if found < 0:
                return None
            start = found if start is None else start
            end = found + len(segment)
            search_from = end
        assert start is not None and end is not None
        return self.positions[start], self.positions[end - 1] + 1

    def _find_words(self, segment: str, start: int) -> int:
        """Find segment at word boundaries of the key."""
        while True:
            found = self.key.find(segment, start)
            if found < 0:
                return -1
            before_ok = found == 0 or self.key[found - 1] == " "
            after = found + len(segment)
            if before_ok and (after == len(self.key) or self.key[after] == " "):
                return found
            start = found + 1

    def cite(self, span: tuple[int, int]) -> Citation:
        """A Citation for a cleaned-text span, quoting the original text."""
        start, end = self.article.original_span(*span)
        return Citation(source_id=self.article.id, quote=self.article.original[start:end], start=start, end=end)


_ALNUM_RUN = re.compile(r"[^\W_]+")


def _match_key(text: str) -> tuple[str, list[int]]:
    """Letters and digits case-folded, every other run of characters one space; with each key char's position."""
    pieces: list[str] = []
    positions: list[int] = []
    for run in _ALNUM_RUN.finditer(text):
        word = run.group()
        folded = word.casefold()
        if pieces:
            pieces.append(" ")
            positions.append(run.start() - 1)
        pieces.append(folded)
        if len(folded) == len(word):
            positions.extend(range(run.start(), run.end()))
        else:  # casefolding changed the length (ß -> ss): map character by character
            for i, ch in enumerate(word, start=run.start()):
                positions.extend([i] * len(ch.casefold()))
    return "".join(pieces), positions


def verify_claims(
    claims: list[tuple[int, Claim]], indexes: dict[int, QuoteIndex]
) -> tuple[list[VerifiedClaim], list[DroppedClaim]]:
    """Keep the claims whose quote is found in their own source; return the rest as dropped."""
    verified: list[VerifiedClaim] = []
    dropped: list[DroppedClaim] = []
    for source_id, claim in claims:
        if looks_like_instruction(claim.quote) or looks_like_instruction(claim.statement):
            reason = "the quote is an instruction to a model, not news"
            dropped.append(
                DroppedClaim(source_id=source_id, statement=claim.statement, quote=claim.quote, reason=reason)
            )
            continue
        span = indexes[source_id].locate(claim.quote)
        if span is None:
            dropped.append(DroppedClaim(source_id=source_id, statement=claim.statement, quote=claim.quote))
            continue
        verified.append(
            VerifiedClaim(
                id=f"c{len(verified) + 1}",
                source_id=source_id,
                statement=" ".join(claim.statement.split()),
                attributed_to=claim.attributed_to,
                citation=indexes[source_id].cite(span),
            )
        )
    return verified, dropped

"""Checking that each quoted passage really stands in its source, tolerant of quote marks, spacing and case only."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from .brief import Citation, DroppedClaim
from .cleaning import Article, looks_like_instruction
from .schemas import Claim

_ELLIPSIS = re.compile(r"\.\.\.|…|\[\.\.\.\]|\[…\]")
MIN_QUOTE_WORDS = 3
MAX_GAP = 200
"""Characters an ellipsis in a quote may stand for."""


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
        # What a statement may take names from: the article without its lines that address a model.
        self.context = "\n".join(line for line in article.text.splitlines() if not looks_like_instruction(line))

    def locate(self, quote: str) -> tuple[int, int] | None:
        """The [start, end) span of the quote in the cleaned text, or None; '...' may stand for omitted words."""
        segments = [_match_key(part)[0] for part in _ELLIPSIS.split(quote)]
        segments = [s for s in segments if s]
        if sum(len(s.split()) for s in segments) < MIN_QUOTE_WORDS:
            return None
        start = self._find_words(segments[0], 0)
        while start >= 0:
            end = start + len(segments[0])
            for segment in segments[1:]:
                found = self._find_words(segment, end)
                # An ellipsis stands for a few words left out, not for whatever lies between distant phrases.
                if found < 0 or found - end > MAX_GAP:
                    break
                end = found + len(segment)
            else:
                span = self.positions[start], self.positions[end - 1] + 1
                if len(segments) == 1 or "\n" not in self.article.text[span[0] : span[1]]:  # within a paragraph
                    return span
            start = self._find_words(segments[0], start + 1)
        return None

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


_TOKEN = re.compile(r"[^\W_]+(?:[,.'’-][^\W_]+)*")
_SEPARATOR = re.compile(r"[,.'’-]")
_POSSESSIVE = re.compile(r"['’]s$", re.IGNORECASE)
_OPENS = re.compile(r"[.!?:;\"“‘(\[]")


@lru_cache(maxsize=4096)
def _keys(text: str) -> frozenset[str]:
    """Case-folded word keys of a text, each whole with separators dropped (6,000 -> 6000) and in its parts."""
    keys: set[str] = set()
    for token in _TOKEN.findall(text):
        whole, parts = _forms(token)
        keys.add(whole)
        keys.update(parts)
    return frozenset(keys)


@lru_cache(maxsize=65536)
def _forms(token: str) -> tuple[str, tuple[str, ...]]:
    """A token's key whole (separators dropped) and its parts, as _keys makes them."""
    folded = _POSSESSIVE.sub("", token).casefold()
    return _SEPARATOR.sub("", folded), tuple(p for p in _SEPARATOR.split(folded) if p)


def _found(token: str, keys: frozenset[str]) -> bool:
    whole, parts = _forms(token)
    return whole in keys or all(p in keys for p in parts)


def unsupported(text: str, evidence: str, context: Sequence[str] = ()) -> list[str]:
    """The words of a model-written text that its evidence does not bear out; empty when it is supported.

    Figures and codes ("6,000", "DPRK", "CANARY-7") must stand in `evidence` (verified quotes and attributions).
    Capitalised names must stand in the evidence or in `context` (the cited articles' texts), when it is written in
    their language: a brief in another language may spell names its own way. Everything else is left to the model.
    """
    have = _keys(evidence)
    around = [have, *map(_keys, context)]

    def found_around(token: str) -> bool:
        return any(_found(token, keys) for keys in around)

    tokens = list(_TOKEN.finditer(text))
    plain = [m.group() for m in tokens if m.group().islower()]
    same_language = sum(map(found_around, plain)) * 2 >= len(plain)
    missing = []
    previous_end = 0
    for match in tokens:
        token = match.group()
        opens = previous_end == 0 or _OPENS.search(text[previous_end : match.start()]) is not None
        previous_end = match.end()
        if any(ch.isdigit() for ch in token) or sum(ch.isupper() for ch in token) >= 2:
            ok = _found(token, have)
        elif token[0].isupper() and same_language and not opens:
            ok = found_around(token)
        else:
            continue
        if not ok:
            missing.append(token)
    return missing


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
        index = indexes[source_id]
        span = index.locate(claim.quote)
        if span is None:
            dropped.append(DroppedClaim(source_id=source_id, statement=claim.statement, quote=claim.quote))
            continue
        citation = index.cite(span)
        # An attribution must name someone the article names; one that does not is left out, not trusted.
        who = claim.attributed_to
        if who and unsupported(who, index.context, [index.context]):
            who = None
        gaps = unsupported(claim.statement, f"{citation.quote} {who or ''}", [index.context])
        if gaps:
            reason = f"the statement says more than its quote ({', '.join(gaps[:5])})"
            dropped.append(
                DroppedClaim(source_id=source_id, statement=claim.statement, quote=claim.quote, reason=reason)
            )
            continue
        verified.append(
            VerifiedClaim(
                id=f"c{len(verified) + 1}",
                source_id=source_id,
                statement=" ".join(claim.statement.split()),
                attributed_to=who,
                citation=citation,
            )
        )
    return verified, dropped

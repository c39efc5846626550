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
_HYPHEN = re.compile(r"[-‐–]")
_POSSESSIVE = re.compile(r"['’]s$", re.IGNORECASE)
_THOUSANDS = re.compile(r",(?=\d{3}(?!\d))")
_NUMBER_SUFFIX = re.compile(r"(?<=\d)(st|nd|rd|th|s|k|m|bn)$", re.IGNORECASE)
_PUNCTUATION = re.compile(r"[.,'’]")
_NUMBER_WORDS = {"one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6", "seven": "7"}
_NUMBER_WORDS |= {"eight": "8", "nine": "9", "ten": "10", "eleven": "11", "twelve": "12", "twenty": "20"}
_NUMBER_WORDS |= {"hundred": "100", "thousand": "1000"}


# Where a sentence opens: the start of the text, or after . ! ? and any quote marks.
_OPENING = re.compile(r"(?:^|[.!?][\"'”’)]*\s+)[\"'“‘(]*\Z")
# Long words that open English news sentences without being names.
_OPENERS = frozenset(
    "according additionally afterwards although analysts despite earlier elsewhere following however instead "  # noqa: SIM905
    "meanwhile moreover officials overall separately several similarly western whereas witnesses".split()
)


@lru_cache(maxsize=65536)
def _pieces(token: str) -> tuple[tuple[str, str], ...]:
    """(as written, key) for each hyphen-separated piece of a token, possessive dropped.

    Keys are case-folded; a number loses its thousands separators and suffix (6,000 -> 6000, 12th -> 12, 10m -> 10)
    but keeps its decimal point (2.5 is not 25); a word loses its dots and apostrophes (U.S. -> us).
    """
    result = []
    for piece in _HYPHEN.split(_POSSESSIVE.sub("", token)):
        if any(ch.isdigit() for ch in piece):
            key = _NUMBER_SUFFIX.sub("", _THOUSANDS.sub("", piece))
        else:
            key = _PUNCTUATION.sub("", piece)
        if key:
            result.append((piece, key.casefold()))
    return tuple(result)


@dataclass(frozen=True)
class _Words:
    """What a text says, reduced for comparison: its keys, and the first four letters of its longer words."""

    keys: frozenset[str]
    stems: frozenset[str]


@lru_cache(maxsize=4096)
def _words(text: str) -> _Words:
    keys = {key for token in _TOKEN.findall(text) for _, key in _pieces(token)}
    keys |= {_NUMBER_WORDS[k] for k in keys if k in _NUMBER_WORDS}
    return _Words(frozenset(keys), frozenset(k[:4] for k in keys if len(k) >= 5 and k.isalpha()))


def unsupported(
    text: str, evidence: str, context: Sequence[str] = (), *, names: bool = True, every_word: bool = False
) -> list[str]:
    """The words of a model-written text that its evidence does not bear out; empty when it is supported.

    A figure must stand in `evidence` (the verified quotes). A code (DPRK, CANARY) must stand in the evidence or in
    `context` (the cited articles' texts); so must a capitalised name, judged by its first four letters (Pledges,
    pledged), when the text is in its sources' language: a brief in another language may spell names its own way.
    With `every_word`, every word is held to the name rule, whatever the language (for attributions); without
    `names`, no word is (for labels such as a conflict's topic). Everything else is left to the model.
    """
    quoted = _words(evidence)
    sources = [quoted, *map(_words, context)]

    def anywhere(key: str) -> bool:
        return any(key in words.keys for words in sources)

    def like_a_word_there(key: str) -> bool:
        return anywhere(key) or (len(key) >= 5 and any(key[:4] in words.stems for words in sources))

    matches = list(_TOKEN.finditer(text))
    # Function words tell the language: "the", "of", "in" in an English article; "du", "en", "à" not.
    short = [m.group().casefold() for m in matches if m.group().isalpha() and m.group().islower() and len(m[0]) <= 4]
    same_language = every_word or sum(map(anywhere, short)) * 2 >= len(short)
    missing = []
    for match in matches:
        # A capital that only opens a sentence marks no name, unless the word is long and foreign to the sources.
        opening = not every_word and _OPENING.search(text, 0, match.start()) is not None
        for piece, key in _pieces(match.group()):
            if any(ch.isdigit() for ch in piece):
                ok = key in quoted.keys
            elif sum(ch.isupper() for ch in piece) >= 2:
                ok = anywhere(key)
            elif (piece[0].isupper() or every_word) and same_language and names:
                lenient = opening and (len(key) < 6 or key in _OPENERS)
                ok = lenient or like_a_word_there(key)
            else:
                continue
            if not ok:
                missing.append(piece)
            opening = False
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
        if who and unsupported(who, "", [index.context], every_word=True):
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

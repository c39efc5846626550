"""The offline engine: a cited brief made of verbatim source sentences, with no language model.

Sentences are scored by how central they are to the cluster (TF-IDF cosine to the centroid of all articles) and by
how many sources state the same fact (their own most similar sentence, above a threshold, with no contradicting
numbers); then picked greedily with redundancy removal (MMR) within the word limit. Every quote is a source sentence,
so every citation is verified by construction.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field

from .brief import Brief, Citation, Statement
from .chunking import sentence_spans
from .cleaning import Article, looks_like_instruction
from .conflicts import quoted_conflicts
from .verify import unsupported

SAME_FACT = 0.32
"""Cosine above which two sentences from different sources count as stating the same fact."""
SAME_FIGURE = 0.15
"""Lower threshold when both sentences give the same figure of three or more digits."""
REDUNDANT = 0.45
"""Cosine above which a candidate repeats a sentence already chosen."""
MMR_LAMBDA = 0.7
MIN_SHARE = 0.25
"""A point scores at least this share of the best sentence's score."""
MIN_WORDS, MAX_WORDS = 6, 60
VAGUE_SHARE = 0.3
"""Vague sides of conflicts ("thousands of troops") are shown only while conflicts use less than this share."""
CANDIDATES = 80

_STOP = frozenset(
    """a about above after again against all also am an and any are as at be because been before being below between
    both but by can could did do does doing down during each few for from further had has have having he her here hers
    him his how i if in into is it its itself just more most my no nor not now of off on once only or other our ours
    out over own same she should so some such than that the their theirs them then there these they this those through
    to too under until up very was we were what when where which while who whom why will with would you your said says
    say told according stated reported including amid within throughout since while however""".split()  # noqa: SIM905
)
# Spelling and wording variants common in wire copy and its rewrites, folded so that rewrites still match.
_VARIANTS = {
    "troop": "soldier",
    "trooper": "soldier",
    "struggle": "war",
    "conflict": "war",
    "dead": "kill",
    "die": "kill",
    "died": "kill",
    "killed": "kill",
    "deploy": "send",
    "sent": "send",
    "dispatch": "send",
}
# Sentences opening with a pronoun lean on the sentence before them and do not stand alone in a brief.
_ANAPHOR = re.compile(r"(This|These|That|Those|It|He|She|They|His|Her|Their|Such|But|And)\b")
_CLOSED = re.compile(r"[.!]['\"”’)]*$")
_NAME = re.compile(r"(?<=\w )[A-Z][a-z]+")
_TOKEN = re.compile(r"\d[\d,.]*\d|\d|[^\W\d_]+", re.UNICODE)


def _terms(text: str) -> list[str]:
    terms = []
    for token in _TOKEN.findall(text.casefold()):
        if token[0].isdigit():
            terms.append(token.replace(",", ""))
            continue
        if token in _STOP or len(token) < 2:
            continue
        stem = _VARIANTS.get(token) or _stem(token)
        terms.append(_VARIANTS.get(stem, stem))
    return terms


def _stem(word: str) -> str:
    for suffix in ("ations", "ation", "ings", "ing", "ers", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


@dataclass
class _Sentence:
    article: Article
    start: int
    end: int
    text: str
    position: int
    vector: dict[str, float] = field(default_factory=dict)
    numbers: set[str] = field(default_factory=set)
    support: dict[int, _Sentence] = field(default_factory=dict)
    score: float = 0.0


def _cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(w * b.get(t, 0.0) for t, w in a.items())


def _vectorize(counts: Counter[str], idf: dict[str, float]) -> dict[str, float]:
    vector = {t: (1 + math.log(c)) * idf.get(t, 1.0) for t, c in counts.items()}
    norm = math.sqrt(sum(w * w for w in vector.values())) or 1.0
    return {t: w / norm for t, w in vector.items()}


def _sentences(articles: list[Article]) -> list[_Sentence]:
    result = []
    for article in articles:
        for position, (start, end) in enumerate(sentence_spans(article.text)):
            text = article.text[start:end]
            words = len(text.split())
            # Headings and captions carry no closing punctuation; questions state no fact.
            if MIN_WORDS <= words <= MAX_WORDS and _CLOSED.search(text) and not looks_like_instruction(text):
                result.append(_Sentence(article, start, end, text, position))
    return result


def _citation(sentence: _Sentence) -> Citation:
    start, end = sentence.article.original_span(sentence.start, sentence.end)
    return Citation(source_id=sentence.article.id, quote=sentence.article.original[start:end], start=start, end=end)


def _statement(sentence: _Sentence) -> Statement:
    # A similar sentence counts as support when ranking; to be cited, its source must also give the sentence's
    # figures, and all but one of its names: a long lead is not cited to a source that lacks two of its details.
    backing = {i: other for i, other in sentence.support.items() if _backs(sentence, other)}
    cited = {sentence.article.id: sentence, **backing}
    return Statement(text=sentence.text, citations=[_citation(cited[k]) for k in sorted(cited)])


def _backs(sentence: _Sentence, other: _Sentence) -> bool:
    gaps = unsupported(sentence.text, other.text, [other.article.text])
    return len(gaps) <= 1 and not any(ch.isdigit() for gap in gaps for ch in gap)


def extractive_brief(articles: list[Article], *, max_words: int = 250, language: str = "English") -> Brief:
    """A Brief of verbatim, cross-cited source sentences. `language` is accepted but unused: nothing is translated."""
    sentences = _sentences(articles)
    if not sentences:
        title = articles[0].title if articles else "No article text"
        return Brief(headline=title, summary=[], points=[], sources=[])
    term_lists = [_terms(s.text) for s in sentences]
    df = Counter(t for terms in term_lists for t in set(terms))
    idf = {t: math.log((1 + len(sentences)) / (1 + n)) + 1 for t, n in df.items()}
    for sentence, terms in zip(sentences, term_lists, strict=True):
        sentence.vector = _vectorize(Counter(terms), idf)
        sentence.numbers = {t for t in terms if t[0].isdigit()}
    centroid = _centroid(sentences)
    for sentence in sentences:
        # Lead sentences carry the event; later ones drift to background and off-topic tails.
        # Figures and names are the facts a brief exists for; long sentences cost words the brief lacks.
        facts = _facts(sentence)
        length = len(sentence.text.split())
        dangling = 0.5 if _ANAPHOR.match(sentence.text) else 1.0
        sentence.score = (
            _cosine(sentence.vector, centroid)
            * (1.0 + 0.5 / (1 + sentence.position))
            * (1.0 + 0.1 * min(facts, 5))
            * min(1.0, 30 / length)
            * dangling
        )
    candidates = sorted(sentences, key=lambda s: -s.score)[:CANDIDATES]
    by_article: dict[int, list[_Sentence]] = {}
    for sentence in sentences:
        by_article.setdefault(sentence.article.id, []).append(sentence)
    for candidate in candidates:
        _find_support(candidate, by_article)
        candidate.score *= 1 + math.log(1 + len(candidate.support))
    # The lead is the event itself: an opening sentence that the most sources state; its article's title heads it.
    openers = [c for c in candidates if c.position <= 2] or candidates
    ranked = sorted(openers, key=lambda c: (-len(c.support), -_facts(c), -c.score))
    headline = _headline([ranked[0].article, *articles] if ranked else articles)
    budget = max_words - len(headline.split())
    lead = _select(ranked, budget, limit=1, greedy=False)
    budget -= sum(len(s.text.split()) for s in lead)
    # Disagreements come before further points: a brief that hides them is not trustworthy.
    conflicts = []
    items = [(s.article.id, s.text) for s in sentences]
    for conflict in quoted_conflicts(items, lambda i: _citation(sentences[i]), int(max_words * VAGUE_SHARE)):
        words = sum(len(p.text.split()) for p in conflict.positions)
        if words <= budget:
            conflicts.append(conflict)
            budget -= words
    # Filler that fits the leftover words is worse than a shorter brief: points must carry weight.
    floor = MIN_SHARE * max(c.score for c in candidates)
    worthy = [c for c in candidates if c not in lead and c.score >= floor and (c.support or _facts(c) >= 2)]
    chosen = lead + _select(worthy, budget, chosen=lead)
    statements = [_statement(s) for s in chosen]
    return Brief(headline=headline, summary=statements[:1], points=statements[1:], conflicts=conflicts, sources=[])


def _facts(sentence: _Sentence) -> int:
    """Figures and capitalised names (people, places, days): what who-what-where-when is made of."""
    return len(sentence.numbers) + len(_NAME.findall(sentence.text))


def _centroid(sentences: list[_Sentence]) -> dict[str, float]:
    total: dict[str, float] = {}
    for sentence in sentences:
        for term, weight in sentence.vector.items():
            total[term] = total.get(term, 0.0) + weight
    norm = math.sqrt(sum(w * w for w in total.values())) or 1.0
    return {t: w / norm for t, w in total.items()}


def _find_support(candidate: _Sentence, by_article: dict[int, list[_Sentence]]) -> None:
    """Each other source's most similar sentence, if it states the same fact (similar, numbers not contradicting)."""
    for article_id, others in by_article.items():
        if article_id == candidate.article.id:
            continue
        best, best_sim = None, 0.0
        for other in others:
            shared = candidate.numbers & other.numbers
            if candidate.numbers and other.numbers and not shared:
                continue
            sim = _cosine(candidate.vector, other.vector)
            # The same precise figure (6,000; 25,000) is strong evidence of the same fact in other words.
            threshold = SAME_FIGURE if any(len(n) >= 3 for n in shared) else SAME_FACT
            if sim > max(best_sim, threshold):
                best, best_sim = other, sim
        if best is not None:
            candidate.support[article_id] = best


def _select(
    candidates: list[_Sentence],
    budget: int,
    limit: int = 1000,
    chosen: list[_Sentence] | None = None,
    greedy: bool = True,
) -> list[_Sentence]:
    """MMR: up to `limit` sentences within the word budget, none repeating one in `chosen`; in the given order
    when not greedy."""
    already = list(chosen or [])
    chosen = already + []
    used = 0
    pool = list(candidates)
    while pool and len(chosen) - len(already) < limit:
        best, best_value = None, -1.0
        # A sentence, or the sentences that support it, already used for a chosen fact is the same fact again.
        claimed = {id(x) for c in chosen for x in (c, *c.support.values())}
        for sentence in pool:
            overlap = max((_cosine(sentence.vector, c.vector) for c in chosen), default=0.0)
            mine = [id(x) for x in (sentence, *sentence.support.values())]
            if overlap > REDUNDANT or sum(x in claimed for x in mine) * 2 >= len(mine):
                continue
            value = MMR_LAMBDA * sentence.score - (1 - MMR_LAMBDA) * overlap
            if value > best_value:
                best, best_value = sentence, value
            if not greedy:
                break
        if best is None:
            break
        pool.remove(best)
        words = len(best.text.split())
        if used + words <= budget:
            chosen.append(best)
            used += words
    return chosen[len(already) :]


def _headline(articles: list[Article]) -> str:
    """The first usable title (the lead's article first); failing that, the longest title."""
    usable = [a.title for a in articles if not looks_like_instruction(a.title)]
    titles = [t for t in usable if 3 <= len(t.split()) <= 20]
    return titles[0] if titles else max(usable, key=len, default="News brief")

"""Merging verified claims into one brief: the model writes it citing claim ids, the code resolves the citations.

When the claims do not fit one request, they are reconciled in groups and the groups' points reconciled again
(hierarchically), each intermediate point keeping the ids of the verified claims beneath it.
"""

from __future__ import annotations

import asyncio
import json
import logging
from dataclasses import dataclass
from functools import lru_cache

from . import errors
from .backend import ChatBackend, Message, Usage
from .brief import Citation, Conflict, Statement
from .chunking import count_tokens
from .conflicts import missed_conflicts
from .prompts import defang, marker, render
from .schemas import BriefDraft, CitedText, strict_json_schema
from .verify import VerifiedClaim, unsupported

log = logging.getLogger("summarizer")

MAX_DEPTH = 4
FILL = 0.95


@dataclass
class Fact:
    """A line the reconciling model sees: a verified claim, or a point merged from several at a lower level."""

    id: str
    statement: str
    sources: list[int]
    attributed_to: str | None
    claim_ids: set[str]


@dataclass
class Reconciled:
    """The resolved brief content plus what resolution removed."""

    headline: str
    summary: list[Statement]
    points: list[Statement]
    conflicts: list[Conflict]
    removed_citations: int
    removed_statements: int
    depth: int


def reconcile_messages(facts: list[Fact], *, n_sources: int, language: str, max_words: int) -> list[Message]:
    """The chat messages asking the model to merge facts into one brief."""
    lines = [
        Fact(f.id, defang(f.statement), f.sources, f.attributed_to and defang(f.attributed_to), f.claim_ids)
        for f in facts
    ]
    tag = marker(*(f.statement for f in lines))
    return [
        {"role": "system", "content": render("system", marker=tag, language=language)},
        {
            "role": "user",
            "content": render(
                "reconcile", facts=lines, marker=tag, n_sources=n_sources, language=language, max_words=max_words
            ),
        },
    ]


async def reconcile(
    claims: list[VerifiedClaim],
    backend: ChatBackend,
    usage: Usage,
    *,
    n_sources: int,
    language: str,
    max_words: int,
    budget_tokens: int,
    contexts: dict[int, str],
    concurrency: int = 8,
) -> Reconciled:
    """Merge verified claims into one brief within the request budget, and resolve its citations to quotes.

    `contexts` holds each source's text (by id), where names in the model's sentences must be found. A model whose
    context window turns out smaller than the budget (ContextTooLong) gets the same facts in smaller groups.
    """
    facts = [Fact(c.id, c.statement, [c.source_id], c.attributed_to, {c.id}) for c in claims]
    semaphore = asyncio.Semaphore(max(1, concurrency))
    depth = 0
    shrinking = True
    while True:
        depth += 1
        groups = _fit(facts, budget_tokens, n_sources=n_sources, language=language, max_words=max_words)
        if len(groups) > 1 and (not shrinking or depth > MAX_DEPTH):
            # Merging no longer shrinks the facts (another level would resend much the same requests): keep the
            # best supported ones that fit one request.
            ranked = sorted(facts, key=lambda f: -len(f.sources))
            groups = [_fit(ranked, budget_tokens, n_sources=n_sources, language=language, max_words=max_words)[0]]
            log.warning(
                "merging no longer shrinks the claims: the %d best supported of %d go into the brief",
                len(groups[0]),
                len(facts),
            )
        try:
            drafts = await asyncio.gather(
                *(
                    _ask(group, backend, usage, semaphore, n_sources=n_sources, language=language, max_words=max_words)
                    for group in groups
                )
            )
        except errors.ContextTooLong:
            largest = max(groups, key=len)
            if len(largest) <= 1:
                raise
            budget_tokens = _size(largest, n_sources=n_sources, language=language, max_words=max_words) // 2
            depth -= 1
            continue
        if len(groups) == 1:
            return _resolve(drafts[0], facts, {c.id: c for c in claims}, contexts, depth, max_words)
        merged = _merge(list(zip(groups, drafts, strict=True)))
        shrinking = _tokens(merged) < 0.8 * _tokens(facts)
        facts = merged


async def _ask(
    facts: list[Fact],
    backend: ChatBackend,
    usage: Usage,
    semaphore: asyncio.Semaphore,
    *,
    n_sources: int,
    language: str,
    max_words: int,
) -> BriefDraft:
    messages = reconcile_messages(facts, n_sources=n_sources, language=language, max_words=max_words)
    async with semaphore:
        try:
            completion = await backend.complete(messages, BriefDraft)
        except errors.ModelError as exc:
            if isinstance(exc.usage, Usage):
                usage.add(exc.usage)
            raise
    usage.add(completion.usage)
    return completion.value


def _tokens(facts: list[Fact]) -> int:
    return sum(count_tokens(f.statement) for f in facts)


@lru_cache(maxsize=1)
def _schema_tokens() -> int:
    """What the brief's schema adds to each request: sent as response_format, or in the prompt on fallback."""
    return count_tokens(json.dumps(strict_json_schema(BriefDraft), separators=(",", ":"))) + 40


def _size(group: list[Fact], *, n_sources: int, language: str, max_words: int) -> int:
    """Tokens of a reconciliation request for a group of facts: its messages and the schema."""
    messages = reconcile_messages(group, n_sources=n_sources, language=language, max_words=max_words)
    return sum(count_tokens(m["content"]) for m in messages) + _schema_tokens()


def _fit(facts: list[Fact], budget: int, *, n_sources: int, language: str, max_words: int) -> list[list[Fact]]:
    """Split facts into the fewest consecutive groups whose prompts fit the budget (at least two when splitting)."""

    def size(group: list[Fact]) -> int:
        return _size(group, n_sources=n_sources, language=language, max_words=max_words)

    if size(facts) <= budget or len(facts) <= 1:
        return [facts]
    groups: list[list[Fact]] = [[]]
    base = size([])
    used = base
    for fact in facts:
        cost = size([fact]) - base
        # Per-fact costs slightly underestimate the whole: fill to 95%, so that the re-check below rarely halves.
        if groups[-1] and used + cost > FILL * budget:
            groups.append([])
            used = base
        groups[-1].append(fact)
        used += cost
    if len(groups) == 1:  # per-fact estimates said it fits, the whole did not: split in two
        groups = [facts[: len(facts) // 2], facts[len(facts) // 2 :]]
    # Costs are estimated per fact; re-check each group and split any that still overflows.
    fitted: list[list[Fact]] = []
    for group in groups:
        fitted.extend(_fit(group, budget, n_sources=n_sources, language=language, max_words=max_words))
    return fitted


def _merge(results: list[tuple[list[Fact], BriefDraft]]) -> list[Fact]:
    """Turn each group's points and conflict sides into facts for the next level, keeping claims beneath them."""
    merged: list[Fact] = []
    for facts, draft in results:
        by_id = {f.id: f for f in facts}
        items = [draft.summary, *draft.points]
        items += [
            CitedText(text=f"{c.topic}: {p.text}", claim_ids=p.claim_ids) for c in draft.conflicts for p in c.positions
        ]
        for item in items:
            cited = [by_id[i] for i in item.claim_ids if i in by_id]
            if not cited:
                continue
            who = "; ".join(sorted({f.attributed_to for f in cited if f.attributed_to}))
            merged.append(
                Fact(
                    id=f"f{len(merged) + 1}",
                    statement=item.text,
                    sources=sorted({s for f in cited for s in f.sources}),
                    attributed_to=who or None,
                    claim_ids=set().union(*(f.claim_ids for f in cited)),
                )
            )
    return merged


def _words(text: str) -> int:
    return len(text.split())


def _resolve(
    draft: BriefDraft,
    facts: list[Fact],
    claims: dict[str, VerifiedClaim],
    contexts: dict[int, str],
    depth: int,
    max_words: int,
) -> Reconciled:
    """Replace claim ids by citations of verified quotes, one per source; drop ids and statements that don't resolve,
    and statements whose figures, codes or names their cited claims do not bear out (see verify.unsupported)."""
    by_id = {f.id: f for f in facts}
    removed = {"citations": 0, "statements": 0}

    def evidence(cited: list[VerifiedClaim]) -> tuple[str, list[str]]:
        quotes = " ".join(f"{c.citation.quote} {c.attributed_to or ''}" for c in cited)
        return quotes, [contexts.get(i, "") for i in sorted({c.source_id for c in cited})]

    def statement(item: CitedText) -> Statement | None:
        cited: dict[str, VerifiedClaim] = {}
        for ref in item.claim_ids:
            fact = by_id.get(ref.strip())
            if fact is None:
                removed["citations"] += 1
                continue
            cited.update((claim_id, claims[claim_id]) for claim_id in fact.claim_ids)
        ordered = [cited[k] for k in sorted(cited, key=lambda i: int(i[1:]))]
        citations: dict[tuple[int, int], Citation] = {}
        for claim in ordered:
            citations.setdefault((claim.citation.source_id, claim.citation.start), claim.citation)
        text = " ".join(item.text.split())
        if not citations or unsupported(text, *evidence(ordered)):
            removed["statements"] += 1
            return None
        return Statement(text=text, citations=[citations[k] for k in sorted(citations)])

    summary = [s for s in [statement(draft.summary)] if s]
    points = [s for s in map(statement, draft.points) if s]
    everything = evidence(list(claims.values()))
    conflicts = []
    for draft_conflict in draft.conflicts:
        positions = [s for s in map(statement, draft_conflict.positions) if s]
        if len(positions) >= 2:
            topic = draft_conflict.topic
            if unsupported(topic, *everything, names=False):
                topic = "Sources disagree"
            conflicts.append(Conflict(topic=topic, positions=positions))
    conflicts += missed_conflicts(conflicts, list(claims.values()))
    # The headline cites nothing: it may say nothing that the verified claims do not bear out. When it does, the
    # summary's sentence stands in for it if short enough; else it is left empty for the caller to fill.
    headline = " ".join(draft.headline.split())
    if unsupported(headline, *everything):
        lead = summary[0].text if summary else ""
        headline = lead if len(lead.split()) <= 20 else ""
    fixed = _words(headline) + sum(_words(s.text) for s in summary + [p for c in conflicts for p in c.positions])
    # The model may overrun the word limit: drop the last (least important) points, never a side of a conflict.
    while points and fixed + sum(_words(p.text) for p in points) > max_words:
        points.pop()
    return Reconciled(
        headline=headline,
        summary=summary,
        points=points,
        conflicts=conflicts,
        removed_citations=removed["citations"],
        removed_statements=removed["statements"],
        depth=depth,
    )

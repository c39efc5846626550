"""The whole flow, top to bottom: load → clean → de-duplicate → chunk → extract → verify → reconcile → Brief."""

from __future__ import annotations

import asyncio
import logging
import os
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Sequence
from functools import partial
from pathlib import Path
from typing import Literal, TypeVar

from . import errors
from .backend import ChatBackend, OpenAIBackend, Usage
from .brief import Brief, Diagnostics, Source
from .cache import CachedBackend, default_directory
from .chunking import Chunk, chunk_text, count_tokens
from .cleaning import Article, clean, find_duplicates
from .documents import Document, load
from .extractive import extractive_brief
from .prompts import defang, marker, render
from .reconcile import reconcile
from .schemas import Claim, Extraction
from .verify import QuoteIndex, verify_claims

log = logging.getLogger("summarizer")

MAX_CLAIMS = 12
CLAIM_TOKENS = 75
"""One claim asked for per this many article tokens (between 4 and MAX_CLAIMS): claims feed reconciliation."""
Engine = Literal["auto", "llm", "extractive"]
Progress = Callable[[int, int, str], None]
"""Called as progress(done, total, stage) while model calls complete."""
T = TypeVar("T")


def model_configured() -> bool:
    """Whether the environment names a model server (OPENAI_API_KEY or OPENAI_BASE_URL)."""
    return bool(os.environ.get("OPENAI_API_KEY") or os.environ.get("OPENAI_BASE_URL"))


def summarize(inputs: Sequence[str | Path | Document] | str | Path, **options: object) -> Brief:
    """Summarize articles (files, folders or Documents) into a cited Brief; see asummarize for the options."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(asummarize(inputs, **options))  # type: ignore[arg-type]
    raise RuntimeError(
        "summarize() cannot run inside a running event loop (async code, Jupyter): use `await asummarize(...)`"
    )


async def asummarize(
    inputs: Sequence[str | Path | Document] | str | Path,
    *,
    engine: Engine = "auto",
    backend: ChatBackend | None = None,
    model: str | None = None,
    base_url: str | None = None,
    api_key: str | None = None,
    language: str = "English",
    max_words: int = 250,
    concurrency: int = 8,
    chunk_tokens: int = 3000,
    context_tokens: int = 16000,
    progress: Progress | None = None,
    cache: bool | str | Path = True,
    timeout: float = 120.0,
    max_retries: int = 4,
) -> Brief:
    """Summarize articles into a cited Brief, with a model (engine="llm") or without one (engine="extractive").

    engine="auto" uses the model when a backend is given or one is configured (flags or OPENAI_API_KEY /
    OPENAI_BASE_URL), and the offline extractive engine otherwise. Model answers are cached on disk (`cache`: True
    for the user cache directory or $SUMMARIZER_CACHE_DIR, a path, or False), so a re-run never pays twice;
    `timeout` (seconds per request) and `max_retries` (HTTP retries, honouring Retry-After) apply to the
    OpenAI-compatible client built here.
    """
    started = time.perf_counter()
    loaded = load([inputs] if isinstance(inputs, str | Path) else inputs)
    rejected = [f"{r.path}: {r.reason}" for r in loaded.rejected]
    if not loaded.documents:
        detail = "; ".join(rejected) or "no inputs given"
        raise errors.InputError(f"no readable article found ({detail})")
    articles = [clean(doc) for doc in loaded.documents]
    unique, duplicates = find_duplicates(articles)
    dup_of = {d.id: d.duplicate_of for d in duplicates}
    sources = [Source(id=a.id, title=a.title, path=a.path, url=a.url, duplicate_of=dup_of.get(a.id)) for a in articles]
    if engine == "auto":
        configured = backend is not None or base_url or api_key or model_configured()
        engine = "llm" if configured else "extractive"
    diagnostics = Diagnostics(engine=engine, rejected_files=rejected)
    if engine == "extractive":
        if language.casefold() != "english":
            log.warning("the offline engine quotes the sources as written: --language %s needs a model", language)
        brief = extractive_brief(unique, max_words=max_words, language=language)
    else:
        owned = None
        if backend is None:
            owned = OpenAIBackend(
                model=model, base_url=base_url, api_key=api_key, timeout=timeout, max_retries=max_retries
            )
        chat: ChatBackend = backend or owned  # type: ignore[assignment]
        fingerprint = getattr(chat, "fingerprint", None)
        if cache is not False and fingerprint is not None:
            directory = default_directory() if cache is True else Path(cache)
            chat = CachedBackend(chat, directory, fingerprint)
        try:
            brief = await _llm_brief(
                unique,
                chat,
                diagnostics,
                language=language,
                max_words=max_words,
                concurrency=concurrency,
                chunk_tokens=chunk_tokens,
                context_tokens=context_tokens,
                progress=progress,
            )
        finally:
            if owned is not None:
                await owned.aclose()
    diagnostics.seconds = round(time.perf_counter() - started, 3)
    brief.sources, brief.language, brief.diagnostics = sources, language, diagnostics
    return brief


async def _llm_brief(
    articles: list[Article],
    backend: ChatBackend,
    diagnostics: Diagnostics,
    *,
    language: str,
    max_words: int,
    concurrency: int,
    chunk_tokens: int,
    context_tokens: int,
    progress: Progress | None,
) -> Brief:
    usage = Usage()
    chunks = [chunk for a in articles for chunk in chunk_text(a.id, a.text, chunk_tokens)]
    parts = {a.id: sum(1 for c in chunks if c.article_id == a.id) for a in articles}
    titles = {a.id: a.title for a in articles}
    try:
        results = await _bounded(
            [partial(_extract, c, parts[c.article_id], titles[c.article_id], backend, usage, language) for c in chunks],
            concurrency,
            lambda done: progress and progress(done, len(chunks), "extracting"),
        )
        claims = [(source_id, claim) for found in results for source_id, claim in found]
        indexes = {a.id: QuoteIndex(a) for a in articles}
        verified, dropped = verify_claims(claims, indexes)
        diagnostics.claims_extracted = len(claims)
        diagnostics.claims_verified = len(verified)
        diagnostics.dropped_claims = dropped
        if not verified:
            raise errors.OutputInvalid(
                f"none of the {len(claims)} claims the model extracted could be verified against its source"
            )
        if progress:
            progress(0, 1, "reconciling")
        merged = await reconcile(
            verified,
            backend,
            usage,
            n_sources=len(articles),
            language=language,
            max_words=max_words,
            budget_tokens=context_tokens,
            contexts={i: index.context for i, index in indexes.items()},
            concurrency=concurrency,
        )
        if progress:
            progress(1, 1, "reconciling")
    finally:
        diagnostics.calls = usage.calls
        diagnostics.cache_hits = usage.cache_hits
        diagnostics.input_tokens = usage.input_tokens
        diagnostics.output_tokens = usage.output_tokens
    diagnostics.removed_citations = merged.removed_citations
    diagnostics.removed_statements = merged.removed_statements
    diagnostics.reconcile_depth = merged.depth
    # A headline the claims did not bear out, with no short summary to stand in: the most cited article's title.
    cited = Counter(sid for s in merged.summary + merged.points for sid in s.source_ids)
    fallback = titles[cited.most_common(1)[0][0]] if cited else articles[0].title
    return Brief(
        headline=merged.headline or fallback,
        summary=merged.summary,
        points=merged.points,
        conflicts=merged.conflicts,
        sources=[],
    )


async def _extract(
    chunk: Chunk, parts: int, title: str, backend: ChatBackend, usage: Usage, language: str
) -> list[tuple[int, Claim]]:
    """Extract one chunk's claims; a chunk too long for the model is split in two and each half extracted."""
    text = defang(chunk.text)
    tag = marker(title, text)
    messages = [
        {"role": "system", "content": render("system", marker=tag, language=language)},
        {
            "role": "user",
            "content": render(
                "extract",
                title=defang(title),
                text=text,
                marker=tag,
                language=language,
                max_claims=max(4, min(MAX_CLAIMS, count_tokens(chunk.text) // CLAIM_TOKENS)),
                part=chunk.index + 1,
                parts=parts,
            ),
        },
    ]
    try:
        completion = await backend.complete(messages, Extraction)
    except errors.ModelError as exc:
        if isinstance(exc.usage, Usage):
            usage.add(exc.usage)
        if not isinstance(exc, errors.ContextTooLong):
            raise
        halves = _halves(chunk)
        if halves is None:
            raise exc
        log.info("article %d part %d too long for the model; splitting", chunk.article_id, chunk.index + 1)
        found = [await _extract(half, parts, title, backend, usage, language) for half in halves]
        return found[0] + found[1]
    usage.add(completion.usage)
    return [(chunk.article_id, claim) for claim in completion.value.claims]


def _halves(chunk: Chunk) -> tuple[Chunk, Chunk] | None:
    """Split a chunk near its middle at a sentence or word boundary; None when it cannot shrink."""
    middle = len(chunk.text) // 2
    cut = max(chunk.text.rfind(". ", 0, middle) + 1, chunk.text.rfind(" ", 0, middle))
    if cut <= 0 or len(chunk.text) < 200:
        return None
    first = Chunk(chunk.article_id, chunk.index, chunk.start, chunk.start + cut, chunk.text[:cut])
    rest = chunk.text[cut:].lstrip()
    second = Chunk(chunk.article_id, chunk.index, chunk.end - len(rest), chunk.end, rest)
    return first, second


async def _bounded(jobs: list[Callable[[], Awaitable[T]]], limit: int, on_done: Callable[[int], object]) -> list[T]:
    """Run jobs, at most `limit` at once, returning results in job order.

    After a failure no new job starts, but jobs already under way run to the end, so that work already paid for
    is kept (in the cache) rather than thrown away; then the first failure is raised.
    """
    semaphore = asyncio.Semaphore(max(1, limit))
    failed: list[BaseException] = []
    done = 0

    async def run(job: Callable[[], Awaitable[T]]) -> T | None:
        nonlocal done
        async with semaphore:
            if failed:
                return None
            try:
                result = await job()
            except Exception as exc:
                failed.append(exc)
                return None
        done += 1
        on_done(done)
        return result

    on_done(0)
    results = await asyncio.gather(*(run(job) for job in jobs))
    if failed:
        raise failed[0]
    return [r for r in results if r is not None]

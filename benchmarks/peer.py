"""LangChain's map-reduce summarization, as its docs teach it, pointed at the same server: the peer we measure."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from pathlib import Path

MAP = "Write a concise summary of the following:\n\n{text}"
REDUCE = (
    "The following is a set of summaries:\n{docs}\n"
    "Take these and distill it into a final, consolidated summary of the main themes."
)


def available() -> bool:
    """Whether the optional peer dependencies (pip install -e '.[bench]') are installed."""
    try:
        import langchain_core  # noqa: F401
        import langchain_openai  # noqa: F401
    except ImportError:
        return False
    return True


async def map_reduce(texts: list[str], base_url: str, concurrency: int) -> str:
    """Summarize each text (map, in parallel), then combine the summaries in one call (reduce)."""
    from langchain_core.output_parsers import StrOutputParser
    from langchain_core.prompts import ChatPromptTemplate
    from langchain_openai import ChatOpenAI

    llm = ChatOpenAI(model="gpt-4o-mini", base_url=base_url, api_key="bench", temperature=0, max_retries=0)
    parser = StrOutputParser()
    mapper = ChatPromptTemplate.from_messages([("human", MAP)]) | llm | parser
    reducer = ChatPromptTemplate.from_messages([("human", REDUCE)]) | llm | parser
    summaries = await mapper.abatch([{"text": t} for t in texts], config={"max_concurrency": concurrency})
    return await reducer.ainvoke({"docs": "\n\n".join(summaries)})


def timed_runs(paths: list[Path], base_url: str, concurrency: int, runs: int, on_start: Callable[[], None]) -> float:
    """Wall time of the last of `runs` briefs, all in one event loop (LangChain keeps its HTTP client across runs)."""
    texts = [p.read_text(encoding="utf-8") for p in paths]

    async def repeat() -> float:
        wall = 0.0
        for _ in range(runs):
            on_start()
            started = time.perf_counter()
            await map_reduce(texts, base_url, concurrency)
            wall = time.perf_counter() - started
        return wall

    return asyncio.run(repeat())

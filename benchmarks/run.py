"""Benchmark: round trips, tokens and wall time of a brief against a model server with a fixed latency L.

    python benchmarks/run.py [--latency 0.5] [--articles 200] [--concurrency 8]

Starts an OpenAI-compatible server on 127.0.0.1 that answers every call after L seconds and counts the calls and
tokens it receives, runs our pipeline (and LangChain's map-reduce, if installed) against it, and prints one table.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import peer  # noqa: E402
from synthetic import synthetic_articles  # noqa: E402

from summarizer import Document, OpenAIBackend, asummarize, summarize  # noqa: E402
from summarizer.chunking import count_tokens  # noqa: E402
from summarizer.cleaning import clean  # noqa: E402
from summarizer.documents import load  # noqa: E402
from summarizer.testing import FakeOpenAIServer, ScriptedBackend, chat_completion  # noqa: E402

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


@dataclass
class Meter:
    """What the server saw: calls, tokens in and out, arrival times."""

    calls: int = 0
    tokens_in: list[int] = field(default_factory=list)
    tokens_out: int = 0
    arrivals: list[tuple[float, bool]] = field(default_factory=list)
    """(time of arrival, is_reconciliation) per request: bursts of arrivals mark the levels."""


def metered_server(latency: float) -> tuple[FakeOpenAIServer, Meter]:
    """A fake server that counts tokens; plain prompts (LangChain's) get a plain-text summary."""
    meter = Meter()
    lock = threading.Lock()

    def handler(body: dict[str, Any], n: int) -> tuple[int, dict[str, str], bytes]:
        messages = body["messages"]
        text = "\n".join(str(m.get("content", "")) for m in messages)
        fmt = body.get("response_format")
        tokens_in = count_tokens(text) + (count_tokens(json.dumps(fmt)) if fmt else 0)
        with lock:  # requests are served on several threads
            meter.calls += 1
            meter.tokens_in.append(tokens_in)
            meter.arrivals.append((time.monotonic(), "⟦CLAIMS" in str(messages[-1].get("content", ""))))
        if fmt or "⟦" in text:
            status, headers, payload = server.answer(body)
            content = json.loads(payload)["choices"][0]["message"]["content"]
        else:  # a plain summary request: answer with a summary of typical length
            content = " ".join(messages[-1]["content"].split()[:60])
            status, headers, payload = chat_completion(content)
        tokens_out = count_tokens(content)
        with lock:
            meter.tokens_out += tokens_out
        return status, headers, payload

    server = FakeOpenAIServer(latency=latency, handler=handler)
    return server, meter


class RemoteServer:
    """The metered server in a process of its own (`run.py --serve L`), as a real server is: its work must not take
    this interpreter's time from the client under test. `meter` asks it for a snapshot of what it saw."""

    def __init__(self, latency: float) -> None:
        self.process = subprocess.Popen(
            [sys.executable, __file__, "--serve", str(latency)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout is not None and self.process.stdin is not None
        self.stdin, self.stdout = self.process.stdin, self.process.stdout
        self.base_url = self.stdout.readline().strip()

    def __enter__(self) -> RemoteServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stdin.close()
        self.process.wait(timeout=10)
        self.stdout.close()

    @property
    def meter(self) -> Meter:
        self.stdin.write("meter\n")
        self.stdin.flush()
        seen = json.loads(self.stdout.readline())
        return Meter(seen["calls"], seen["tokens_in"], seen["tokens_out"], [tuple(a) for a in seen["arrivals"]])


def serve(latency: float) -> None:
    """The child side of RemoteServer: print the base URL, then a JSON meter for each line read, until EOF."""
    server, meter = metered_server(latency)
    with server:
        print(server.base_url, flush=True)
        for _ in sys.stdin:
            print(json.dumps(asdict(meter)), flush=True)


def levels(arrivals: list[tuple[float, bool]], latency: float) -> list[int]:
    """Reconciliation requests per level: a level is a burst of requests arriving within L/2 of each other."""
    times = sorted(t for t, reconcile in arrivals if reconcile)
    bursts: list[int] = []
    last = -math.inf
    for t in times:
        if t - last > latency / 2:
            bursts.append(0)
        bursts[-1] += 1
        last = t
    return bursts


def ours(inputs: list[Any], server: RemoteServer, **options: Any) -> dict[str, Any]:
    """One brief, as the CLI makes it: a client built for it, in an event loop of its own."""
    import openai  # noqa: F401 - imported lazily by the model path; its import time has a row of its own

    before = server.meter.calls
    started = time.perf_counter()
    brief = asyncio.run(asummarize(inputs, base_url=server.base_url, api_key="bench", **options))
    wall = time.perf_counter() - started
    return {"wall": wall, "calls": server.meter.calls - before, "brief": brief}


def ours_warm(server: RemoteServer, concurrency: int) -> float:
    """Wall time of the second of two briefs in one event loop with one client, as a long-running service (and
    LangChain, below) keeps its HTTP client."""
    import openai

    async def twice() -> float:
        client = openai.AsyncOpenAI(api_key="bench", base_url=server.base_url, max_retries=4)
        backend = OpenAIBackend(client=client)
        wall = 0.0
        for _ in range(2):
            started = time.perf_counter()
            await asummarize([SEEDS], backend=backend, concurrency=concurrency, cache=False)
            wall = time.perf_counter() - started
        await client.close()
        return wall

    return asyncio.run(twice())


def our_peak_rss(base_url: str, n_articles: int, concurrency: int) -> float:
    """Peak RSS (MB) of a separate process that makes the n-article brief: our library alone, not this script."""
    code = (
        "import asyncio, resource, sys; sys.path.insert(0, 'benchmarks'); from synthetic import synthetic_articles; "
        "from summarizer import asummarize; "
        f"asyncio.run(asummarize(synthetic_articles({n_articles}), base_url={base_url!r}, api_key='bench', "
        f"concurrency={concurrency}, context_tokens=16000, cache=False)); "
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)"
    )
    root = Path(__file__).resolve().parent.parent
    done = subprocess.run([sys.executable, "-c", code], check=True, cwd=root, capture_output=True, text=True)
    return int(done.stdout.split()[-1]) / 1024


def overhead(articles: list[Document]) -> tuple[float, float]:
    """Seconds per article in our own code (LLM path, in-process scripted model, its time subtracted); extractive."""
    backend = ScriptedBackend()
    spent = [0.0]
    respond = backend.responder

    def timed(messages: list[dict[str, str]], name: str) -> dict[str, Any]:
        t = time.perf_counter()
        try:
            return respond(messages, name)
        finally:
            spent[0] += time.perf_counter() - t

    backend.responder = timed
    started = time.perf_counter()
    asyncio.run(asummarize(articles, backend=backend, context_tokens=16000))
    llm_path = (time.perf_counter() - started - spent[0]) / len(articles)
    started = time.perf_counter()
    summarize(articles, engine="extractive")
    return llm_path, (time.perf_counter() - started) / len(articles)


def import_time(modules: str) -> float:
    code = f"import time; t = time.perf_counter(); import {modules}; print(time.perf_counter() - t)"
    return float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout)


def run(latency: float, n_articles: int, concurrency: int, with_peer: bool = True) -> list[tuple[str, str, str, str]]:
    """Measure everything once; rows of (measure, value, target, holds)."""
    rows: list[tuple[str, str, str, str]] = []

    def row(name: str, value: str, target: str = "", holds: bool | None = None) -> None:
        rows.append((name, value, target, "" if holds is None else ("yes" if holds else "NO")))

    seed_files = sorted(SEEDS.glob("*.txt"))
    article_tokens = sum(count_tokens(p.read_text(encoding="utf-8")) for p in seed_files)
    cleaned_tokens = sum(count_tokens(clean(d).text) for d in load([SEEDS]).documents)
    per_l = (lambda seconds: f"{seconds / latency:.2f}") if latency else (lambda seconds: f"{seconds:.3f}s (L = 0)")
    cache = Path(tempfile.mkdtemp(prefix="bench-cache-"))
    with RemoteServer(latency) as server:
        # The first run in a process pays lazy imports and client set-up (what a CLI user waits for); the warm
        # run keeps its client, as a long-running service (and LangChain, below) does. Both are judged.
        cold = ours([SEEDS], server, concurrency=concurrency, cache=cache)
        n = len(seed_files)
        meter = server.meter
        tokens_in, tokens_out = sum(meter.tokens_in), meter.tokens_out
        warm = {"wall": ours_warm(server, concurrency)}
        target = 2.3 * latency
        judged = latency > 0  # with L = 0 there is no critical path to compare against
        first = f"seeds: wall / L (L = {latency}s), first run in process"
        row(first, per_l(cold["wall"]), "<= 2.3", cold["wall"] <= target if judged else None)
        row(
            "seeds: wall / L, warm (client kept)",
            per_l(warm["wall"]),
            "<= 2.3",
            warm["wall"] <= target if judged else None,
        )
        row("seeds: calls", str(cold["calls"]), f"<= {n + 1}", cold["calls"] <= n + 1)
        ratio = tokens_in / article_tokens
        row(
            "seeds: input tokens / article tokens (files)",
            f"{tokens_in} / {article_tokens} = {ratio:.2f}",
            "<= 2.5",
            ratio <= 2.5,
        )
        row(
            "seeds: input tokens / article tokens (cleaned)",
            f"{tokens_in} / {cleaned_tokens} = {tokens_in / cleaned_tokens:.2f}",
            "<= 2.5",
            tokens_in <= 2.5 * cleaned_tokens,
        )
        row("seeds: output tokens", str(tokens_out))
        again = ours([SEEDS], server, concurrency=concurrency, cache=cache)
        row("cache: calls on an identical second run", str(again["calls"]), "0", again["calls"] == 0)
        if with_peer and peer.available():
            marks: list[tuple[int, int, int]] = []

            def mark() -> None:
                seen = server.meter
                marks.append((seen.calls, sum(seen.tokens_in), seen.tokens_out))

            wall = peer.timed_runs(seed_files, server.base_url, concurrency, runs=2, on_start=mark)  # warm, as ours
            calls, t_in, t_out = marks[-1]
            seen = server.meter
            p_calls, p_in, p_out = seen.calls - calls, sum(seen.tokens_in) - t_in, seen.tokens_out - t_out
            row(
                "peer (LangChain map-reduce): calls",
                str(p_calls),
                f"ours {cold['calls']} <= peer",
                cold["calls"] <= p_calls,
            )
            row(
                "peer: wall / L, warm (client kept)",
                per_l(wall),
                f"ours {per_l(warm['wall'])} <= peer",
                warm["wall"] <= wall,
            )
            ours_total = tokens_in + tokens_out
            row(
                "peer: tokens in + out",
                f"{p_in} + {p_out} = {p_in + p_out}",
                f"ours {ours_total} = {ours_total / (p_in + p_out):.2f}x <= 1.5x",
                ours_total <= 1.5 * (p_in + p_out),
            )
        elif with_peer:
            row("peer (LangChain map-reduce)", "not installed: pip install -e '.[bench]'")
        else:
            row("peer (LangChain map-reduce)", "skipped")

    articles = synthetic_articles(n_articles)
    tokens_each = sum(count_tokens(a.text) for a in articles) / len(articles)
    with RemoteServer(latency) as server:
        big = ours(articles, server, concurrency=concurrency, context_tokens=16000, cache=False)
        meter = server.meter
    brief = big["brief"]
    map_calls = sum(1 for _, reconcile in meter.arrivals if not reconcile)
    bursts = levels(meter.arrivals, latency)
    ideal = (math.ceil(map_calls / concurrency) + sum(math.ceil(b / concurrency) for b in bursts)) * latency
    row(f"{n_articles} articles (~{tokens_each:.0f} tokens each): calls", f"{big['calls']} ({map_calls} map)")
    row(
        f"{n_articles} articles: largest request, tokens",
        str(max(meter.tokens_in)),
        "<= 16000",
        max(meter.tokens_in) <= 16000,
    )
    row(
        f"{n_articles} articles: reconciliation depth",
        f"{brief.diagnostics.reconcile_depth} (calls per level {bursts})",
    )
    if latency:
        row(
            f"{n_articles} articles: wall / ideal schedule",
            f"{big['wall']:.1f}s / {ideal:.1f}s = {big['wall'] / ideal:.2f}",
            "<= 1.5",
            big["wall"] <= 1.5 * ideal,
        )
    with FakeOpenAIServer() as quick:  # memory does not depend on the latency
        rss = our_peak_rss(quick.base_url, n_articles, concurrency)
    row(f"{n_articles} articles: peak RSS of a process making the brief", f"{rss:.0f} MB")

    llm_ms, extractive_ms = (x * 1000 for x in overhead(articles))
    row(f"local overhead, LLM path, L = 0, per article ({n_articles})", f"{llm_ms:.2f} ms", "<= 10 ms", llm_ms <= 10)
    row(f"offline engine, per article ({n_articles})", f"{extractive_ms:.2f} ms")
    row("import summarizer (offline engine)", f"{import_time('summarizer') * 1000:.0f} ms")
    row("import summarizer + openai (model path)", f"{import_time('summarizer, openai') * 1000:.0f} ms")
    return rows


def print_table(rows: list[tuple[str, str, str, str]]) -> None:
    widths = [max(len(r[i]) for r in rows + [("measure", "value", "target", "holds")]) for i in range(4)]
    for r in [("measure", "value", "target", "holds"), *rows]:
        print("  ".join(cell.ljust(w) for cell, w in zip(r, widths, strict=True)).rstrip())


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--latency", type=float, default=0.5, help="seconds the server waits before each answer")
    p.add_argument("--articles", type=int, default=200, help="synthetic articles in the scale run")
    p.add_argument("--concurrency", type=int, default=8)
    p.add_argument("--no-peer", action="store_true", help="skip LangChain")
    p.add_argument("--serve", type=float, metavar="L", help=argparse.SUPPRESS)  # the server process of RemoteServer
    args = p.parse_args()
    if args.serve is not None:
        return serve(args.serve)
    print_table(run(args.latency, args.articles, args.concurrency, with_peer=not args.no_peer))


if __name__ == "__main__":
    main()

"""Nothing paid twice: the response cache survives crashes and misses when anything that changes the answer changes."""

import asyncio
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from summarizer import asummarize
from summarizer.testing import FakeOpenAIServer

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
N_CALLS = 6  # five extractions and one reconciliation


def _run(server, **options):
    options = {"base_url": server.base_url, "api_key": "sk-test", "model": "m", **options}
    return asyncio.run(asummarize([SEEDS], **options))


def _entries(cache_dir: Path) -> list[Path]:
    return sorted(cache_dir.rglob("*.json"))


def test_second_identical_run_makes_no_calls(tmp_path):
    with FakeOpenAIServer() as server:
        first = _run(server)
        assert len(server.requests) == N_CALLS
        second = _run(server)
        assert len(server.requests) == N_CALLS
    assert second.diagnostics.calls == 0 and second.diagnostics.cache_hits == N_CALLS
    assert second.model_dump(exclude={"diagnostics"}) == first.model_dump(exclude={"diagnostics"})
    assert len(_entries(tmp_path / "cache")) == N_CALLS


def test_no_cache_option_always_calls(tmp_path):
    with FakeOpenAIServer() as server:
        _run(server, cache=False)
        _run(server, cache=False)
    assert len(server.requests) == 2 * N_CALLS
    assert not (tmp_path / "cache").exists()


def test_changed_model_or_prompt_misses_the_cache():
    with FakeOpenAIServer() as server:
        _run(server)
        _run(server, model="other-model")
        assert len(server.requests) == 2 * N_CALLS
        _run(server, language="French")  # the prompts change, so every request does
        assert len(server.requests) == 3 * N_CALLS


def test_corrupt_entry_is_ignored_and_replaced(tmp_path):
    with FakeOpenAIServer() as server:
        _run(server)
        entries = _entries(tmp_path / "cache")
        entries[0].write_text("{ not json")
        entries[1].write_text('{"answer": {"claims": "wrong type"}}')
        brief = _run(server)
    assert len(server.requests) == N_CALLS + 2
    assert brief.diagnostics.cache_hits == N_CALLS - 2
    assert entries[0].read_text().startswith('{"answer"')


def test_killed_run_costs_only_the_unfinished_calls_on_rerun(tmp_path):
    """Really kill the process after k of n calls; the re-run sends exactly n - k."""
    k = 3
    stall = threading.Event()

    def stall_after_k(body, n):
        if n > k and not stall.is_set():
            stall.wait(30)  # the process is killed while this request hangs
        return None

    env = {**os.environ, "SUMMARIZER_CACHE_DIR": str(tmp_path / "cache"), "PYTHONUNBUFFERED": "1"}
    with FakeOpenAIServer(handler=stall_after_k) as server:
        args = [
            sys.executable,
            "-m",
            "summarizer",
            str(SEEDS),
            "--base-url",
            server.base_url,
            "--concurrency",
            "1",
            "-o",
            str(tmp_path / "brief.md"),
        ]
        proc = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 30
        while len(server.requests) <= k and time.monotonic() < deadline:
            time.sleep(0.05)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
        assert len(server.requests) == k + 1  # k answered, one hanging when killed
        assert not (tmp_path / "brief.md").exists()  # no half-written brief
        stall.set()
        before = len(server.requests)
        rerun = subprocess.run(args, env=env, capture_output=True, text=True, timeout=60)
        assert rerun.returncode == 0, rerun.stderr
        assert len(server.requests) - before == N_CALLS - k
    assert f"{N_CALLS - k} calls ({k} cached)" in rerun.stderr
    assert (tmp_path / "brief.md").read_text().startswith("# ")

"""A tiny run of the benchmark: it must produce every row with sane values (speed targets live in its table)."""

import importlib.util
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent.parent / "benchmarks" / "run.py"


def test_benchmark_smoke():
    spec = importlib.util.spec_from_file_location("bench_run", BENCH)
    bench = importlib.util.module_from_spec(spec)
    sys.modules["bench_run"] = bench
    spec.loader.exec_module(bench)
    rows = {name: (value, target, holds) for name, value, target, holds in bench.run(0.01, 3, 4, with_peer=False)}
    assert rows["seeds: calls"] == ("6", "<= 6", "yes")
    assert rows["cache: calls on an identical second run"][0] == "0"
    assert rows["3 articles: largest request, tokens"][2] == "yes"
    (calls,) = [value for name, (value, _, _) in rows.items() if name.startswith("3 articles (~")]
    assert calls == "4 (3 map)"
    ratio = float(rows["seeds: input tokens / article tokens (files)"][0].rsplit("=", 1)[1])
    assert 1.0 < ratio < 5.0
    assert float(rows["local overhead, LLM path, L = 0, per article (3)"][0].split()[0]) > 0
    assert rows["peer (LangChain map-reduce)"][0] == "skipped"
    assert float(rows["3 articles: peak RSS of a process making the brief"][0].split()[0]) > 20

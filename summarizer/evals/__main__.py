"""`python -m summarizer.evals`: score our brief (or any brief file) of a cluster and print a table."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ..errors import SummarizerError
from ..pipeline import model_configured, summarize
from . import find_cluster, from_brief, load_cluster, read_brief, score, table


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m summarizer.evals", description=__doc__)
    p.add_argument("--cluster", default="seeds", help="cluster name (a file evals/clusters/NAME.toml)")
    p.add_argument("--clusters-dir", help="folder of cluster files (default: ./evals/clusters)")
    p.add_argument("--brief", action="append", default=[], help="score this brief file (.md or .json); repeatable")
    p.add_argument(
        "--engine",
        action="append",
        choices=["extractive", "llm"],
        help="run our pipeline with this engine and score it (default: extractive, plus llm if configured)",
    )
    p.add_argument("--json", help="also write the scores to this JSON file")
    args = p.parse_args(argv)
    try:
        cluster = load_cluster(find_cluster(args.cluster, args.clusters_dir))
    except FileNotFoundError as exc:
        print(f"summarizer.evals: {exc}", file=sys.stderr)
        return 2
    scores = {}
    for path in args.brief:
        try:
            scores[Path(path).name] = score(read_brief(path), cluster)
        except (OSError, UnicodeDecodeError, ValueError) as exc:  # pydantic's ValidationError is a ValueError
            print(f"summarizer.evals: cannot read brief {path}: {exc}", file=sys.stderr)
            return 2
    engines = args.engine or ([] if args.brief else ["extractive", *(["llm"] if model_configured() else [])])
    for engine in engines:
        try:
            scores[engine] = score(from_brief(summarize([cluster.articles], engine=engine)), cluster)
        except SummarizerError as exc:
            print(f"summarizer.evals: {engine}: {exc}", file=sys.stderr)
            return 1
    print(table(scores))
    if args.json:
        Path(args.json).write_text(json.dumps({k: v.as_dict() for k, v in scores.items()}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The command line: `python -m summarizer DIR_OR_FILES...` prints a cited brief."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
from collections.abc import Sequence

from . import errors
from .errors import redact
from .pipeline import asummarize, model_configured
from .render import to_json, to_markdown, write_atomic

log = logging.getLogger("summarizer")

CONFIGURE_HINT = (
    "to use a chat model, set OPENAI_API_KEY (OpenAI/Azure) or OPENAI_BASE_URL (vLLM, Ollama, llama.cpp), "
    "or pass --base-url/--model"
)


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="summarizer",
        description="Turn news articles about one event into one short brief with verified citations.",
    )
    p.add_argument("inputs", nargs="+", help="article files or folders (.txt .md .html .json .jsonl)")
    p.add_argument(
        "--engine",
        choices=["auto", "llm", "extractive"],
        default="auto",
        help="llm: a chat model; extractive: offline, no model; auto (default): llm if configured",
    )
    p.add_argument("--format", choices=["markdown", "json"], default="markdown", help="output format")
    p.add_argument("-o", "--output", help="write the brief to this file (atomically) instead of stdout")
    p.add_argument("--max-words", type=int, default=250, help="length limit of the brief (default 250)")
    p.add_argument("--language", default="English", help="language of the brief (default English)")
    p.add_argument("--model", help="model name (default: $SUMMARIZER_MODEL or gpt-4o-mini)")
    p.add_argument("--base-url", help="OpenAI-compatible server URL (default: $OPENAI_BASE_URL)")
    p.add_argument("--concurrency", type=int, default=8, help="model calls at once (default 8)")
    p.add_argument("--no-cache", action="store_true", help="do not read or write the on-disk response cache")
    p.add_argument("--cache-dir", help="response cache folder (default: $SUMMARIZER_CACHE_DIR or the user cache)")
    p.add_argument("--timeout", type=float, default=120.0, help="seconds to wait for one model answer (default 120)")
    p.add_argument("--max-retries", type=int, default=4, help="HTTP retries on 429/5xx/timeouts (default 4)")
    p.add_argument("-v", "--verbose", action="count", default=0, help="more detail on stderr (-vv for debug)")
    p.add_argument("-q", "--quiet", action="store_true", help="only errors on stderr")
    return p


class _RedactingFormatter(logging.Formatter):
    """Keep API keys out of every log line, tracebacks included."""

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


def _setup_logging(verbose: int, quiet: bool) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_RedactingFormatter("summarizer: %(message)s"))
    for name in ("summarizer", "openai", "httpx2"):  # main() may run more than once in a process
        for old in [h for h in logging.getLogger(name).handlers if isinstance(h.formatter, _RedactingFormatter)]:
            logging.getLogger(name).removeHandler(old)
    log.addHandler(handler)
    log.propagate = False
    log.setLevel(logging.ERROR if quiet else [logging.WARNING, logging.INFO, logging.DEBUG][min(verbose, 2)])
    for name in ("openai", "httpx2"):
        dependency = logging.getLogger(name)
        dependency.addHandler(handler)
        dependency.setLevel(logging.DEBUG if verbose >= 2 else logging.WARNING)


def _progress(enabled: bool):  # type: ignore[no-untyped-def]
    """A one-line progress display on stderr, when stderr is a terminal."""
    if not enabled:
        return None

    def show(done: int, total: int, stage: str) -> None:
        end = "\n" if done == total and stage == "reconciling" else ""
        sys.stderr.write(f"\r\033[K{stage} {done}/{total}{end}")
        sys.stderr.flush()

    return show


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = _parser()
    args = parser.parse_args(argv)
    for flag, value, least in [
        ("--max-words", args.max_words, 20),
        ("--concurrency", args.concurrency, 1),
        ("--max-retries", args.max_retries, 0),
        ("--timeout", args.timeout, 0.1),
    ]:
        if value < least:
            parser.error(f"{flag} must be at least {least}")
    # Fail before any model call, not after paying for the brief.
    if args.output:
        target = os.path.realpath(args.output)  # through symlinks, as the write will go
        if os.path.isdir(target):
            parser.error(f"cannot write {args.output}: it is a folder; give a file name")
        if os.path.exists(target) and not os.path.isfile(target):
            parser.error(f"cannot write {args.output}: it is not a regular file")
        if not os.access(os.path.dirname(target), os.W_OK):
            parser.error(f"cannot write {args.output}: its folder does not exist or is not writable")
    _setup_logging(args.verbose, args.quiet)
    wants_model = args.engine == "llm" or args.base_url or args.model or model_configured()
    if args.engine == "auto" and not wants_model and not args.quiet:
        print(
            f"summarizer: no model configured, using the offline extractive engine; {CONFIGURE_HINT}", file=sys.stderr
        )
    try:
        brief = asyncio.run(
            asummarize(
                args.inputs,
                engine="llm" if args.engine == "auto" and wants_model else args.engine,
                model=args.model,
                base_url=args.base_url,
                language=args.language,
                max_words=args.max_words,
                concurrency=args.concurrency,
                cache=False if args.no_cache else (args.cache_dir or True),
                timeout=args.timeout,
                max_retries=args.max_retries,
                progress=_progress(sys.stderr.isatty() and not args.quiet),
            )
        )
    except errors.SummarizerError as exc:
        if args.verbose:
            log.exception("failed")
        resume = ""
        if isinstance(exc, errors.ModelError) and not args.no_cache:
            resume = " (answers already received are cached: running again resumes from there)"
        print(f"summarizer: error: {redact(str(exc))}{resume}", file=sys.stderr)
        return 2 if isinstance(exc, (errors.InputError, errors.ConfigurationError)) else 1
    except KeyboardInterrupt:
        print("summarizer: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # unforeseen: still one line, the traceback with -v
        if args.verbose:
            log.exception("unexpected error")
        print(
            f"summarizer: unexpected error: {type(exc).__name__}: {redact(str(exc))} (-v shows the traceback)",
            file=sys.stderr,
        )
        return 1
    text = to_json(brief) if args.format == "json" else to_markdown(brief)
    if args.output:
        try:
            write_atomic(args.output, text)
        except OSError as exc:
            print(
                f"summarizer: error: could not write {args.output} ({exc.strerror}); the brief follows", file=sys.stderr
            )
            sys.stdout.write(text)
            return 1
    else:
        sys.stdout.write(text)
    if not args.quiet:
        d = brief.diagnostics
        for item in d.rejected_files:
            print(f"summarizer: skipped {item}", file=sys.stderr)
        dups = [s for s in brief.sources if s.duplicate_of]
        for s in dups:
            print(f"summarizer: article {s.id} duplicates article {s.duplicate_of}; sent once", file=sys.stderr)
        if d.engine == "llm":
            print(
                f"summarizer: {d.calls} calls ({d.cache_hits} cached), {d.input_tokens} tokens in, "
                f"{d.output_tokens} out; {d.claims_verified}/{d.claims_extracted} claims verified, "
                f"{len(d.dropped_claims)} dropped, {d.removed_citations} citations removed; {d.seconds:.1f}s",
                file=sys.stderr,
            )
    return 0

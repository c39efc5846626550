"""The API key never appears in logs, cache files, output or error messages."""

import json
import logging
from pathlib import Path

from summarizer.cli import main
from summarizer.testing import FakeOpenAIServer

SEEDS = str(Path(__file__).resolve().parent.parent / "seeds")
KEY = "sk-test-SECRET123456789abcdef"


def _everything_written(tmp_path: Path) -> str:
    return "\n".join(p.read_text(errors="replace") for p in tmp_path.rglob("*") if p.is_file())


def test_key_is_sent_but_never_logged_cached_or_written(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    with FakeOpenAIServer() as server:
        code = main([SEEDS, "--base-url", server.base_url, "-vv", "--format", "json", "-o", str(tmp_path / "b.json")])
    out, err = capsys.readouterr()
    assert code == 0
    assert {k.lower(): v for k, v in server.requests[0]["_headers"].items()}["authorization"] == f"Bearer {KEY}"
    assert "Request options" in err or "HTTP Request" in err  # the SDK's debug logging really ran
    assert KEY not in err and KEY not in out
    assert KEY[10:] not in err
    written = _everything_written(tmp_path)
    assert '"calls": 6' in written  # the JSON brief and the cache are there, and hold no key
    assert KEY not in written and KEY[10:] not in written


def test_key_echoed_by_the_server_is_not_in_the_error_message(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("OPENAI_API_KEY", KEY)

    def reject(body, n):
        error = {"error": {"message": f"Incorrect API key provided: {KEY}.", "code": "invalid_api_key"}}
        return 400, {}, json.dumps(error).encode()

    with FakeOpenAIServer(handler=reject) as server:
        code = main([SEEDS, "--base-url", server.base_url, "-v"])
    _, err = capsys.readouterr()
    assert code == 1 and "error:" in err
    assert KEY not in err and KEY[10:] not in err


def test_library_logging_redacts_when_the_user_configures_logging(tmp_path, monkeypatch, caplog):
    """A library user's own handlers see the summarizer logger's records: keys must not be in them either."""
    import asyncio

    from summarizer import asummarize

    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    caplog.set_level(logging.DEBUG)
    with FakeOpenAIServer() as server:
        asyncio.run(asummarize([SEEDS], base_url=server.base_url))
    assert caplog.records
    assert all(KEY not in r.getMessage() for r in caplog.records)


def test_eval_report_holds_no_key_even_when_an_article_quotes_it(tmp_path, monkeypatch):
    from summarizer import Document, summarize
    from summarizer.evals import from_brief, load_cluster, score, write_report

    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    cluster = load_cluster(Path(__file__).resolve().parent.parent / "evals" / "clusters" / "seeds.toml")
    leaked = Document(title=f"Key {KEY} leaked", text="A careless engineer pasted the key into a public forum post.")
    with FakeOpenAIServer() as server:
        brief = summarize([cluster.articles, leaked], base_url=server.base_url, cache=False)
    assert KEY in brief.model_dump_json()  # the article's own title is in the brief...
    write_report(tmp_path / "report.json", "llm", cluster, score(from_brief(brief), cluster), brief)
    report = (tmp_path / "report.json").read_text()
    assert '"engine": "llm"' in report and KEY not in report and KEY[10:] not in report  # ...but not the report

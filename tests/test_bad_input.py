"""Bad input: each file gets a clear message or a sensible result, and rejected files cost no model call."""

import asyncio
import json
import tracemalloc
from pathlib import Path

import pytest

from summarizer import asummarize, errors
from summarizer.cli import main
from summarizer.documents import MAX_FILE_BYTES, load
from summarizer.testing import FakeOpenAIServer

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
ARTICLE = (SEEDS / "001_a8cd699bb4811162.txt").read_text()
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde"


def _summarize(server, folder, **options):
    return asyncio.run(asummarize([folder], base_url=server.base_url, api_key="sk-test", cache=False, **options))


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("empty.txt", b"", "no article text"),
        ("blank.txt", b"  \n\t\n   \n", "no article text"),
        ("image.txt", PNG, "binary"),
        ("nul.md", b"Title\x00\x00\x00 body", "binary"),
        ("photo.png", PNG, "unsupported file type .png"),
        ("broken.json", b'{"title": "x", "text": ', "invalid JSON"),
        ("fields.json", b'{"headline": "x"}', "no string field 'text'"),
    ],
)
def test_unusable_files_are_rejected_with_a_reason(tmp_path, name, content, reason):
    (tmp_path / name).write_bytes(content)
    loaded = load([tmp_path])
    assert loaded.documents == []
    (rejected,) = loaded.rejected
    assert rejected.path.endswith(name) and reason in rejected.reason


def test_nothing_usable_is_a_clear_error_with_no_model_call(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "image.txt").write_bytes(PNG)
    with FakeOpenAIServer() as server, pytest.raises(errors.InputError) as caught:
        _summarize(server, tmp_path)
    assert len(server.requests) == 0
    assert "empty.txt: no article text" in str(caught.value) and "image.txt" in str(caught.value)


def test_cp1252_and_utf16_are_decoded(tmp_path):
    text = "Caf\u00e9 owners said \u201cprices rose\u201d \u2013 by 12%."
    (tmp_path / "a.txt").write_bytes(("Headline one\n" + text).encode("cp1252"))
    (tmp_path / "b.txt").write_bytes(("Headline two\n" + text).encode("utf-16"))
    docs = load([tmp_path]).documents
    assert [d.text.splitlines()[1] for d in docs] == [text, text]


def test_html_sends_only_the_prose(tmp_path):
    (tmp_path / "page.html").write_text(
        "<html><head><title>T</title><script>track('SCRIPT-CODE')</script><style>.x{}</style></head><body>"
        "<nav><a href='/'>Home</a> <a href='/world'>World NAVIGATION</a></nav>"
        f"<article><h1>Kim meets Lavrov</h1><p>{ARTICLE.splitlines()[1]}</p><p>{ARTICLE.splitlines()[2]}</p></article>"
        "<aside>Most read: SIDEBAR</aside><footer>Cookie settings FOOTER</footer></body></html>"
    )
    with FakeOpenAIServer() as server:
        _summarize(server, tmp_path)
    sent = server.requests[0]["messages"][1]["content"]
    assert "Wonsan" in sent
    for junk in ("SCRIPT-CODE", "NAVIGATION", "SIDEBAR", "FOOTER", "<p>", ".x{}"):
        assert junk not in sent


def test_huge_file_is_refused_without_reading_it(tmp_path):
    huge = tmp_path / "dump.txt"
    with huge.open("wb") as fh:
        fh.truncate(50 * 1024 * 1024)  # 50 MB, sparse
    (tmp_path / "ok.txt").write_text(ARTICLE)
    tracemalloc.start()
    loaded = load([tmp_path])
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert [d.path for d in loaded.documents] == [str(tmp_path / "ok.txt")]
    (rejected,) = loaded.rejected
    assert f"over the {MAX_FILE_BYTES / 1e6:.0f} MB limit" in rejected.reason
    assert peak < 5 * 1024 * 1024


def test_same_article_twice_and_a_whitespace_variant_cost_one_call(tmp_path):
    (tmp_path / "a.txt").write_text(ARTICLE)
    (tmp_path / "b.txt").write_text(ARTICLE)
    (tmp_path / "c.txt").write_text(ARTICLE.replace(" ", "   ").replace("\n", "\n\n  "))
    with FakeOpenAIServer() as server:
        brief = _summarize(server, tmp_path)
    extractions = [r for r in server.requests if "⟦ARTICLE" in r["messages"][1]["content"]]
    assert len(extractions) == 1
    assert [(s.id, s.duplicate_of) for s in brief.sources] == [(1, None), (2, 1), (3, 1)]
    assert {sid for s in brief.statements() for sid in s.source_ids} == {1}


def test_mixed_folder_summarizes_the_good_and_lists_the_bad(tmp_path, capsys):
    (tmp_path / "a.txt").write_text(ARTICLE)
    (tmp_path / "b.json").write_text(
        json.dumps({"title": "Second", "text": (SEEDS / "002_c2068ff2b0e694ef.txt").read_text()})
    )
    (tmp_path / "c.txt").write_bytes(PNG)
    (tmp_path / "d.txt").write_text("   ")
    (tmp_path / "e.docx").write_bytes(b"PK\x03\x04")
    with FakeOpenAIServer() as server:
        code = main([str(tmp_path), "--base-url", server.base_url, "--format", "json", "--no-cache"])
    out, err = capsys.readouterr()
    assert code == 0
    brief = json.loads(out)
    assert [s["title"] for s in brief["sources"]][1] == "Second"
    rejected = brief["diagnostics"]["rejected_files"]
    assert len(rejected) == 3 and len(server.requests) == 3  # two articles and one reconciliation
    for name in ("c.txt", "d.txt", "e.docx"):
        assert f"summarizer: skipped {tmp_path / name}" in err


def test_unreadable_file_is_listed_and_the_rest_summarized(tmp_path, monkeypatch, capsys):
    (tmp_path / "a.txt").write_text(ARTICLE)
    (tmp_path / "b.txt").write_text(ARTICLE.replace("Kim", "Choe"))
    real = Path.read_bytes

    def locked(self):  # chmod does not stop root, which the tests may run as
        if self.name == "b.txt":
            raise PermissionError(13, "Permission denied")
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", locked)
    code = main([str(tmp_path), "--engine", "extractive"])
    out, err = capsys.readouterr()
    assert code == 0 and out.startswith("# ")
    assert f"summarizer: skipped {tmp_path / 'b.txt'}: cannot read the file (Permission denied)" in err
    assert "Traceback" not in err

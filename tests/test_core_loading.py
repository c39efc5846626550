"""Loading: files, folders, formats, ids and titles."""

import asyncio
import json
from pathlib import Path

import pytest

from summarizer import summarize
from summarizer.documents import Document, load

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def test_seeds_get_ids_in_file_name_order_and_titles():
    loaded = load([SEEDS])
    assert [d.id for d in loaded.documents] == [1, 2, 3, 4, 5]
    assert [Path(d.path).name[:3] for d in loaded.documents] == ["000", "001", "002", "003", "004"]
    titles = [d.title for d in loaded.documents]
    assert titles[0] == "Kim Jong-un Reiterates Support for Russia Amid Escalating Conflict in Ukraine"
    # 004 starts with "Advertisement" and "X": the title is the first real line.
    assert titles[4] == "North Korea Reaffirms Its 'Unconditional Support' To Russia In Ukraine Conflict"
    # 002 opens with an image caption, then prose: the caption is not the title.
    assert "(Image: AP)" not in titles[2]
    assert not loaded.rejected


def test_formats(tmp_path: Path):
    (tmp_path / "a.md").write_text("# Markdown headline\n\nBody text of the article here.\n")
    (tmp_path / "b.html").write_text(
        "<html><head><title>Page</title><script>var x='SCRIPT';</script></head><body><nav>Home | World</nav>"
        "<article><h1>HTML headline</h1><p>First paragraph.</p><p>Second paragraph.</p></article>"
        "<footer>Copyright</footer></body></html>"
    )
    (tmp_path / "c.json").write_text(json.dumps({"title": "JSON one", "text": "Json body.", "url": "https://x.test/1"}))
    (tmp_path / "d.jsonl").write_text(
        json.dumps({"title": "L1", "text": "first"}) + "\n" + json.dumps({"title": "L2", "text": "second"}) + "\n"
    )
    (tmp_path / "e.pdf").write_bytes(b"%PDF-1.4")
    loaded = load([tmp_path])
    docs = {d.title: d for d in loaded.documents}
    assert set(docs) == {"Markdown headline", "HTML headline", "JSON one", "L1", "L2"}
    html = docs["HTML headline"].text
    assert "First paragraph." in html and "Second paragraph." in html
    assert "SCRIPT" not in html and "Home | World" not in html and "Copyright" not in html
    assert docs["JSON one"].url == "https://x.test/1"
    assert [r.path.endswith("e.pdf") for r in loaded.rejected] == [True]
    assert "unsupported file type" in loaded.rejected[0].reason


def test_documents_and_missing_paths(tmp_path: Path):
    loaded = load([Document(title="T", text="Some text."), tmp_path / "nope.txt", tmp_path])
    assert [d.id for d in loaded.documents] == [1]
    reasons = sorted(r.reason for r in loaded.rejected)
    assert reasons == ["folder is empty", "no such file or folder"]


def test_a_bad_jsonl_record_is_listed_and_the_good_ones_kept(tmp_path):
    lines = [
        json.dumps({"title": "Good", "text": "Floods hit the valley.", "url": "https://example.org/a"}),
        json.dumps({"title": "No text"}),
        "{broken",
    ]
    (tmp_path / "feed.jsonl").write_text("\n".join(lines))
    loaded = load([tmp_path])
    assert [d.title for d in loaded.documents] == ["Good"]
    assert [(Path(r.path).name, r.reason.split(" (")[0]) for r in loaded.rejected] == [
        ("feed.jsonl#3", "line 3 is not valid JSON"),
        ("feed.jsonl#2", "record 2 has no string field 'text'"),
    ]


def test_a_file_named_twice_is_read_once_and_subfolders_are_named(tmp_path):
    (tmp_path / "a.txt").write_text("Title\nBody text of the article.")
    (tmp_path / "nested" / "deeper").mkdir(parents=True)
    loaded = load([tmp_path, tmp_path / "a.txt", tmp_path / "nested"])
    assert [d.path for d in loaded.documents] == [str(tmp_path / "a.txt")]
    assert [r.reason for r in loaded.rejected] == ["folder holds no files (subfolders are not read)"]


def test_library_takes_one_path_and_refuses_a_running_loop_clearly():
    assert len(summarize(str(SEEDS), engine="extractive").sources) == 5

    async def inside_a_loop():
        with pytest.raises(RuntimeError, match="await asummarize"):
            summarize([SEEDS], engine="extractive")

    asyncio.run(inside_a_loop())

"""Loading: files, folders, formats, ids and titles."""

import json
from pathlib import Path

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

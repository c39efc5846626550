"""Offline token counting and chunk offsets."""

import socket

import pytest

from summarizer import chunking
from summarizer.chunking import chunk_text, count_tokens, encoding, sentence_spans
from summarizer.errors import ConfigurationError


def test_tokenizer_needs_no_network(monkeypatch, tmp_path):
    def refuse(*args, **kwargs):
        raise AssertionError("network used")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setenv("TIKTOKEN_CACHE_DIR", str(tmp_path))
    encoding.cache_clear()
    assert count_tokens("hello world") == 2
    assert encoding().encode_ordinary("North Korea") == [26287, 12126]  # cl100k_base ids
    assert list(tmp_path.iterdir()) == []


def test_tampered_token_file_is_refused(monkeypatch):
    monkeypatch.setattr(chunking, "CL100K_SHA256", "0" * 64)
    encoding.cache_clear()
    try:
        with pytest.raises(ConfigurationError, match="corrupt"):
            encoding()
    finally:
        monkeypatch.undo()
        encoding.cache_clear()


def test_sentence_spans():
    text = 'He said: "It works." Then 6,000 left. U.S. officials agreed!\nNew para'
    assert [text[s:e] for s, e in sentence_spans(text)] == [
        'He said: "It works."',
        "Then 6,000 left.",
        "U.S. officials agreed!",
        "New para",
    ]


def test_chunks_fit_budget_keep_offsets_and_overlap():
    sentences = [
        f"Sentence number {i} reports that {i * 100} soldiers were moved to the front line." for i in range(60)
    ]
    text = " ".join(sentences)
    chunks = chunk_text(7, text, max_tokens=80)
    assert len(chunks) > 5
    for chunk in chunks:
        assert chunk.article_id == 7
        assert text[chunk.start : chunk.end] == chunk.text
        assert count_tokens(chunk.text) <= 80
    for before, after in zip(chunks, chunks[1:], strict=False):
        assert after.start < before.end  # one sentence of overlap
    covered = {s for c in chunks for s in sentences if s in c.text}
    assert covered == set(sentences)


def test_short_text_is_one_chunk_and_huge_sentence_is_cut():
    assert len(chunk_text(1, "Short.", 100)) == 1
    long_sentence = " ".join(["word"] * 500)
    chunks = chunk_text(1, long_sentence, 50)
    assert all(count_tokens(c.text) <= 50 for c in chunks)
    assert "".join(c.text.replace(" ", "") for c in chunks).count("word") >= 500

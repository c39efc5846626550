"""Cleaning the seeds' real boilerplate, keeping a map back to the original, and finding duplicates."""

from pathlib import Path

import pytest

from summarizer.cleaning import clean, find_duplicates
from summarizer.documents import Document, load

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
BOILERPLATE = [
    "Advertisement",
    "Leave a Reply",
    "Required fields are marked",
    "Related Sources",
    "Source 1",
    "Published At",
    "(Image: AP)",
    "With agency inputs",
    "Kim Jong-un X",
]


@pytest.fixture(scope="module")
def articles():
    return [clean(doc) for doc in load([SEEDS]).documents]


def test_seed_boilerplate_removed(articles):
    for article in articles:
        for junk in BOILERPLATE:
            assert junk not in article.text, (article.id, junk)
        assert "\nX\n" not in f"\n{article.text}\n"
        assert "\nKR\n" not in f"\n{article.text}\n"
    # The repeated title line of 003 appears neither as a line nor twice.
    assert articles[3].title not in articles[3].text.splitlines()
    # Prose survives.
    assert "Greater than 6,000 North Korean troopers have died" in articles[3].text
    assert "Around 600 North Korean soldiers have been killed" in articles[2].text


def test_offsets_map_back_to_original(articles):
    for article in articles:
        assert len(article.offsets) == len(article.text) + 1
        for i, ch in enumerate(article.text):
            if ch.isalnum() and ch.isascii():
                assert article.original[article.offsets[i]] == ch
        start = article.text.index("Kim")
        s, e = article.original_span(start, start + 3)
        assert article.original[s:e] == "Kim"


def test_unicode_and_whitespace_normalised():
    doc = Document(title="T", text="T\nA\u00a0b\u200bc   d\t\te\ufb01\n\n\nnext  line  ", id=1)
    article = clean(doc)
    assert article.text == "A bc d efi\nnext line"
    assert article.original[article.offsets[article.text.index("next")]] == "n"


def test_exact_and_near_duplicates_found(articles):
    text = load([SEEDS]).documents[1].text
    docs = [
        Document(title="a", text=text, id=1),
        Document(title="b", text=text.replace(" ", "  ").replace("\n", "\n\n"), id=2),
        Document(title="c", text=load([SEEDS]).documents[2].text, id=3),
        Document(title="d", text=text, id=4),
        # Re-posted by another site: a word changed, a sign-off added, the byline dropped.
        Document(
            title="e",
            text=text.replace("reaffirmed", "restated").replace("Meanwhile, ", "") + "\nReporting by agencies.",
            id=5,
        ),
    ]
    kept, duplicates = find_duplicates([clean(d) for d in docs])
    assert [a.id for a in kept] == [1, 3]
    assert [(d.id, d.duplicate_of) for d in duplicates] == [(2, 1), (4, 1), (5, 1)]
    assert duplicates[2].similarity < 1.0
    # The seeds themselves (same event, different outlets, one spun rewrite) are not duplicates.
    assert find_duplicates(articles)[1] == []


def test_news_lines_that_resemble_furniture_are_kept():
    text = (
        "Insurer shares slump\n"
        "He announced the reopening plan in a post on X\n"
        "Share prices of the insurer fell 4% on Tuesday.\n"
        "Share this article\n"
        "Share on Facebook\n"
        "The CEO, pictured at the launch X\n"
    )
    article = clean(Document(title="Insurer shares slump", text=text))
    assert article.text.splitlines() == [
        "He announced the reopening plan in a post on X",
        "Share prices of the insurer fell 4% on Tuesday.",
    ]


def test_html_reader_comments_are_not_article_text():
    from summarizer.html import extract_html

    page = (
        "<html><body><h1>Dam bursts</h1><div class='story'><p>The dam burst at dawn, officials said.</p></div>"
        "<div class='comments'><p>Great article! Visit my site.</p></div>"
        "<div id='share-bar'><p>Share on X</p></div></body></html>"
    )
    title, body = extract_html(page)
    assert title == "Dam bursts" and body == "Dam bursts\nThe dam burst at dawn, officials said."


@pytest.mark.parametrize(
    "page",
    [
        '<body class="has-promo-bar"><article><p>The dam burst.</p><div class="comments"><p>Spam!</p></div></article>',
        '<div class="with-related-rail"><article><p>The dam burst.</p></article></div>',
        '<body><article class="story promoted"><p>The dam burst.</p></article></body>',
        '<main id="shared-layout"><p>The dam burst.</p><div id="share-bar"><p>Share on X</p></div></main>',
    ],
)
def test_furniture_names_never_remove_the_article_itself(page):
    from summarizer.html import extract_html

    assert extract_html(page)[1] == "The dam burst."

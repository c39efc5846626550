"""Quote verification: found, paraphrased, fabricated."""

from pathlib import Path

import pytest

from summarizer.cleaning import clean
from summarizer.documents import load
from summarizer.schemas import Claim
from summarizer.verify import QuoteIndex, verify_claims

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


@pytest.fixture(scope="module")
def index():
    return QuoteIndex(clean(load([SEEDS]).documents[2]))  # 002: curly quotes, "Around 600 ..."


def test_exact_quote_found_and_cited_in_original(index):
    quote = "Around 600 North Korean soldiers have been killed and thousands more wounded"
    span = index.locate(quote)
    assert span is not None
    citation = index.cite(span)
    assert citation.quote == quote
    assert index.article.original[citation.start : citation.end] == quote


def test_tolerates_quote_marks_whitespace_and_case(index):
    original = "Kim asserted that Pyongyang and Moscow share identical views on “all strategic issues"
    variant = 'kim  asserted that PYONGYANG and Moscow share identical views on "all strategic issues'
    span = index.locate(variant)
    assert span is not None
    assert index.cite(span).quote == original


def test_ellipsis_cannot_stitch_distant_phrases(index):
    # Both phrases stand in the article, paragraphs apart: an ellipsis does not make them one quote.
    assert index.locate("North Korean leader Kim Jong-Un has affirmed ... thousands more wounded") is None
    assert index.locate("Days ago, North Korea’s Supreme Leader ... Around 600 North Korean soldiers") is None
    # The phrase's later mention may be the one the quote means: "Kim Jong-Un" stands three times before this one.
    assert index.locate("Kim Jong-un ... soldiers killed") == index.locate(
        "Kim Jong-un mourning over flag-draped coffins of North Korean soldiers killed"
    )


def test_ellipsis_may_skip_words_in_order(index):
    assert index.locate("Around 600 North Korean soldiers ... according to South Korean lawmaker Lee Seong-kweun")
    assert (
        index.locate("according to South Korean lawmaker Lee Seong-kweun ... Around 600 North Korean soldiers") is None
    )


@pytest.mark.parametrize(
    "quote",
    [
        "About 600 North Korean soldiers have been killed",  # changed word
        "Around 6,000 North Korean soldiers have been killed",  # changed number
        "North Korea has sent 50,000 troops to Ukraine",  # fabricated
        "Around 600",  # too short to verify anything
        "ound 600 North Korean soldi",  # not on word boundaries
    ],
)
def test_paraphrased_or_fabricated_quotes_rejected(index, quote):
    assert index.locate(quote) is None


def test_verify_claims_drops_and_counts(index):
    claims = [
        (
            3,
            Claim(
                statement="600 killed", quote="Around 600 North Korean soldiers have been killed", attributed_to="NIS"
            ),
        ),
        (3, Claim(statement="invented", quote="Kim announced a ceasefire on Monday", attributed_to=None)),
    ]
    verified, dropped = verify_claims(claims, {3: index})
    assert [v.id for v in verified] == ["c1"]
    assert verified[0].citation.source_id == 3
    assert [d.statement for d in dropped] == ["invented"]

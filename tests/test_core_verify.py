"""Quote verification: found, paraphrased, fabricated."""

from pathlib import Path

import pytest

from summarizer.cleaning import clean
from summarizer.documents import load
from summarizer.schemas import Claim
from summarizer.verify import QuoteIndex, unsupported, verify_claims

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


ARTICLE = (
    "North Korea's KCNA said Kim Jong-Un met Sergey Lavrov in Wonsan on Saturday, state media reported. "
    "Kim pledged support for Russia during the visit. The Kremlin-Pyongyang treaty includes a mutual defence clause. "
    "Pyongyang supplied over 10 million artillery shells, the NIS said. The U.S. and its allies condemned it. "
    "At least six people were killed. More than 6,000 soldiers died. Some 25,000 to 30,000 may follow. "
    "Exports fell 2.5 percent, worth 1.5 million dollars."
)


@pytest.mark.parametrize(
    ("statement", "quote"),
    [
        ("Kim Jong-Un met Lavrov in Wonsan on Saturday.", "Kim Jong-Un met Sergey Lavrov in Wonsan on Saturday"),
        ("Kim Jong Un met Lavrov in Wonsan.", "Kim Jong-Un met Sergey Lavrov in Wonsan on Saturday"),
        (
            "The Kremlin-Pyongyang treaty has a defence clause.",
            "The Kremlin-Pyongyang treaty includes a mutual defence",
        ),
        ("Pyongyang sent over 10m shells, the NIS said.", "Pyongyang supplied over 10 million artillery shells"),
        ("At least 6 people were killed.", "At least six people were killed"),
        ("North Korea's KCNA said Kim met Lavrov.", "Kim Jong-Un met Sergey Lavrov in Wonsan"),  # KCNA: the article
        ("Meanwhile, 25,000 to 30,000 more may follow.", "Some 25,000 to 30,000 may follow"),
        ("More than 6,000 soldiers died.", "More than 6,000 soldiers died"),
        ("Kim Pledges Support as Lavrov Visits", "Kim pledged support for Russia during the visit"),  # a headline
        ("Kim a rencontré Lavrov à Wonsan, en Corée du Nord.", "Kim Jong-Un met Sergey Lavrov in Wonsan"),
    ],
)
def test_statements_borne_out_by_their_quotes_and_article_pass(statement, quote):
    assert unsupported(statement, quote, [ARTICLE]) == []


@pytest.mark.parametrize(
    ("statement", "quote", "flagged"),
    [
        ("Kim met Lavrov. Erdogan agreed.", "Kim Jong-Un met Sergey Lavrov", ["Erdogan"]),
        ("Erdogan said Kim met Lavrov.", "Kim Jong-Un met Sergey Lavrov", ["Erdogan"]),
        ("Kim met Lavrov (Erdogan agreed).", "Kim Jong-Un met Sergey Lavrov", ["Erdogan"]),
        ("Kim secretly telephoned Erdogan yesterday morning regarding alliances.", "Kim Jong-Un met", ["Erdogan"]),
        ("About 6 soldiers died.", "More than 6,000 soldiers died", ["6"]),
        ("Exports fell 25 percent.", "Exports fell 2.5 percent", ["25"]),
        ("It was worth 15 million dollars.", "worth 1.5 million dollars", ["15"]),
        ("Kim met Lavrov, CANARYALPHA.", "Kim Jong-Un met Sergey Lavrov", ["CANARYALPHA"]),
        ("A move NATO welcomed.", "The U.S. and its allies condemned it", ["NATO"]),
    ],
)
def test_figures_codes_and_names_from_nowhere_are_flagged(statement, quote, flagged):
    assert unsupported(statement, quote, [ARTICLE]) == flagged


def test_attributions_must_be_made_of_the_article_s_words():
    for who in ("KCNA", "state media", "the NIS"):
        assert unsupported(who, "", [ARTICLE], every_word=True) == []
    for who in ("Erdogan", "erdogan", "KCNA; Erdogan", "KCNA (Erdogan)"):
        assert unsupported(who, "", [ARTICLE], every_word=True) == ["Erdogan" if who != "erdogan" else "erdogan"]

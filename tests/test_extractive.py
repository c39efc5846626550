"""The offline engine on the seeds and on small hand-made clusters."""

from pathlib import Path

import pytest

from summarizer import Document, summarize
from summarizer.cleaning import clean, find_duplicates
from summarizer.documents import load
from summarizer.extractive import extractive_brief

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
BOILERPLATE = [
    "Advertisement",
    "Leave a Reply",
    "Required fields are marked",
    "Related Sources",
    "Published At",
    "(Image: AP)",
    "With agency inputs",
    "Source 1",
]


def _words(brief) -> int:
    return len(brief.headline.split()) + sum(len(s.text.split()) for s in brief.statements())


@pytest.fixture(scope="module")
def seeds_brief():
    return summarize([SEEDS], engine="extractive")


def test_names_the_event_and_cites_several_sources(seeds_brief):
    text = " ".join([seeds_brief.headline] + [s.text for s in seeds_brief.statements()])
    for name in ("Kim", "Lavrov", "Wonsan"):
        assert name in text
    cited = {sid for s in seeds_brief.statements() for sid in s.source_ids}
    assert len(cited) >= 3
    assert seeds_brief.diagnostics.engine == "extractive"
    assert seeds_brief.summary and seeds_brief.summary[0].support >= 3


def test_every_citation_is_a_verbatim_sentence_of_its_source(seeds_brief):
    originals = {d.id: d.text for d in load([SEEDS]).documents}
    for statement in seeds_brief.statements():
        assert statement.citations
        for citation in statement.citations:
            assert originals[citation.source_id][citation.start : citation.end] == citation.quote
        # The statement itself is one cited source's sentence (after whitespace/Unicode normalisation).
        quotes = [" ".join(c.quote.replace("…", "...").split()) for c in statement.citations]
        assert any(" ".join(statement.text.split()) == q for q in quotes)


def test_no_boilerplate(seeds_brief):
    from summarizer.render import to_markdown

    markdown = to_markdown(seeds_brief)
    for junk in BOILERPLATE:
        assert junk not in markdown.split("## Sources")[0]
    # Off-topic tails of 000 (drone strikes) and 003/004 (US weapons, Trump) stay out.
    assert "Zelenskyy" not in markdown and "Trump" not in markdown and "Kellogg" not in markdown


def test_both_casualty_figures_in_conflicts(seeds_brief):
    killed = [c for c in seeds_brief.conflicts if "killed" in c.topic.lower()]
    assert len(killed) == 1
    sides = {p.source_ids[0]: p.text for p in killed[0].positions}
    assert "600" in sides[3]
    assert "6,000" in sides[4]
    sent = [c for c in seeds_brief.conflicts if "sent" in c.topic.lower()]
    assert sent and any("11,000" in p.text for p in sent[0].positions)
    assert any("25,000 to 30,000" in p.text for p in sent[0].positions)


@pytest.mark.parametrize("limit", [250, 120, 60])
def test_word_limit_holds(limit):
    brief = summarize([SEEDS], engine="extractive", max_words=limit)
    assert 0 < _words(brief) <= limit


def _cluster(*texts: str) -> list:
    docs = [Document(title=f"Story {i}", text=t, id=i) for i, t in enumerate(texts, start=1)]
    return [clean(d) for d in docs]


def test_two_sources_agreeing_in_other_words_are_one_point_citing_both():
    brief = extractive_brief(
        _cluster(
            "Floods in the river valley forced 3,000 residents from their homes on Tuesday, officials said.",
            "Officials said on Tuesday that 3,000 residents had been forced from their homes by floods in the valley.",
        )
    )
    statements = brief.statements()
    assert len(statements) == 1
    assert statements[0].source_ids == [1, 2]
    assert statements[0].support == 2


def test_a_source_missing_the_sentence_s_details_is_not_cited_for_it():
    brief = extractive_brief(
        _cluster(
            "Floods in the Arno valley forced 3,000 residents of Pisa from their homes on Tuesday, officials said.",
            "Floods in the Arno valley forced 3,000 residents from their homes on Tuesday, officials said.",  # no Pisa
            "Floods in the valley forced 3,000 residents from their homes, officials said.",  # no Arno, no Tuesday
            "Floods in the Arno valley forced many residents of Pisa from their homes on Tuesday, officials said.",
        )
    )
    (lead,) = brief.summary
    assert lead.text.startswith("Floods in the Arno valley forced 3,000 residents of Pisa")
    # One missing name is tolerated; two are not, and a missing figure never is.
    assert lead.source_ids == [1, 2]


def test_two_sources_with_conflicting_numbers_make_a_conflict():
    brief = extractive_brief(
        _cluster(
            "Rebels attacked the northern town on Monday. At least 40 soldiers were killed, the army said.",
            "Rebels attacked the northern town on Monday. Some 120 soldiers were killed, an official said.",
        )
    )
    (conflict,) = brief.conflicts
    assert "killed" in conflict.topic.lower()
    by_source = {p.source_ids[0]: p.text for p in conflict.positions}
    assert "40" in by_source[1] and "120" in by_source[2]


def test_duplicate_article_is_sent_once_and_cited_once():
    text = "The dam burst on Friday night, flooding 12 villages downstream, the regional governor said."
    articles = _cluster(
        text, "  " + text.replace(" ", "  "), "Rescue teams reached the 12 flooded villages on Saturday morning."
    )
    kept, duplicates = find_duplicates(articles)
    assert [d.duplicate_of for d in duplicates] == [1]
    brief = extractive_brief(kept)
    cited = [sid for s in brief.statements() for sid in s.source_ids]
    assert 2 not in cited
    assert cited.count(1) == 1

"""The harness is only worth its numbers if it can fail: hand-written briefs move the scores by known amounts."""

from pathlib import Path

import pytest

from summarizer.brief import Brief, Citation, Source, Statement
from summarizer.evals import from_brief, from_markdown, load_cluster, read_brief, score

HERE = Path(__file__).resolve().parent
CLUSTER = load_cluster(HERE / "clusters" / "seeds.toml")
TOTAL = sum(f.weight for f in CLUSTER.facts)

GOOD = """# Kim backs Russia's war as Lavrov visits

Kim Jong Un voiced unconditional support for Russia in talks with Sergei Lavrov in Wonsan. [1][2][4][5]

## Key points
- North Korea will send 6,000 military engineers to the Kursk region. [2][4][5] *(3 sources)*
- Kim paid tribute at the coffins of soldiers killed fighting for Russia. [2][3][4] *(3 sources)*

## Conflicts
- **Soldiers killed**: about 600 killed, per Seoul's spy agency [3]; more than 6,000 died, per British intelligence [4]
- **Troops sent**: 11,000 sent last year [5]; 25,000 to 30,000 more to come [5]

## Sources
1. Kim Jong-un Reiterates Support for Russia — `seeds/000_a12612ee2e670541.txt`
"""
# kim-backs-russia 5, kim-met-lavrov 5, wonsan 4, engineers 3, coffins 3, the four single-source figures 1 each.
GOOD_WEIGHT = 5 + 5 + 4 + 3 + 3 + 4
GOOD_CITATIONS = 4 + 3 + 3 + 1 + 1 + 1 + 1


@pytest.fixture(scope="module")
def good():
    return score(from_markdown(GOOD), CLUSTER)


def test_good_brief(good):
    assert good.coverage_weighted == round(GOOD_WEIGHT / TOTAL, 4)
    assert good.coverage == round(9 / len(CLUSTER.facts), 4)
    assert good.citation_precision == 1.0 and good.citations_judged == GOOD_CITATIONS
    assert good.conflicts_surfaced == 1.0 and good.missed_conflicts == []
    assert good.number_faithfulness == 1.0
    assert good.boilerplate_leaks == []
    assert "coffins" not in good.missed_facts and "choe" in good.missed_facts


def test_missing_fact_lowers_weighted_coverage_by_its_weight(good):
    worse = score(
        from_markdown(GOOD.replace("- Kim paid tribute at the coffins", "- Kim paid tribute at the")), CLUSTER
    )
    assert worse.coverage_weighted == round((GOOD_WEIGHT - 3) / TOTAL, 4)
    assert "coffins" in worse.missed_facts


def test_wrong_citation_lowers_precision(good):
    wrong = score(from_markdown(GOOD.replace("Russia. [2][3][4]", "Russia. [1][3][4]")), CLUSTER)
    assert wrong.citation_precision == round((GOOD_CITATIONS - 1) / GOOD_CITATIONS, 4)
    assert wrong.wrong_citations == ["[1] on: Kim paid tribute at the coffins of soldiers killed fighting for Russia."]


def test_partial_citation_lowers_recall(good):
    partial = score(from_markdown(GOOD.replace("Russia. [2][3][4]", "Russia. [2]")), CLUSTER)
    covered = len(CLUSTER.facts) - len(good.missed_facts)
    # The coffins fact is cited to 1 of its 3 sources instead of 3 of 3.
    assert partial.citation_recall == pytest.approx(good.citation_recall - (2 / 3) / covered, abs=1e-3)


def test_invented_number_is_unfaithful():
    invented = score(from_markdown(GOOD + "\n- Kim promised 45,000 more troops. [2]\n"), CLUSTER)
    # Markdown after "## Sources" is ignored, so the invented bullet must come before it.
    assert invented.unfaithful_numbers == []
    body, sources = GOOD.split("## Sources")
    invented = score(from_markdown(body + "- Kim promised 45,000 more troops. [2]\n\n## Sources" + sources), CLUSTER)
    assert invented.unfaithful_numbers == ["45000"]
    brief_numbers = {"600", "6000", "11000", "25000", "30000", "45000"}
    assert invented.number_faithfulness == round(1 - 1 / len(brief_numbers), 4)


def test_conflict_side_missing_or_misattributed():
    one_side = score(from_markdown(GOOD.replace("; more than 6,000 died, per British intelligence [4]", "")), CLUSTER)
    assert one_side.conflicts_surfaced == 0.5 and one_side.missed_conflicts == ["casualties"]
    misattributed = score(from_markdown(GOOD.replace("British intelligence [4]", "British intelligence [1]")), CLUSTER)
    assert misattributed.missed_conflicts == ["casualties"]


def test_empty_brief_scores_zero():
    empty = score(from_markdown(""), CLUSTER)
    assert empty.coverage_weighted == 0.0 and empty.citation_precision == 0.0 and empty.citation_recall == 0.0
    assert empty.conflicts_surfaced == 0.0 and empty.words == 0


def test_boilerplate_leaks_are_listed():
    leaky = score(
        from_markdown(GOOD.replace("## Key points", "Advertisement\nLeave a Reply\n\n## Key points")), CLUSTER
    )
    assert leaky.boilerplate_leaks == ["Advertisement", "Leave a Reply"]


def _statement(text, source, quote):
    docs = {d.id: d.text for d in CLUSTER.documents()}
    start = docs[source].find(quote)
    return Statement(
        text=text, citations=[Citation(source_id=source, quote=quote, start=start, end=start + len(quote))]
    )


def test_json_brief_judges_unmatched_sentences_by_their_quotes(tmp_path):
    quote = "Analysts suggest that North Korea’s military support could prove crucial for Russia"
    right = _statement("Analysts call the support crucial.", 2, quote)
    wrong = _statement("Analysts call the support crucial.", 3, quote)  # source 3 says no such thing
    brief = Brief(headline="Kim and Lavrov", summary=[right], points=[wrong], sources=[Source(id=2, title="t")])
    scored = score(from_brief(brief), CLUSTER)
    assert scored.citations_judged == 2 and scored.citation_precision == 0.5
    # The same brief as Markdown carries no quotes: those citations cannot be judged.
    markdown = (
        "# Kim and Lavrov\n\nAnalysts call the support crucial. [2]\n\n- Analysts call the support crucial. [3]\n"
    )
    assert score(from_markdown(markdown), CLUSTER).citations_unjudged == 2
    path = tmp_path / "brief.json"
    path.write_text(brief.model_dump_json())
    assert score(read_brief(path), CLUSTER) == scored


def test_paraphrase_tolerance():
    text = "Pyongyang agreed to dispatch 6000 army builders to Russia. [4]"
    scored = score(from_markdown(f"# H\n\n{text}\n"), CLUSTER)
    assert "engineers" not in scored.missed_facts


def test_command_line_scores_a_brief_file_and_refuses_a_missing_one(tmp_path, capsys):
    from summarizer.evals.__main__ import main

    (tmp_path / "good.md").write_text(GOOD)
    clusters = str(HERE / "clusters")
    assert main(["--cluster", "seeds", "--clusters-dir", clusters, "--brief", str(tmp_path / "good.md")]) == 0
    assert "good.md" in capsys.readouterr().out
    missing = str(tmp_path / "missing.md")
    assert main(["--clusters-dir", clusters, "--brief", missing]) == 2
    err = capsys.readouterr().err
    assert f"cannot read brief {missing}" in err and "Traceback" not in err

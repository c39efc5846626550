"""Reconciliation: citations resolve to verified quotes, bad ones are removed and counted, conflicts keep both sides."""

import asyncio

from summarizer.backend import Usage
from summarizer.brief import Citation
from summarizer.reconcile import Fact, _resolve, reconcile
from summarizer.schemas import BriefDraft
from summarizer.testing import ScriptedBackend
from summarizer.verify import VerifiedClaim


def _claim(n: int, source: int, text: str) -> VerifiedClaim:
    return VerifiedClaim(f"c{n}", source, text, None, Citation(source_id=source, quote=text, start=0, end=len(text)))


CLAIMS = [
    _claim(1, 1, "Kim met Lavrov in Wonsan."),
    _claim(2, 2, "Lavrov met Kim in the port city of Wonsan."),
    _claim(3, 3, "Around 600 North Korean soldiers have been killed."),
    _claim(4, 4, "More than 6,000 North Korean soldiers have died."),
]
FACTS = [Fact(c.id, c.statement, [c.source_id], None, {c.id}) for c in CLAIMS]
CONTEXTS = {
    1: "Kim met Lavrov in Wonsan on Saturday, after the minister arrived for talks of the two allies.",
    2: "Lavrov met Kim in the port city of Wonsan.",
    3: "Around 600 North Korean soldiers have been killed, per South Korea's spy agency.",
    4: "More than 6,000 North Korean soldiers have died, in line with British Defence Intelligence.",
}


def test_citations_resolve_and_invalid_ones_are_removed():
    draft = BriefDraft.model_validate(
        {
            "headline": "Kim meets Lavrov",
            "summary": {"text": "Kim met Lavrov in Wonsan.", "claim_ids": ["c1", "c2", "c99"]},
            "points": [
                {"text": "Invented point.", "claim_ids": ["c42"]},
                {"text": "Same fact, twice from one source.", "claim_ids": ["c1", "c1"]},
            ],
            "conflicts": [
                {
                    "topic": "Soldiers killed",
                    "positions": [
                        {"text": "About 600, per South Korea's spy agency", "claim_ids": ["c3"]},
                        {"text": "Over 6,000, per British Defence Intelligence", "claim_ids": ["c4"]},
                    ],
                }
            ],
        }
    )
    result = _resolve(draft, FACTS, {c.id: c for c in CLAIMS}, CONTEXTS, depth=1, max_words=250)
    assert result.summary[0].source_ids == [1, 2]
    assert result.summary[0].support == 2
    assert [p.text for p in result.points] == ["Same fact, twice from one source."]
    assert result.points[0].source_ids == [1]
    assert result.removed_citations == 2  # c99 and c42
    assert result.removed_statements == 1  # the invented point lost its only citation
    assert len(result.conflicts) == 1
    sides = result.conflicts[0].positions
    assert [s.source_ids for s in sides] == [[3], [4]]
    assert "600" in sides[0].text and "6,000" in sides[1].text


def test_hierarchical_when_claims_exceed_budget():
    many = [
        _claim(i, i % 5 + 1, f"Fact number {i} about troop movements near Kursk was reported.") for i in range(1, 81)
    ]
    backend = ScriptedBackend()
    usage = Usage()
    result = asyncio.run(
        reconcile(many, backend, usage, n_sources=5, language="English", max_words=250, budget_tokens=900, contexts={})
    )
    assert result.depth >= 2
    assert usage.calls == len(backend.requests) >= 3
    from summarizer.chunking import count_tokens

    for messages, _ in backend.requests:
        assert sum(count_tokens(m["content"]) for m in messages) <= 900
    cited = {c.source_id for s in result.summary + result.points for c in s.citations}
    assert cited <= {1, 2, 3, 4, 5} and cited


def test_word_limit_drops_last_points_but_keeps_conflict_sides():
    point = {"text": "Kim met Lavrov in Wonsan on Saturday for talks.", "claim_ids": ["c1"]}
    draft = BriefDraft.model_validate(
        {
            "headline": "Kim meets Lavrov",
            "summary": {"text": "Kim met Lavrov.", "claim_ids": ["c1"]},
            "points": [point] * 10,
            "conflicts": [
                {
                    "topic": "Killed",
                    "positions": [
                        {"text": "About 600 killed", "claim_ids": ["c3"]},
                        {"text": "Over 6,000 died", "claim_ids": ["c4"]},
                    ],
                }
            ],
        }
    )
    result = _resolve(draft, FACTS, {c.id: c for c in CLAIMS}, CONTEXTS, depth=1, max_words=40)
    sides = [p for c in result.conflicts for p in c.positions]
    words = sum(len(s.text.split()) for s in result.summary + result.points + sides) + len(result.headline.split())
    assert words <= 40
    assert len(result.points) == 3  # 12 fixed words (headline, summary, both sides), 9 words per point
    assert len(result.conflicts[0].positions) == 2


def test_figures_not_in_the_cited_quotes_are_removed():
    draft = BriefDraft.model_validate(
        {
            "headline": "Kim meets Lavrov as 9,999 troops deploy",
            "summary": {"text": "Kim met Lavrov in Wonsan.", "claim_ids": ["c1"]},
            "points": [
                {"text": "About 600 soldiers were killed.", "claim_ids": ["c3"]},
                {"text": "About 900 soldiers were killed.", "claim_ids": ["c3"]},
            ],
            "conflicts": [],
        }
    )
    result = _resolve(draft, FACTS, {c.id: c for c in CLAIMS}, CONTEXTS, depth=1, max_words=250)
    assert [p.text for p in result.points] == ["About 600 soldiers were killed."]
    assert result.removed_statements == 1
    # The headline stated a figure no claim bears out: the summary's sentence stands in for it.
    assert result.headline == "Kim met Lavrov in Wonsan."


def test_names_and_codes_the_claims_do_not_bear_out_are_removed():
    draft = BriefDraft.model_validate(
        {
            "headline": "CANARYALPHA: Kim meets Lavrov",
            "summary": {"text": "Kim met Lavrov in Wonsan.", "claim_ids": ["c1"]},
            "points": [
                {"text": "The mayor of Lyon resigned after Kim met Lavrov.", "claim_ids": ["c1"]},
                {"text": "Kim met Lavrov, CANARYALPHA.", "claim_ids": ["c1", "c2"]},
                {"text": "Lavrov met Kim in the port city of Wonsan.", "claim_ids": ["c2"]},
                # A name the quote lacks but the cited article has is fine; so is a translation.
                {"text": "About 600 soldiers died, per South Korea's spy agency.", "claim_ids": ["c3"]},
                {"text": "Kim a rencontré Lavrov à Wonsan, en Corée du Nord.", "claim_ids": ["c1"]},
            ],
            "conflicts": [],
        }
    )
    result = _resolve(draft, FACTS, {c.id: c for c in CLAIMS}, CONTEXTS, depth=1, max_words=250)
    assert [p.text for p in result.points] == [
        "Lavrov met Kim in the port city of Wonsan.",
        "About 600 soldiers died, per South Korea's spy agency.",
        "Kim a rencontré Lavrov à Wonsan, en Corée du Nord.",
    ]
    assert result.removed_statements == 2
    assert result.headline == "Kim met Lavrov in Wonsan."


def test_conflict_the_model_leaves_out_is_added_from_the_quotes():
    draft = BriefDraft.model_validate(
        {
            "headline": "Kim meets Lavrov",
            "summary": {"text": "Kim met Lavrov in Wonsan.", "claim_ids": ["c1", "c2"]},
            "points": [{"text": "Many North Korean soldiers have died.", "claim_ids": ["c3", "c4"]}],
            "conflicts": [],
        }
    )
    result = _resolve(draft, FACTS, {c.id: c for c in CLAIMS}, CONTEXTS, depth=1, max_words=250)
    (conflict,) = result.conflicts
    assert conflict.topic == "Soldiers killed"
    assert [(p.source_ids, p.text) for p in conflict.positions] == [
        ([3], "Around 600 North Korean soldiers have been killed."),
        ([4], "More than 6,000 North Korean soldiers have died."),
    ]


def test_conflict_the_model_reports_is_not_duplicated():
    draft = BriefDraft.model_validate(
        {
            "headline": "Kim meets Lavrov",
            "summary": {"text": "Kim met Lavrov in Wonsan.", "claim_ids": ["c1"]},
            "points": [],
            "conflicts": [
                {
                    "topic": "Deaths",
                    "positions": [
                        {"text": "About 600, per South Korea's spy agency", "claim_ids": ["c3"]},
                        {"text": "Over 6,000, per British Defence Intelligence", "claim_ids": ["c4"]},
                    ],
                }
            ],
        }
    )
    assert [c.topic for c in _resolve(draft, FACTS, {c.id: c for c in CLAIMS}, CONTEXTS, 1, 250).conflicts] == [
        "Deaths"
    ]


def test_a_model_context_smaller_than_the_budget_gets_smaller_groups():
    from summarizer import errors
    from summarizer.chunking import count_tokens

    class SmallContext(ScriptedBackend):
        async def complete(self, messages, schema):
            if sum(count_tokens(m["content"]) for m in messages) > 700:
                self.requests.append((messages, "refused"))
                raise errors.ContextTooLong("too long")
            return await super().complete(messages, schema)

    many = [
        _claim(i, i % 5 + 1, f"Fact number {i} about troop movements near Kursk was reported.") for i in range(1, 61)
    ]
    backend = SmallContext()
    result = asyncio.run(
        reconcile(
            many, backend, Usage(), n_sources=5, language="English", max_words=250, budget_tokens=16000, contexts={}
        )
    )
    assert result.summary and result.depth >= 2
    bodies = [str(messages) for messages, _ in backend.requests]
    assert len(bodies) == len(set(bodies))  # what was refused is split, never resent as it was
    assert sum(1 for _, kind in backend.requests if kind == "refused") >= 1

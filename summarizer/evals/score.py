"""Deterministic metrics of a brief against a cluster's reference facts; no model needed."""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from ..brief import Brief
from ..errors import redact
from ..render import write_atomic
from .data import Cluster, Fact
from .parse import ParsedBrief, Unit

_NUMBER = re.compile(r"\d[\d,.]*\d|\d")


def _norm(text: str) -> str:
    """Case-folded, thousands separators and curly quotes folded, for keyword matching."""
    text = re.sub(r"(?<=\d),(?=\d{3})", "", text.casefold())
    return text.replace("’", "'").replace("‘", "'").replace("–", "-")


def states(text: str, keywords: list[list[str]]) -> bool:
    """Whether a sentence contains, for every group, one of its alternatives as whole words."""
    haystack = _norm(text)
    return all(
        any(re.search(rf"(?<!\w){re.escape(_norm(alt))}(?!\w)", haystack) for alt in group) for group in keywords
    )


def numbers(text: str) -> set[str]:
    """The figures in a text, thousands separators removed ("6,000" and "6000" are one figure)."""
    return {n.replace(",", "").rstrip(".") for n in _NUMBER.findall(text)}


@dataclass
class Score:
    """Every metric of one brief; higher is better except length, leaks and unfaithful numbers."""

    coverage_weighted: float
    coverage: float
    missed_facts: list[str]
    citation_precision: float
    citations_judged: int
    citations_unjudged: int
    wrong_citations: list[str]
    citation_recall: float
    conflicts_surfaced: float
    missed_conflicts: list[str]
    number_faithfulness: float
    unfaithful_numbers: list[str]
    words: int
    boilerplate_leaks: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def score(brief: ParsedBrief, cluster: Cluster) -> Score:
    """Score a parsed brief against a cluster's facts, conflicts and forbidden strings."""
    documents = {d.id: d.text for d in cluster.documents()}
    units = [u for u in brief.units if u.text.strip()]
    matches = {id(u): [f for f in cluster.facts if states(u.text, f.keywords)] for u in units}
    covered = [f for f in cluster.facts if any(f in matches[id(u)] for u in units)]
    total_weight = sum(f.weight for f in cluster.facts) or 1.0

    judged = right = unjudged = 0
    wrong: list[str] = []
    for unit in units:
        for source in sorted(unit.sources):
            verdict = _citation_correct(unit, source, matches[id(unit)], documents)
            if verdict is None:
                unjudged += 1
                continue
            judged += 1
            right += verdict
            if not verdict:
                wrong.append(f"[{source}] on: {unit.text[:80]}")

    recalls = []
    for fact in covered:
        cited = set().union(*(u.sources for u in units if fact in matches[id(u)]))
        recalls.append(len(cited & set(fact.sources)) / len(fact.sources))

    missed_conflicts = [c.id for c in cluster.conflicts if not all(_side_shown(side, units) for side in c.sides)]

    brief_numbers = numbers(_without_markers(brief.text))
    source_numbers = set().union(*(numbers(t) for t in documents.values())) if documents else set()
    unfaithful = sorted(brief_numbers - source_numbers)

    text = brief.text.casefold()
    leaks = [s for s in cluster.boilerplate + cluster.off_topic if s.casefold() in text]
    return Score(
        coverage_weighted=round(sum(f.weight for f in covered) / total_weight, 4),
        coverage=round(len(covered) / (len(cluster.facts) or 1), 4),
        missed_facts=[f.id for f in cluster.facts if f not in covered],
        citation_precision=round(right / judged, 4) if judged else 0.0,
        citations_judged=judged,
        citations_unjudged=unjudged,
        wrong_citations=wrong,
        citation_recall=round(sum(recalls) / len(recalls), 4) if recalls else 0.0,
        conflicts_surfaced=round(1 - len(missed_conflicts) / len(cluster.conflicts), 4) if cluster.conflicts else 1.0,
        missed_conflicts=missed_conflicts,
        number_faithfulness=round(1 - len(unfaithful) / len(brief_numbers), 4) if brief_numbers else 1.0,
        unfaithful_numbers=unfaithful,
        words=len(_without_markers(brief.text).split()),
        boilerplate_leaks=leaks,
    )


def _citation_correct(unit: Unit, source: int, facts: list[Fact], documents: dict[int, str]) -> bool | None:
    """Right if the source states a fact the unit states; with no matching fact, if its quote is in the source
    (JSON briefs carry quotes); None (not judged) for a Markdown unit matching no reference fact."""
    if facts:
        return any(source in f.sources for f in facts)
    if unit.quotes is None:
        return None
    text = documents.get(source, "")
    return bool(unit.quotes.get(source)) and all(q in text for q in unit.quotes[source])


def _side_shown(side: Any, units: list[Unit]) -> bool:
    """A side is shown when a unit states it and cites one of the sources that give it."""
    return any(states(u.text, side.keywords) and u.sources & set(side.sources) for u in units)


def _without_markers(text: str) -> str:
    return re.sub(r"\[\d+\]", "", text)


ROWS = [
    ("weighted fact coverage", "coverage_weighted"),
    ("fact coverage", "coverage"),
    ("citation precision", "citation_precision"),
    ("citation recall", "citation_recall"),
    ("conflicts surfaced", "conflicts_surfaced"),
    ("number faithfulness", "number_faithfulness"),
    ("words", "words"),
    ("boilerplate/off-topic leaks", "boilerplate_leaks"),
]


def table(scores: dict[str, Score]) -> str:
    """A plain-text table: one row per metric, one column per brief."""
    names = list(scores)
    width = max(len(label) for label, _ in ROWS)
    cols = [max(12, len(n)) for n in names]
    lines = [" ".join([" " * width, *(n.rjust(c) for n, c in zip(names, cols, strict=True))])]
    for label, attr in ROWS:
        cells = []
        for name, col in zip(names, cols, strict=True):
            value = getattr(scores[name], attr)
            cells.append(str(len(value) if isinstance(value, list) else value).rjust(col))
        lines.append(" ".join([label.ljust(width), *cells]))
    for name in names:
        s = scores[name]
        if s.missed_facts:
            lines.append(f"{name}: missed facts: {', '.join(s.missed_facts)}")
        if s.missed_conflicts:
            lines.append(f"{name}: missed conflicts: {', '.join(s.missed_conflicts)}")
        if s.unfaithful_numbers:
            lines.append(f"{name}: numbers in no source: {', '.join(s.unfaithful_numbers)}")
        if s.boilerplate_leaks:
            lines.append(f"{name}: leaks: {', '.join(s.boilerplate_leaks)}")
    return "\n".join(lines)


def write_report(path: Path, engine: str, cluster: Cluster, scored: Score, brief: Brief) -> None:
    """The eval run's JSON report: the engine, the scores and the brief they were computed from."""
    report = {
        "engine": engine,
        "cluster": cluster.name,
        "scores": scored.as_dict(),
        "brief": brief.model_dump(mode="json"),
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, redact(json.dumps(report, indent=2, ensure_ascii=False)))

"""The eval harness: score briefs against hand-written reference facts (`python -m summarizer.evals`)."""

from .data import Cluster, ExpectedConflict, Fact, find_cluster, load_cluster
from .parse import ParsedBrief, Unit, from_brief, from_markdown, read_brief
from .score import Score, score, states, table, write_report

__all__ = [
    "Cluster",
    "ExpectedConflict",
    "Fact",
    "ParsedBrief",
    "Score",
    "Unit",
    "find_cluster",
    "from_brief",
    "from_markdown",
    "load_cluster",
    "read_brief",
    "score",
    "states",
    "table",
    "write_report",
]

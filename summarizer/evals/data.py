"""Eval clusters: hand-written reference facts, expected conflicts and forbidden strings, read from TOML."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from ..documents import Document, load


@dataclass
class Fact:
    """A fact a good brief states, the sources that state it, and how to recognise it in a sentence."""

    id: str
    statement: str
    sources: list[int]
    keywords: list[list[str]]
    """Groups of alternatives; a sentence states the fact when every group has one alternative in it."""
    weight: float = 0.0
    """Pyramid weight: by default the number of sources that state the fact."""


@dataclass
class Side:
    """One side of an expected conflict."""

    label: str
    sources: list[int]
    keywords: list[list[str]]


@dataclass
class ExpectedConflict:
    """A disagreement between sources that a brief must report with both (all) sides."""

    id: str
    topic: str
    sides: list[Side]


@dataclass
class Cluster:
    """One story: its articles and the reference data a brief of them is scored against."""

    name: str
    articles: Path
    facts: list[Fact]
    conflicts: list[ExpectedConflict] = field(default_factory=list)
    boilerplate: list[str] = field(default_factory=list)
    off_topic: list[str] = field(default_factory=list)

    def documents(self) -> list[Document]:
        """The cluster's articles, with the same ids the pipeline gives them."""
        return load([self.articles]).documents


def load_cluster(path: str | Path) -> Cluster:
    """Read a cluster file; `articles` is resolved relative to the file."""
    path = Path(path)
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    facts = [
        Fact(
            id=f["id"],
            statement=f["statement"],
            sources=list(f["sources"]),
            keywords=[list(group) for group in f["keywords"]],
            weight=float(f.get("weight", len(f["sources"]))),
        )
        for f in data.get("facts", [])
    ]
    conflicts = [
        ExpectedConflict(
            id=c["id"],
            topic=c["topic"],
            sides=[Side(s["label"], list(s["sources"]), [list(g) for g in s["keywords"]]) for s in c["sides"]],
        )
        for c in data.get("conflicts", [])
    ]
    return Cluster(
        name=data.get("name", path.stem),
        articles=(path.parent / data["articles"]).resolve(),
        facts=facts,
        conflicts=conflicts,
        boilerplate=list(data.get("boilerplate", [])),
        off_topic=list(data.get("off_topic", [])),
    )


def find_cluster(name: str, clusters_dir: str | Path | None = None) -> Path:
    """The file of a named cluster: <clusters_dir>/<name>.toml, by default evals/clusters under the current folder."""
    folder = Path(clusters_dir) if clusters_dir else Path.cwd() / "evals" / "clusters"
    path = folder / f"{name}.toml"
    if not path.is_file():
        known = sorted(p.stem for p in folder.glob("*.toml")) if folder.is_dir() else []
        raise FileNotFoundError(f"no cluster {name!r} in {folder} (known: {', '.join(known) or 'none'})")
    return path

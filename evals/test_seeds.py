"""The eval run: our pipeline on seeds/ with the configured engine, scored against evals/clusters/seeds.toml.

Engine: $SUMMARIZER_ENGINE if set, else "llm" when OPENAI_API_KEY or OPENAI_BASE_URL is set, else "extractive".
Thresholds live in evals/thresholds.toml; the report goes to reports/eval_seeds_<engine>.json.
"""

import os
import tomllib
from pathlib import Path

import pytest

from summarizer import summarize
from summarizer.evals import from_brief, load_cluster, score, table, write_report
from summarizer.pipeline import model_configured

HERE = Path(__file__).resolve().parent
ENGINE = os.environ.get("SUMMARIZER_ENGINE") or ("llm" if model_configured() else "extractive")


@pytest.fixture(scope="module")
def result():
    cluster = load_cluster(HERE / "clusters" / "seeds.toml")
    brief = summarize([cluster.articles], engine=ENGINE)
    scored = score(from_brief(brief), cluster)
    write_report(HERE.parent / "reports" / f"eval_seeds_{ENGINE}.json", ENGINE, cluster, scored, brief)
    print(f"\n{table({ENGINE: scored})}")
    return scored


@pytest.fixture(scope="module")
def limits():
    return tomllib.loads((HERE / "thresholds.toml").read_text())["seeds"][ENGINE]


@pytest.mark.parametrize(
    "metric",
    ["coverage_weighted", "citation_precision", "citation_recall", "conflicts_surfaced", "number_faithfulness"],
)
def test_metric_meets_threshold(result, limits, metric):
    assert getattr(result, metric) >= limits[metric], f"{metric}: {getattr(result, metric)} < {limits[metric]}"


def test_length_and_leaks(result, limits):
    assert result.words <= limits["max_words"]
    assert len(result.boilerplate_leaks) <= limits["max_leaks"], result.boilerplate_leaks

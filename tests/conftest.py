"""Test isolation: no real model server, no real API key, no user cache; retry sleeps recorded, not slept."""

import anyio
import openai._base_client
import pytest


@pytest.fixture(autouse=True)
def isolated_environment(monkeypatch, tmp_path):
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "SUMMARIZER_MODEL", "OPENAI_ORG_ID", "OPENAI_PROJECT_ID"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SUMMARIZER_CACHE_DIR", str(tmp_path / "cache"))


class _Sleeps:
    """Stands in for anyio inside the openai client: records retry sleeps instead of sleeping."""

    def __init__(self):
        self.slept: list[float] = []

    async def sleep(self, seconds):
        self.slept.append(seconds)

    def __getattr__(self, name):
        return getattr(anyio, name)


@pytest.fixture
def sleeps(monkeypatch):
    recorder = _Sleeps()
    monkeypatch.setattr(openai._base_client, "anyio", recorder)
    return recorder

"""The command line: output formats, files, and one clear line per error."""

import json
import os
from pathlib import Path

import pytest

from summarizer.cli import main
from summarizer.testing import FakeOpenAIServer

SEEDS = str(Path(__file__).resolve().parent.parent / "seeds")


@pytest.fixture(autouse=True)
def no_model_env(monkeypatch):
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "SUMMARIZER_MODEL"):
        monkeypatch.delenv(name, raising=False)


def test_markdown_on_stdout_with_a_model_server(capsys):
    with FakeOpenAIServer() as server:
        code = main([SEEDS, "--base-url", server.base_url, "--model", "m"])
    out, err = capsys.readouterr()
    assert code == 0
    assert out.startswith("# ")
    assert "## Sources" in out and "000_a12612ee2e670541.txt" in out
    assert "6 calls" in err and "claims verified" in err
    assert "Traceback" not in err


def test_json_to_file(tmp_path, capsys):
    target = tmp_path / "brief.json"
    with FakeOpenAIServer() as server:
        code = main([SEEDS, "--base-url", server.base_url, "--format", "json", "-o", str(target), "-q"])
    out, err = capsys.readouterr()
    assert code == 0 and out == "" and err == ""
    data = json.loads(target.read_text())
    assert data["diagnostics"]["calls"] == 6
    assert [s["id"] for s in data["sources"]] == [1, 2, 3, 4, 5]
    assert [p.name for p in tmp_path.iterdir() if "brief" in p.name] == ["brief.json"]  # no temporary file left


def test_empty_folder_is_one_clear_line(tmp_path, capsys):
    code = main([str(tmp_path)])
    out, err = capsys.readouterr()
    assert code == 2 and out == ""
    assert err.strip().splitlines()[-1] == f"summarizer: error: no readable article found ({tmp_path}: folder is empty)"
    assert "Traceback" not in err


def test_llm_engine_without_configuration_says_how_to_configure(capsys):
    code = main([SEEDS, "--engine", "llm"])
    _, err = capsys.readouterr()
    assert code == 2
    assert "OPENAI_API_KEY" in err and "--base-url" in err
    assert len(err.strip().splitlines()) == 1


def test_unreachable_server_is_a_clear_error(capsys, sleeps):
    code = main([SEEDS, "--base-url", "http://127.0.0.1:9/v1", "--concurrency", "1"])
    _, err = capsys.readouterr()
    assert code == 1
    assert "could not reach the model server at http://127.0.0.1:9/v1/chat/completions" in err
    assert "Traceback" not in err


def test_no_model_configured_runs_the_offline_engine_and_says_how_to_switch(capsys):
    code = main([SEEDS])
    out, err = capsys.readouterr()
    assert code == 0
    assert out.startswith("# ") and "## Conflicts" in out and "[3]" in out
    (line,) = err.strip().splitlines()
    assert "offline extractive engine" in line and "OPENAI_API_KEY" in line and "OPENAI_BASE_URL" in line


def test_bad_flags_and_unwritable_output_fail_before_any_work(tmp_path, capsys):
    (tmp_path / "dangling.md").symlink_to(tmp_path / "gone" / "brief.md")
    for args in (
        ["--max-words", "0"],
        ["--concurrency", "0"],
        ["-o", str(tmp_path / "missing" / "b.md")],
        ["-o", str(tmp_path)],
        ["-o", "/dev/null"],
        ["-o", str(tmp_path / "dangling.md")],
    ):
        with pytest.raises(SystemExit) as caught:
            main([SEEDS, *args])
        assert caught.value.code == 2
    err = capsys.readouterr().err
    assert "--max-words must be at least 20" in err and "cannot write" in err and "Traceback" not in err
    assert "it is a folder" in err and "/dev/null: it is not a regular file" in err
    assert f"cannot write {tmp_path / 'dangling.md'}: its folder does not exist" in err


def test_malformed_server_url_is_one_clear_line(capsys):
    code = main([SEEDS, "--base-url", "http://[::1"])
    err = capsys.readouterr().err
    assert code == 2
    assert "cannot use server URL 'http://[::1'" in err and "Traceback" not in err


def test_output_file_keeps_its_mode_and_symlink(tmp_path, capsys):
    target = tmp_path / "brief.md"
    target.write_text("old")
    target.chmod(0o644)
    link = tmp_path / "latest.md"
    link.symlink_to(target)
    assert main([SEEDS, "--engine", "extractive", "-q", "-o", str(link)]) == 0
    assert link.is_symlink() and target.read_text().startswith("# ")
    assert target.stat().st_mode & 0o777 == 0o644
    fresh = tmp_path / "new.md"
    previous = os.umask(0o027)
    try:
        assert main([SEEDS, "--engine", "extractive", "-q", "-o", str(fresh)]) == 0
    finally:
        os.umask(previous)
    assert fresh.stat().st_mode & 0o777 == 0o640  # what a plain open() would make under that umask


def test_offline_engine_says_it_cannot_translate(capsys):
    assert main([SEEDS, "--engine", "extractive", "--language", "French"]) == 0
    assert "--language French needs a model" in capsys.readouterr().err


def test_progress_on_a_terminal_and_bounded_concurrency(capsys, monkeypatch):
    import sys
    import threading
    import time

    lock, state = threading.Lock(), {"now": 0, "most": 0}

    def slow(body, n):
        with lock:
            state["now"] += 1
            state["most"] = max(state["most"], state["now"])
        time.sleep(0.1)
        with lock:
            state["now"] -= 1

    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    with FakeOpenAIServer(handler=slow) as server:
        code = main([SEEDS, "--base-url", server.base_url, "--concurrency", "2", "--no-cache"])
    err = capsys.readouterr().err
    assert code == 0 and state["most"] == 2
    assert "\r\033[Kextracting 0/5" in err and "\r\033[Kextracting 5/5" in err and "reconciling 1/1\n" in err

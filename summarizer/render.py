"""Rendering a Brief as Markdown or JSON, and writing output files atomically."""

from __future__ import annotations

import errno
import os
import re
import stat
import tempfile
from pathlib import Path

from .brief import Brief, Statement


def _cite(statement: Statement) -> str:
    return "".join(f"[{sid}]" for sid in statement.source_ids)


def to_markdown(brief: Brief) -> str:
    """The brief as Markdown: headline, summary, key points, conflicts, sources; citations as [n]."""
    lines = [f"# {brief.headline}", ""]
    summary = " ".join(f"{s.text} {_cite(s)}" for s in brief.summary)
    if summary:
        lines += [summary, ""]
    if brief.points:
        lines.append("## Key points")
        for point in brief.points:
            n = point.support
            lines.append(f"- {point.text} {_cite(point)} *({n} source{'s' if n != 1 else ''})*")
        lines.append("")
    if brief.conflicts:
        lines.append("## Conflicts")
        for conflict in brief.conflicts:
            sides = "; ".join(f"{p.text} {_cite(p)}" for p in conflict.positions)
            lines.append(f"- **{conflict.topic}**: {sides}")
        lines.append("")
    lines.append("## Sources")
    for source in brief.sources:
        where = f" — `{source.path}`" if source.path else ""
        url = f" <{source.url}>" if source.url and re.match(r"https?://\S+$", source.url) else ""
        dup = f" (duplicate of [{source.duplicate_of}], not sent)" if source.duplicate_of else ""
        lines.append(f"{source.id}. {source.title}{where}{url}{dup}")
    return "\n".join(lines) + "\n"


def to_json(brief: Brief) -> str:
    """The brief as JSON (the pydantic model, including diagnostics)."""
    return brief.model_dump_json(indent=2) + "\n"


def _umask() -> int:
    """The process's umask, read without changing it (os.umask would, for every thread, however briefly)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except OSError:
        pass
    return 0o022


def write_atomic(path: str | Path, text: str) -> None:
    """Write a file so that readers see either the old content or the whole new one, never half of it."""
    path = Path(os.path.realpath(path))  # through a symlink to its target, which keeps being a link
    try:
        status = path.stat()
    except FileNotFoundError:
        mode = 0o666 & ~_umask()
    else:
        if not stat.S_ISREG(status.st_mode):
            raise IsADirectoryError(errno.EISDIR, "not a regular file", str(path))
        if not os.access(path, os.W_OK):
            raise PermissionError(errno.EACCES, "the file is read-only", str(path))
        mode = status.st_mode & 0o777
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)  # mkstemp makes 0600: give the file the mode a plain write would
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise

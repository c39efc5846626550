"""Loading articles from files and folders into Documents."""

from __future__ import annotations

import codecs
import json
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .errors import InputError

log = logging.getLogger("summarizer")

SUFFIXES = {".txt", ".md", ".markdown", ".html", ".htm", ".json", ".jsonl"}
MAX_FILE_BYTES = 5_000_000
"""Files above this size are refused: a news article is a few kB; larger files are dumps, not articles."""


@dataclass
class Document:
    """One article as given by the user, before cleaning."""

    title: str
    text: str
    path: str = ""
    url: str | None = None
    date: str | None = None
    source: str | None = None
    id: int = 0
    """Stable 1-based id used in citations; assigned by load order (file name order)."""


@dataclass
class Rejected:
    """A file that could not be used, with the reason a user can act on."""

    path: str
    reason: str


@dataclass
class Loaded:
    """Everything found under the given paths: usable documents and rejected files."""

    documents: list[Document] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)


def load(inputs: Sequence[str | Path | Document]) -> Loaded:
    """Load files, folders and ready-made Documents; ids are assigned 1..n in file-name order."""
    loaded = Loaded()
    given: list[Document] = []
    paths: list[Path] = []
    for item in inputs:
        if isinstance(item, Document):
            given.append(item)
            continue
        path = Path(item)
        if path.is_dir():
            found = sorted(p for p in path.iterdir() if p.is_file() and not p.name.startswith("."))
            if not found:
                nested = any(p.is_dir() for p in path.iterdir())
                reason = "folder holds no files (subfolders are not read)" if nested else "folder is empty"
                loaded.rejected.append(Rejected(str(path), reason))
            paths.extend(found)
        elif path.is_file():
            paths.append(path)
        else:
            loaded.rejected.append(Rejected(str(path), "no such file or folder"))
    unique = {p.resolve(): p for p in reversed(paths)}  # a file named twice (seeds/ seeds/a.txt) is read once
    for path in sorted(unique.values(), key=lambda p: (p.name, str(p))):
        try:
            documents, bad_records = _load_file(path)
            loaded.documents.extend(documents)
            loaded.rejected.extend(bad_records)
        except InputError as exc:
            loaded.rejected.append(Rejected(str(path), str(exc)))
        except OSError as exc:  # unreadable: permissions, a broken link, a file removed meanwhile
            loaded.rejected.append(Rejected(str(path), f"cannot read the file ({exc.strerror or exc})"))
    loaded.documents.extend(given)
    kept = []
    for doc in loaded.documents:
        if doc.text.strip():
            kept.append(doc)
        else:
            loaded.rejected.append(Rejected(doc.path or doc.title, "no article text"))
    for i, doc in enumerate(kept, start=1):
        doc.id = i
    loaded.documents = kept
    return loaded


def _load_file(path: Path) -> tuple[list[Document], list[Rejected]]:
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise InputError(f"unsupported file type {suffix or '(none)'}; use .txt, .md, .html, .json or .jsonl")
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise InputError(f"file is {size / 1e6:.1f} MB, over the {MAX_FILE_BYTES / 1e6:.0f} MB limit for one article")
    raw = path.read_bytes()
    text = decode(raw)
    if suffix in {".json", ".jsonl"}:
        return _from_json(text, path)
    if suffix in {".html", ".htm"}:
        from .html import extract_html

        title, body = extract_html(text)
        return [Document(title=title or path.stem, text=body, path=str(path))], []
    return [_from_plain(text, path)], []


def decode(raw: bytes) -> str:
    """Decode bytes as UTF-8 (with or without BOM), UTF-16 with BOM, or cp1252; refuse binary data."""
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return raw.decode("utf-16")
    if b"\x00" in raw[:65536]:
        raise InputError("looks like a binary file (contains NUL bytes), not an article")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    text = raw.decode("cp1252", errors="replace")
    controls = sum(1 for ch in text[:65536] if ord(ch) < 32 and ch not in "\r\n\t\f")
    if controls > max(8, len(text[:65536]) // 100):
        raise InputError("looks like a binary file, not an article")
    return text


def _from_plain(text: str, path: Path) -> Document:
    from .cleaning import is_boilerplate

    lines = (line.lstrip("#").strip() for line in text.splitlines())
    first = next((line for line in lines if line and not is_boilerplate(line)), "")
    # A first line that is already prose (no headline given) yields its first sentence as the title.
    title = first if len(first.split()) <= 25 else re.split(r"(?<=[.!?])\s", first, maxsplit=1)[0][:150]
    return Document(title=title or path.stem, text=text, path=str(path))


def _from_json(text: str, path: Path) -> tuple[list[Document], list[Rejected]]:
    """Articles from a JSON object or list, or JSON Lines; a bad record is rejected on its own, the rest kept."""
    records: list[tuple[int, object]] = []
    rejected: list[Rejected] = []
    try:
        if path.suffix.lower() == ".jsonl":
            for number, line in enumerate(text.split("\n"), start=1):  # not splitlines: U+2028 may sit in a record
                try:
                    if line.strip():
                        records.append((number, json.loads(line)))
                except json.JSONDecodeError as exc:
                    rejected.append(Rejected(f"{path}#{number}", f"line {number} is not valid JSON ({exc.msg})"))
        else:
            data = json.loads(text)
            records = list(enumerate(data if isinstance(data, list) else [data], start=1))
    except json.JSONDecodeError as exc:
        raise InputError(f"invalid JSON at line {exc.lineno}: {exc.msg}") from exc
    docs = []
    for n, rec in records:
        if not isinstance(rec, dict) or not isinstance(rec.get("text"), str):
            fields = "expected fields: title, text, url, date, source"
            rejected.append(Rejected(f"{path}#{n}", f"record {n} has no string field 'text' ({fields})"))
            continue
        docs.append(
            Document(
                title=str(rec.get("title") or f"{path.stem} #{n}"),
                text=rec["text"],
                path=str(path) if len(records) == 1 else f"{path}#{n}",
                url=_opt_str(rec.get("url")),
                date=_opt_str(rec.get("date")),
                source=_opt_str(rec.get("source")),
            )
        )
    if not docs:
        raise InputError("; ".join(r.reason for r in rejected[:3]) or "no records in the file")
    return docs, rejected


def _opt_str(value: object) -> str | None:
    return None if value is None else str(value)

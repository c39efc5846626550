"""Rendering the Jinja2 prompt templates in prompts/ (sandboxed, StrictUndefined) and marking untrusted text."""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import FileSystemLoader, StrictUndefined
from jinja2.sandbox import SandboxedEnvironment


def prompts_dir() -> Path:
    """The templates: shipped inside the wheel as summarizer/prompts, or prompts/ beside the package in a checkout."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "prompts", here.parent / "prompts"):
        if (candidate / "system.j2").is_file():
            return candidate
    raise FileNotFoundError(f"prompt templates not found beside {here}")


@lru_cache(maxsize=1)
def _env() -> SandboxedEnvironment:
    return SandboxedEnvironment(
        loader=FileSystemLoader(prompts_dir()),
        undefined=StrictUndefined,
        keep_trailing_newline=False,
        autoescape=False,
    )


def render(name: str, **variables: Any) -> str:
    """Render prompts/<name>.j2; a variable the template uses but the caller did not give raises an error."""
    return _env().get_template(f"{name}.j2").render(**variables).strip()


def marker(*texts: str) -> str:
    """A delimiter tag derived from the enclosed text itself, so that the text cannot contain its own closing tag."""
    digest = hashlib.sha256("\x00".join(texts).encode("utf-8", "surrogatepass")).hexdigest()
    return digest[:12]


def defang(text: str) -> str:
    """Neutralise delimiter look-alikes inside untrusted text."""
    return text.replace("⟦", "[").replace("⟧", "]")

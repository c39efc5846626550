"""Finding figures that disagree across sources: the same measured thing (soldiers killed, troops sent) with
different numbers. Works on any cited sentences, from the extractive engine or from verified model claims."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

# Head nouns of what news figures count, folded into classes so "troops" and "soldiers" are one thing.
_NOUNS = {
    "soldiers": "soldiers",
    "soldier": "soldiers",
    "troops": "soldiers",
    "troopers": "soldiers",
    "servicemen": "soldiers",
    "fighters": "soldiers",
    "personnel": "soldiers",
    "engineers": "engineers and workers",
    "builders": "engineers and workers",
    "workers": "engineers and workers",
    "labourers": "engineers and workers",
    "laborers": "engineers and workers",
    "people": "people",
    "civilians": "civilians",
    "deaths": "people",
    "fatalities": "people",
    "casualties": "casualties",
    "shells": "shells and missiles",
    "missiles": "shells and missiles",
    "rockets": "shells and missiles",
    "drones": "drones",
}
_EVENTS = {
    "killed": "killed",
    "died": "killed",
    "dead": "killed",
    "deaths": "killed",
    "fatalities": "killed",
    "lost": "killed",
    "die": "killed",
    "wounded": "wounded",
    "injured": "wounded",
    "injuries": "wounded",
    "sent": "sent",
    "send": "sent",
    "sending": "sent",
    "deploy": "sent",
    "deployed": "sent",
    "deployment": "sent",
    "dispatch": "sent",
    "dispatched": "sent",
    "dispatches": "sent",
    "supplied": "sent",
    "captured": "captured",
    "captive": "captured",
}
_VAGUE = {"hundreds": 100, "thousands": 1000, "dozens": 12, "tens of thousands": 10000}
_FIGURE = re.compile(
    r"(?<![\w,.])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?:\s*(?:to|-|–|and)\s*(\d{1,3}(?:,\d{3})+|\d+))?"
    r"(\s+(?:million|thousand))?|\b(tens of thousands|hundreds|thousands|dozens)\b",
    re.IGNORECASE,
)
_WORD = re.compile(r"[a-z]+")
_NOUN_WINDOW = 4
_EVENT_WINDOW = 12


@dataclass(frozen=True)
class Figure:
    """A number attached to a measured thing in one sentence."""

    thing: str
    event: str
    value: str
    """The figure as normalised text: '600', '25,000-30,000', 'thousands'."""
    vague: bool


def figures(text: str) -> list[Figure]:
    """Figures in a sentence that count a known kind of thing (soldiers, workers, shells...)."""
    found = []
    for match in _FIGURE.finditer(text):
        after = _WORD.findall(text[match.end() :].lower())
        noun = next((_NOUNS[w] for w in after[:_NOUN_WINDOW] if w in _NOUNS), None)
        if noun is None:
            continue
        window = _WORD.findall(text[max(0, match.start() - 80) :].lower())[: _EVENT_WINDOW * 2]
        event = next((_EVENTS[w] for w in window if w in _EVENTS), "")
        if match.group(4):
            value, vague = match.group(4).lower(), True
        else:
            value = match.group(1) + (f"-{match.group(2)}" if match.group(2) else "") + (match.group(3) or "")
            if _is_year(match.group(1)) or (
                "," not in match.group(1) and len(match.group(1)) < 2 and not match.group(3)
            ):
                continue
            vague = False
        found.append(Figure(thing=noun, event=event, value=_norm(value), vague=vague))
    return found


def _is_year(number: str) -> bool:
    return len(number) == 4 and number.isdigit() and 1900 <= int(number) <= 2100


def _norm(value: str) -> str:
    return " ".join(value.replace("–", "-").split())


@dataclass
class FoundConflict:
    """One disagreement: a topic, and each side as the indices of the items that state that figure."""

    topic: str
    values: list[str]
    sides: list[list[int]]


def find_conflicts(items: Sequence[tuple[int, str]]) -> list[FoundConflict]:
    """Group (source_id, sentence) items by measured thing; a thing with different precise figures is a conflict.

    Agreeing figures (6,000 engineers in three sources) are no conflict. Vague figures ("thousands") join a
    conflict as sides but never make one on their own.
    """
    by_thing: dict[tuple[str, str], dict[str, list[int]]] = {}
    precise: dict[tuple[str, str], set[str]] = {}
    sources: dict[tuple[str, str], set[int]] = {}
    for index, (source_id, text) in enumerate(items):
        for fig in figures(text):
            key = (fig.thing, fig.event)
            sides = by_thing.setdefault(key, {})
            if index not in sides.setdefault(fig.value, []):
                sides[fig.value].append(index)
            sources.setdefault(key, set()).add(source_id)
            if not fig.vague:
                precise.setdefault(key, set()).add(fig.value)
    conflicts = []
    for key, sides in by_thing.items():
        if len(precise.get(key, ())) < 2 or len(sources[key]) < 2:
            continue
        values = sorted(sides, key=lambda v: (v in _VAGUE, _magnitude(v)))
        topic = f"{key[0].capitalize()} {key[1]}".strip()
        conflicts.append(FoundConflict(topic=topic, values=values, sides=[sides[v] for v in values]))
    return conflicts


def _magnitude(value: str) -> float:
    if value in _VAGUE:
        return float(_VAGUE[value])
    first = re.match(r"[\d,.]+", value)
    number = float(first.group().replace(",", "")) if first else 0.0
    return number * (1e6 if "million" in value else 1e3 if "thousand" in value else 1)

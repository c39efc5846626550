"""Finding figures that disagree across sources: the same measured thing (soldiers killed, troops sent) with
different numbers. Works on any cited sentences, from the extractive engine or from verified model claims."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .brief import Citation, Conflict, Statement

if TYPE_CHECKING:
    from .verify import VerifiedClaim

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


_DIGIT_TOKEN = re.compile(r"\w*\d[\w,.]*")


def digit_tokens(text: str) -> set[str]:
    """Tokens that contain digits (figures, dates, codes), with thousands separators removed."""
    return {m.group().rstrip(".,").replace(",", "") for m in _DIGIT_TOKEN.finditer(text)}


def missed_conflicts(conflicts: list[Conflict], claims: list[VerifiedClaim]) -> list[Conflict]:
    """Disagreeing figures among the verified quotes that the model's conflicts leave out, as quoted sides.

    Whatever the model writes, a disagreement between sources is never dropped: each missing one is added with one
    verbatim quote per side, cited to its source.
    """
    shown = digit_tokens(" ".join(p.text + " " + c.quote for k in conflicts for p in k.positions for c in p.citations))
    added = []
    for found in find_conflicts([(c.source_id, c.citation.quote) for c in claims]):
        sides = [(v, s) for v, s in zip(found.values, found.sides, strict=True) if any(ch.isdigit() for ch in v)]
        if all(digit_tokens(value) <= shown for value, _ in sides):
            continue
        positions = [
            Statement(text=" ".join(claims[side[0]].citation.quote.split()), citations=[claims[side[0]].citation])
            for _, side in sides
        ]
        added.append(Conflict(topic=found.topic, positions=positions))
    return added


def quoted_conflicts(
    items: Sequence[tuple[int, str]], cite: Callable[[int], Citation], vague_budget: int
) -> list[Conflict]:
    """The conflicts among (source_id, sentence) items, each side as its sentences, one per source, cited with
    cite(index); vague sides ("thousands") only while their words stay within vague_budget."""
    found = find_conflicts(items)
    conflicts = []
    words = 0

    # Disagreements between sources first, then figures one source gives differently.
    def precise_sources(c: FoundConflict) -> int:
        return len(
            {
                items[i][0]
                for v, side in zip(c.values, c.sides, strict=True)
                for i in side
                if any(ch.isdigit() for ch in v)
            }
        )

    found.sort(key=lambda c: -precise_sources(c))
    for conflict in found:
        positions: list[Statement] = []
        for value, side in zip(conflict.values, conflict.sides, strict=True):
            vague = not any(ch.isdigit() for ch in value)
            side_words = min(len(items[i][1].split()) for i in side)
            if vague and words + side_words > vague_budget:
                continue
            # One sentence per side and source: the shortest states the figure with least else.
            per_source: dict[int, int] = {}
            for index in side:
                source = items[index][0]
                if source not in per_source or len(items[index][1]) < len(items[per_source[source]][1]):
                    per_source[source] = index
            for index in per_source.values():
                text = items[index][1]
                if all(p.text != text for p in positions):
                    positions.append(Statement(text=text, citations=[cite(index)]))
                    words += len(text.split())
        conflicts.append(Conflict(topic=conflict.topic, positions=positions))
    return conflicts

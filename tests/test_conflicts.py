"""Finding disagreeing figures about the same measured thing."""

from summarizer.conflicts import figures, find_conflicts


def test_figures_attach_numbers_to_things_and_events():
    (fig,) = figures("Greater than 6,000 North Korean troopers have died in the war.")
    assert (fig.thing, fig.event, fig.value, fig.vague) == ("soldiers", "killed", "6,000", False)
    (fig,) = figures("Pyongyang is set to deploy an additional 25,000 to 30,000 soldiers.")
    assert (fig.thing, fig.event, fig.value) == ("soldiers", "sent", "25,000-30,000")
    assert figures("The talks lasted 3 days in 2025 and 10 officials attended.") == []


def test_disagreement_across_sources_is_a_conflict_with_every_side():
    items = [
        (1, "Around 600 North Korean soldiers have been killed, according to Seoul."),
        (2, "More than 6,000 North Korean troops have died, British intelligence said."),
        (2, "Hundreds of its troopers have been killed."),
        (3, "North Korea agreed to send 6,000 military engineers."),
        (4, "Kim pledged to dispatch 6,000 army engineers and builders."),
    ]
    (conflict,) = find_conflicts(items)
    assert conflict.topic == "Soldiers killed"
    assert conflict.values == ["600", "6,000", "hundreds"]
    assert conflict.sides == [[0], [1], [2]]


def test_agreeing_or_vague_only_figures_are_no_conflict():
    agreeing = [(1, "Kim will send 6,000 engineers."), (2, "About 6,000 military engineers will be sent.")]
    assert find_conflicts(agreeing) == []
    vague = [(1, "Thousands of soldiers were sent."), (2, "Hundreds of troops were sent.")]
    assert find_conflicts(vague) == []
    one_source = [(1, "600 soldiers were killed."), (1, "6,000 soldiers were killed.")]
    assert find_conflicts(one_source) == []

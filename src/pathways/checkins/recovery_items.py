"""The recovery check-in: items written for Pathways for each CHIME process, and how they are scored.

CHIME (Leamy et al., 2011) names five recovery processes: Connectedness, Hope and optimism,
Identity, Meaning in life, Empowerment. Each has three items answered on a 0–4 scale
("not at all" … "completely"). A process score is the mean of its answered items scaled to
0–100 (mean / 4 × 100), given only when at least two of its three items were answered; a
skipped or declined item is left out, never counted as zero. Each of SAMHSA's four dimensions
(Health, Home, Purpose, Community) is a single self-rating from 0 to 10.
"""
from dataclasses import dataclass

ITEM_MAX = 4
MIN_ANSWERED_PER_PROCESS = 2
DIMENSION_MAX = 10

AGREEMENT = [(0, "Not at all"), (1, "A little"), (2, "Somewhat"), (3, "Mostly"), (4, "Completely")]


@dataclass(frozen=True)
class Process:
    key: str
    name: str
    items: tuple[tuple[str, str], ...]  # (item id, wording)


PROCESSES = (
    Process("connectedness", "Connectedness", (
        ("c1", "There are people I can turn to when things are hard."),
        ("c2", "I feel I belong somewhere — a group, a place, a community."),
        ("c3", "Lately I have spent time with people who are good for me."),
    )),
    Process("hope", "Hope and optimism", (
        ("h1", "I believe my life can keep getting better."),
        ("h2", "I can picture something good ahead of me."),
        ("h3", "When I slip, I can still find a way forward."),
    )),
    Process("identity", "Identity", (
        ("i1", "I see myself as more than my difficulties."),
        ("i2", "I like some things about the person I am becoming."),
        ("i3", "Others see who I really am, not a label."),
    )),
    Process("meaning", "Meaning in life", (
        ("m1", "What I do with my days matters to me."),
        ("m2", "I have roles that give my life purpose."),
        ("m3", "I know what is important to me."),
    )),
    Process("empowerment", "Empowerment", (
        ("e1", "I make the important decisions about my recovery."),
        ("e2", "I can use my strengths to handle what comes up."),
        ("e3", "I know how to get help when I want it."),
    )),
)

ITEM_IDS = {item_id for process in PROCESSES for item_id, _ in process.items}


def process_scores(answers: dict[str, int]) -> dict[str, float]:
    """CHIME process → score 0–100, for each process with enough answers."""
    scores = {}
    for process in PROCESSES:
        given = [answers[item_id] for item_id, _ in process.items if answers.get(item_id) is not None]
        if len(given) >= MIN_ANSWERED_PER_PROCESS:
            scores[process.key] = round(sum(given) / len(given) / ITEM_MAX * 100, 1)
    return scores

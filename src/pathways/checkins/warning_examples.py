"""Words offered to start an early-warning plan: what each stage means, and example signs and triggers.

Examples are offered, never assumed: the person adds one with a tap, changes its words, or leaves it.
Signs that a check-in pattern can watch for come from `warning_rules.RULES`, so each rule is offered
with its own example sign.
"""
from dataclasses import dataclass

from .warning_rules import RULES


@dataclass(frozen=True)
class Example:
    key: str
    text: str
    watch: str = ""  # the rule that watches for this sign, if one can


STAGE_DESCRIPTIONS = {
    "emotional": "Before any thought of using: feelings and self-care slipping, like sleeping badly, keeping to "
                 "myself or bottling things up.",
    "mental": "Part of me starts to think about using: cravings, remembering old people and places, telling myself "
              "it would be fine.",
    "physical": "Moving towards using, or a lapse. A lapse is information to learn from, not a failure.",
}

SIGN_EXAMPLES: dict[str, list[Example]] = {
    "emotional": [
        Example("skipping-meals", "Skipping meals"),
        Example("feelings-to-myself", "Keeping feelings to myself"),
        Example("snapping", "Snapping at people close to me"),
        Example("dropping-what-helps", "Dropping the things that usually help me"),
    ],
    "mental": [
        Example("old-places", "Thinking about old places"),
        Example("old-people", "Thinking about people I used with"),
        Example("just-once", "Telling myself once would be fine"),
        Example("good-times", "Remembering only the good times"),
    ],
    "physical": [
        Example("going-back", "Going to places where I used to use"),
        Example("getting-in-touch", "Getting in touch with someone I used with"),
        Example("within-reach", "Having what I would use within reach"),
        Example("a-lapse", "A lapse, even a small one"),
    ],
}
for _rule in RULES.values():
    SIGN_EXAMPLES[_rule.stage].insert(0, Example(_rule.key, _rule.example_sign, watch=_rule.key))

TRIGGER_EXAMPLES = [
    Example("payday", "Payday"),
    Example("arguments", "Arguments at home"),
    Example("evenings-alone", "Being alone in the evening"),
    Example("hard-dates", "Anniversaries and hard dates"),
    Example("pain", "Being in pain"),
    Example("celebrations", "Celebrations where others drink or use"),
]


def sign_example(stage: str, key: str) -> Example | None:
    return next((example for example in SIGN_EXAMPLES.get(stage, []) if example.key == key), None)


def trigger_example(key: str) -> Example | None:
    return next((example for example in TRIGGER_EXAMPLES if example.key == key), None)

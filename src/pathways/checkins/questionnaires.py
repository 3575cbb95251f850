"""The questionnaire engine: reads a FHIR R4 Questionnaire with Pathways scoring rules, scores answers.

Plain Python, no Django: the management command, the upload page, the data migration and the tests
all go through `parse()`, so a file is judged the same way wherever it comes from.

A Questionnaire is accepted when it has `resourceType` "Questionnaire", a `url`, a `title`, a FHIR
`status` and at least one question. Questions are items of type `choice` or `integer` (inside
`group`s if wanted; `display` items are shown as text). Each option is an `answerOption` with a
`valueInteger`, or a `valueCoding` carrying the standard ordinalValue extension (on the coding or on
the option) whose `valueDecimal` is a whole number. An `integer` question without options is
answered on the whole scale from itemMin to itemMax.

The scoring rules sit in one extension on the Questionnaire root, `SCORING_URL`, made of nested
extensions (each may appear once unless marked repeatable):

    method       valueCode "sum" (default) or "mean"
    itemMin      valueInteger, the lowest answer any question allows          (required)
    itemMax      valueInteger, the highest                                    (required)
    reverse      valueString linkId, repeatable: scored as itemMin + itemMax - answer
    minAnswered  valueInteger: fewer answered questions than this and there is no total;
                 absent means every question must be answered
    subscale     repeatable, nested: name (valueString), item (valueString linkId, repeatable),
                 minAnswered (valueInteger, optional)
    cutoff       repeatable, nested: min, max (valueInteger, inclusive), label (valueString);
                 bands may not overlap and must lie within the possible totals

Missing answers (skipped, or "prefer not to say") are never counted as zero. With "sum", when some
questions are unanswered but at least minAnswered are answered, the total is prorated: the mean of
the answered (reverse-scored) items times the number of items, rounded half-up to one decimal. With
"mean" it is the mean of the answered items, rounded the same way. A subscale follows the same rule
over its own items; its minAnswered, when not given, is the questionnaire's share of its items,
rounded up. A cut-off band is reached when the total's whole-number part lies in [min, max], so a
prorated 46.5 sits in the band 10–46, not in 47–60.

A question may carry one more extension, `RISK_URL`, to mark it as a risk item: an answer it lists is
routed like the daily check-in's answer about self-harm (the crisis page, alerts to the supporters the
person chose, once per rise a day). It holds nested extensions, each repeatable:

    some         valueInteger: an answer value (the option's value or ordinal) that shows some risk
    strong       valueInteger: an answer value that shows strong risk

Every value must be one of the question's answers, and may be listed once.
"""
import json
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

SCORING_URL = "https://pathways.example/fhir/StructureDefinition/questionnaire-scoring"
RISK_URL = "https://pathways.example/fhir/StructureDefinition/risk-answers"
RISK_LEVELS = ("some", "strong")  # in rising order
ORDINAL_URL = "http://hl7.org/fhir/StructureDefinition/ordinalValue"
DATA_ABSENT_URL = "http://hl7.org/fhir/StructureDefinition/data-absent-reason"
DECLINED = "asked-declined"

STATUSES = ("draft", "active", "retired", "unknown")
QUESTION_TYPES = ("choice", "integer")
UNSUPPORTED_ITEM_KEYS = {
    "enableWhen": "conditional questions (enableWhen) are not supported: every question is always shown",
    "answerValueSet": "options from a value set are not supported: list them as answerOption",
    "initial": "pre-filled answers are not supported: every question starts unanswered",
}
MAX_SCALE_WIDTH = 100  # itemMax - itemMin; wider scales cannot be shown as a row of choices
MAX_LENGTHS = {"url": 300, "version": 40, "title": 200}
# Lists and objects inside one another. A questionnaire with groups in groups needs about a dozen levels;
# far deeper text is not a questionnaire, and reading it would run Python out of stack (RecursionError).
MAX_NESTING = 64
TOO_DEEP = (f"lists and objects are nested more than {MAX_NESTING} levels deep; a questionnaire needs far "
            "fewer, so this is probably not a questionnaire file")
_NESTING_TOKENS = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]', re.DOTALL)  # a whole string, or a bracket


@dataclass(frozen=True)
class Problem:
    path: str
    reason: str

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


class QuestionnaireError(ValueError):
    """A Questionnaire file that cannot be loaded, with every problem found (path and reason)."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(problem) for problem in self.problems))


class AnswerError(ValueError):
    """Answers that do not fit the questionnaire: an unknown question or a value it does not allow."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(problem) for problem in self.problems))


@dataclass(frozen=True)
class Option:
    value: int
    label: str
    coding: dict | None = None  # the Coding as written, for options given as valueCoding


@dataclass(frozen=True)
class Question:
    link_id: str
    text: str
    options: tuple[Option, ...]
    section: str = ""  # the text of the group(s) it sits in, for headings
    risk: tuple[tuple[int, str], ...] = ()  # (answer value, "some" or "strong") for a risk item

    def option(self, value: int) -> Option | None:
        return next((option for option in self.options if option.value == value), None)

    def risk_of(self, value: int) -> str:
        return next((level for risky, level in self.risk if risky == value), "")


@dataclass(frozen=True)
class Display:
    link_id: str
    text: str
    section: str = ""


@dataclass(frozen=True)
class Subscale:
    name: str
    items: tuple[str, ...]
    min_answered: int


@dataclass(frozen=True)
class Cutoff:
    min: int
    max: int
    label: str


@dataclass(frozen=True)
class Scoring:
    method: str
    item_min: int
    item_max: int
    reverse: frozenset[str]
    min_answered: int
    subscales: tuple[Subscale, ...] = ()
    cutoffs: tuple[Cutoff, ...] = ()


@dataclass(frozen=True)
class Definition:
    url: str
    version: str
    title: str
    status: str
    description: str
    entries: tuple[Question | Display, ...]  # in the order they are shown
    scoring: Scoring
    groups: dict[str, tuple[str, ...]] = field(default_factory=dict)  # group linkId → child linkIds
    roots: tuple[str, ...] = ()  # linkIds of the top-level items, in order

    @property
    def questions(self) -> tuple[Question, ...]:
        return tuple(entry for entry in self.entries if isinstance(entry, Question))

    @property
    def canonical(self) -> str:
        return f"{self.url}|{self.version}" if self.version else self.url

    def range_for(self, count: int) -> tuple[int, int]:
        """The lowest and highest score `count` items can give under this questionnaire's method."""
        if self.scoring.method == "mean":
            return self.scoring.item_min, self.scoring.item_max
        return count * self.scoring.item_min, count * self.scoring.item_max

    @property
    def range(self) -> tuple[int, int]:
        return self.range_for(len(self.questions))


# Reading the file --------------------------------------------------------------------------------

def load_json(text: str | bytes) -> Any:
    """JSON as FHIR writes it (no NaN or Infinity), or a QuestionnaireError naming line and column."""
    def refuse_constant(name):
        raise ValueError(f"{name} is not allowed in FHIR JSON")

    try:
        if isinstance(text, bytes):
            text = text.decode("utf-8-sig")
        else:
            text = text.removeprefix("\ufeff")
        _refuse_deep_nesting(text)
        return json.loads(text, parse_constant=refuse_constant)
    except QuestionnaireError:
        raise
    except UnicodeDecodeError:
        raise QuestionnaireError([Problem("(file)", "is not UTF-8 text")]) from None
    except RecursionError:
        raise QuestionnaireError([Problem("(file)", TOO_DEEP)]) from None
    except json.JSONDecodeError as error:
        raise QuestionnaireError([Problem(f"line {error.lineno} column {error.colno}",
                                          f"not valid JSON: {error.msg}")]) from None
    except ValueError as error:
        raise QuestionnaireError([Problem("(file)", f"not valid JSON: {error}")]) from None


def _refuse_deep_nesting(text: str) -> None:
    """QuestionnaireError at the first bracket that opens level MAX_NESTING + 1 (brackets in strings don't count)."""
    depth = 0
    for token in _NESTING_TOKENS.finditer(text):
        bracket = token.group()
        if bracket in ("[", "{"):
            depth += 1
            if depth > MAX_NESTING:
                at = token.start()
                line, column = text.count("\n", 0, at) + 1, at - text.rfind("\n", 0, at)
                raise QuestionnaireError([Problem(f"line {line} column {column}", TOO_DEEP)])
        elif bracket in ("]", "}"):
            depth = max(depth - 1, 0)


def parse(resource: Any) -> Definition:
    """Check a Questionnaire resource and return its definition, or raise QuestionnaireError listing every problem."""
    return _Parser().parse(resource)


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _text(value: Any) -> bool:
    return isinstance(value, str) and value.strip() != ""


class _Parser:
    def __init__(self):
        self.problems: list[Problem] = []
        self.seen_link_ids: dict[str, str] = {}

    def fail(self, path: str, reason: str) -> None:
        self.problems.append(Problem(path, reason))

    def parse(self, resource: Any) -> Definition:
        if not isinstance(resource, dict):
            raise QuestionnaireError([Problem("(root)", "must be a JSON object holding one Questionnaire")])
        if resource.get("resourceType") != "Questionnaire":
            raise QuestionnaireError([Problem(
                "resourceType", f'must be "Questionnaire", not {json.dumps(resource.get("resourceType"))}')])
        url = self.string(resource, "url", required=True)
        if url and "|" in url:
            self.fail("url", 'must not contain "|": the version goes in "version"')
        version = self.string(resource, "version")
        title = self.string(resource, "title", required=True)
        status = resource.get("status")
        if status not in STATUSES:
            self.fail("status", f"must be one of {', '.join(STATUSES)}, not {json.dumps(status)}")
        description = resource.get("description", "")
        if not isinstance(description, str):
            self.fail("description", "must be text")
            description = ""
        entries: list[Question | Display] = []
        groups: dict[str, tuple[str, ...]] = {}
        items = resource.get("item")
        if not isinstance(items, list) or not items:
            self.fail("item", "must be a list with at least one question")
            items = []
        scoring_extension = self.scoring_extension(resource)
        item_range = self.item_range(scoring_extension)
        roots = [self.item(item, f"item[{index}]", section="", entries=entries, groups=groups, item_range=item_range)
                 for index, item in enumerate(items)]
        questions = [entry for entry in entries if isinstance(entry, Question)]
        if items and not questions and not self.problems:
            self.fail("item", "holds no question of type choice or integer, so there is nothing to score")
        scoring = self.scoring(scoring_extension, item_range, questions)
        if self.problems:
            raise QuestionnaireError(self.problems)
        return Definition(url=url, version=version, title=title.strip(), status=status, description=description,
                          entries=tuple(entries), scoring=scoring, groups=groups, roots=tuple(roots))

    def string(self, resource: dict, key: str, required: bool = False) -> str:
        value = resource.get(key)
        if value is None and not required:
            return ""
        if not _text(value):
            self.fail(key, "is required and must be text" if required else "must be text")
            return ""
        if len(value) > MAX_LENGTHS[key]:
            self.fail(key, f"is longer than {MAX_LENGTHS[key]} characters")
        return value

    # Items ---------------------------------------------------------------------------------------

    def item(self, item: Any, path: str, *, section: str, entries: list, groups: dict,
             item_range: tuple[int, int] | None) -> str | None:
        if not isinstance(item, dict):
            self.fail(path, "must be an object")
            return None
        link_id = item.get("linkId")
        if not _text(link_id):
            self.fail(f"{path}.linkId", "is required and must be text")
            link_id = None
        elif link_id in self.seen_link_ids:
            self.fail(f"{path}.linkId", f'"{link_id}" is used again (first at {self.seen_link_ids[link_id]})')
        else:
            self.seen_link_ids[link_id] = path
        kind = item.get("type")
        text = item.get("text", "")
        if not isinstance(text, str):
            self.fail(f"{path}.text", "must be text")
            text = ""
        label = f"{item['prefix']} {text}".strip() if _text(item.get("prefix")) else text.strip()
        for key, reason in UNSUPPORTED_ITEM_KEYS.items():
            if key in item:
                self.fail(f"{path}.{key}", reason)
        if item.get("repeats") is True:
            self.fail(f"{path}.repeats", "questions that take several answers cannot be scored")
        children = item.get("item")
        if kind in ("group", "display") and self.has_risk_answers(item):
            self.fail(f"{path}.extension", "only a choice or integer question can be a risk item")
        if kind == "group":
            if not isinstance(children, list) or not children:
                self.fail(f"{path}.item", "a group must hold a list of at least one item")
                children = []
            if "answerOption" in item:
                self.fail(f"{path}.answerOption", "a group has no answers; put the options on its questions")
            inner = " — ".join(part for part in (section, label) if part)
            child_ids = []
            for index, child in enumerate(children):
                child_id = self.item(child, f"{path}.item[{index}]", section=inner, entries=entries, groups=groups,
                                     item_range=item_range)
                if child_id:
                    child_ids.append(child_id)
            if link_id:
                groups[link_id] = tuple(child_ids)
            return link_id
        if children is not None:
            self.fail(f"{path}.item", "only a group may hold items")
        if kind == "display":
            if "answerOption" in item:
                self.fail(f"{path}.answerOption", "display text has no answers")
            entries.append(Display(link_id=link_id or "", text=label, section=section))
            return link_id
        if kind not in QUESTION_TYPES:
            self.fail(f"{path}.type", f"must be group, display, choice or integer, not {json.dumps(kind)}")
            return link_id
        if not label:
            self.fail(f"{path}.text", "is required: it is the question people read")
        options = self.options(item, path, kind, item_range)
        risk = self.risk_answers(item, path, options)
        entries.append(Question(link_id=link_id or "", text=label, options=options, section=section, risk=risk))
        return link_id

    @staticmethod
    def has_risk_answers(item: dict) -> bool:
        extensions = item.get("extension")
        return isinstance(extensions, list) and any(isinstance(e, dict) and e.get("url") == RISK_URL
                                                    for e in extensions)

    def risk_answers(self, item: dict, path: str, options: tuple[Option, ...]) -> tuple[tuple[int, str], ...]:
        """The answers an organisation marked as showing risk (RISK_URL), checked against the options."""
        extensions = item.get("extension")
        found = [(index, e) for index, e in enumerate(extensions) if isinstance(e, dict) and e.get("url") == RISK_URL] \
            if isinstance(extensions, list) else []
        if not found:
            return ()
        index, extension = found[0]
        base = f"{path}.extension[{index}]"
        if len(found) > 1:
            self.fail(base, "the risk answers extension appears more than once; list every risk answer in one")
        parts = extension.get("extension")
        if not isinstance(parts, list) or not parts:
            self.fail(base, 'must hold its answers as nested extensions "some" or "strong" with valueInteger')
            return ()
        values = {option.value for option in options}
        risk: list[tuple[int, str]] = []
        for part_index, part in enumerate(parts):
            part_path = f"{base}.extension[{part_index}]"
            level = part.get("url") if isinstance(part, dict) else None
            if level not in RISK_LEVELS:
                self.fail(part_path, f'must be "some" or "strong", not {json.dumps(level)}')
                continue
            value = self.value(part, part_path, "valueInteger")
            if value is None:
                continue
            if value not in values:
                self.fail(part_path, f"{value} is not one of this question's answers")
            elif any(value == earlier for earlier, _ in risk):
                self.fail(part_path, f"{value} is listed as a risk answer already")
            else:
                risk.append((value, level))
        return tuple(risk)

    def options(self, item: dict, path: str, kind: str, item_range: tuple[int, int] | None) -> tuple[Option, ...]:
        raw = item.get("answerOption")
        if raw is None:
            if kind == "choice":
                self.fail(f"{path}.answerOption", "a choice question needs a list of answer options")
                return ()
            if item_range is None:
                return ()
            return tuple(Option(value=value, label=str(value)) for value in range(item_range[0], item_range[1] + 1))
        if not isinstance(raw, list) or not raw:
            self.fail(f"{path}.answerOption", "must be a list with at least one option")
            return ()
        options: list[Option] = []
        for index, entry in enumerate(raw):
            option_path = f"{path}.answerOption[{index}]"
            option = self.option(entry, option_path, kind)
            if option is None:
                continue
            if item_range and not item_range[0] <= option.value <= item_range[1]:
                self.fail(option_path, f"value {option.value} is outside the scoring range "
                                       f"{item_range[0]} to {item_range[1]} (itemMin, itemMax)")
            elif any(other.value == option.value for other in options):
                self.fail(option_path, f"value {option.value} is given to another option of this question already")
            else:
                options.append(option)
        return tuple(options)

    def option(self, entry: Any, path: str, kind: str) -> Option | None:
        if not isinstance(entry, dict):
            self.fail(path, "must be an object")
            return None
        values = [key for key in entry if key.startswith("value")]
        if len(values) != 1:
            self.fail(path, "needs exactly one value: valueInteger, or valueCoding with an ordinalValue extension")
            return None
        if "valueInteger" in entry:
            value = entry["valueInteger"]
            if not _is_int(value):
                self.fail(f"{path}.valueInteger", "must be a whole number")
                return None
            return Option(value=value, label=str(value))
        if "valueCoding" in entry and kind == "choice":
            coding = entry["valueCoding"]
            if not isinstance(coding, dict) or not (_text(coding.get("code")) or _text(coding.get("display"))):
                self.fail(f"{path}.valueCoding", "must be a Coding with a code or a display")
                return None
            ordinal = self.ordinal(coding.get("extension"), f"{path}.valueCoding")
            if ordinal is None:
                ordinal = self.ordinal(entry.get("extension"), path)
            if ordinal is None:
                self.fail(path, f"a coded option needs the ordinalValue extension ({ORDINAL_URL}) to be scored")
                return None
            if ordinal is False:
                return None
            return Option(value=ordinal, label=coding.get("display") or coding["code"], coding=coding)
        self.fail(path, f"{values[0]} cannot be scored: use valueInteger"
                        + (", or valueCoding with an ordinalValue extension" if kind == "choice" else ""))
        return None

    def ordinal(self, extensions: Any, path: str) -> int | None | bool:
        """The whole-number ordinal value; None when absent, False when present but wrong (already reported)."""
        if not isinstance(extensions, list):
            return None
        for index, extension in enumerate(extensions):
            if isinstance(extension, dict) and extension.get("url") == ORDINAL_URL:
                value = extension.get("valueDecimal")
                if isinstance(value, bool) or not isinstance(value, int | float) or value != int(value):
                    self.fail(f"{path}.extension[{index}].valueDecimal",
                              "the ordinal value must be a whole number to be scored")
                    return False
                return int(value)
        return None

    # Scoring rules -------------------------------------------------------------------------------

    def scoring_extension(self, resource: dict) -> list | None:
        extensions = resource.get("extension")
        found = [e for e in extensions if isinstance(e, dict) and e.get("url") == SCORING_URL] \
            if isinstance(extensions, list) else []
        if not found:
            self.fail("extension[scoring]", f"the scoring rules are missing: add an extension with url {SCORING_URL}")
            return None
        if len(found) > 1:
            self.fail("extension[scoring]", "appears more than once; give one set of scoring rules")
        rules = found[0].get("extension")
        if not isinstance(rules, list) or not rules:
            self.fail("extension[scoring]", "must hold its rules as a list of nested extensions")
            return None
        return rules

    def item_range(self, rules: list | None) -> tuple[int, int] | None:
        if rules is None:
            return None
        low = self.single(rules, "itemMin", "valueInteger", required=True)
        high = self.single(rules, "itemMax", "valueInteger", required=True)
        if low is None or high is None:
            return None
        if low >= high:
            self.fail("extension[scoring].itemMax", f"must be greater than itemMin ({low})")
            return None
        if high - low > MAX_SCALE_WIDTH:
            self.fail("extension[scoring].itemMax", f"itemMax - itemMin is at most {MAX_SCALE_WIDTH}")
            return None
        return low, high

    def single(self, rules: list, name: str, value_key: str, *, required: bool = False, base="extension[scoring]"):
        matches = [rule for rule in rules if isinstance(rule, dict) and rule.get("url") == name]
        if not matches:
            if required:
                self.fail(f"{base}.{name}", f"is required ({value_key})")
            return None
        if len(matches) > 1:
            self.fail(f"{base}.{name}", "may be given only once")
        return self.value(matches[0], f"{base}.{name}", value_key)

    def value(self, rule: dict, path: str, value_key: str):
        value = rule.get(value_key)
        valid = _is_int(value) if value_key == "valueInteger" else _text(value)
        if not valid:
            self.fail(path, f"needs {value_key}" + (" (a whole number)" if value_key == "valueInteger" else " (text)"))
            return None
        return value

    def repeated(self, rules: list, name: str) -> list[tuple[str, dict]]:
        """Each repetition of a rule with its path, e.g. ("extension[scoring].cutoff[1]", {...})."""
        found = [rule for rule in rules if isinstance(rule, dict) and rule.get("url") == name]
        return [(f"extension[scoring].{name}[{index}]", rule) for index, rule in enumerate(found)]

    def scoring(self, rules: list | None, item_range: tuple[int, int] | None, questions: list[Question]) -> Scoring | None:
        if rules is None:
            return None
        known = {"method", "itemMin", "itemMax", "reverse", "minAnswered", "subscale", "cutoff"}
        for index, rule in enumerate(rules):
            if not isinstance(rule, dict) or rule.get("url") not in known:
                url = rule.get("url") if isinstance(rule, dict) else None
                self.fail(f"extension[scoring].extension[{index}]",
                          f"unknown rule {json.dumps(url)}; the rules are {', '.join(sorted(known))}")
        method = self.single(rules, "method", "valueCode") or "sum"
        if method not in ("sum", "mean"):
            self.fail("extension[scoring].method", f'must be "sum" or "mean", not {json.dumps(method)}')
        question_ids = {question.link_id for question in questions}
        count = len(questions)

        reverse = set()
        for path, rule in self.repeated(rules, "reverse"):
            link_id = self.value(rule, path, "valueString")
            if link_id is None:
                continue
            if link_id not in question_ids:
                self.fail(path, f'"{link_id}" is not the linkId of a choice or integer question')
            elif link_id in reverse:
                self.fail(path, f'"{link_id}" is already reverse-scored')
            reverse.add(link_id)

        min_answered = self.single(rules, "minAnswered", "valueInteger")
        if min_answered is None:
            min_answered = count
        elif count and not 1 <= min_answered <= count:
            self.fail("extension[scoring].minAnswered", f"must be between 1 and the number of questions ({count})")

        subscales: list[Subscale] = []
        for path, rule in self.repeated(rules, "subscale"):
            subscale = self.subscale(path, rule, question_ids, min_answered, count)
            if subscale and any(other.name == subscale.name for other in subscales):
                self.fail(f"{path}.name", f'"{subscale.name}" names another subscale too')
            elif subscale:
                subscales.append(subscale)

        cutoffs = self.cutoffs(rules, item_range, count, method)
        if self.problems or item_range is None:
            return None
        return Scoring(method=method, item_min=item_range[0], item_max=item_range[1], reverse=frozenset(reverse),
                       min_answered=min_answered, subscales=tuple(subscales), cutoffs=tuple(cutoffs))

    def subscale(self, path: str, rule: dict, question_ids: set[str], min_answered: int, count: int) -> Subscale | None:
        parts = rule.get("extension")
        if not isinstance(parts, list):
            self.fail(path, "must hold name and item as nested extensions")
            return None
        for index, part in enumerate(parts):
            if not isinstance(part, dict) or part.get("url") not in ("name", "item", "minAnswered"):
                self.fail(f"{path}.extension[{index}]", "a subscale holds only name, item and minAnswered")
        name = self.single(parts, "name", "valueString", required=True, base=path)
        items: list[str] = []
        found = [part for part in parts if isinstance(part, dict) and part.get("url") == "item"]
        if not found:
            self.fail(f"{path}.item", "a subscale needs at least one item (valueString linkId)")
        for index, part in enumerate(found):
            item_path = f"{path}.item[{index}]"
            link_id = self.value(part, item_path, "valueString")
            if link_id is None:
                continue
            if link_id not in question_ids:
                self.fail(item_path, f'"{link_id}" is not the linkId of a choice or integer question')
            elif link_id in items:
                self.fail(item_path, f'"{link_id}" is in this subscale already')
            else:
                items.append(link_id)
        own_minimum = self.single(parts, "minAnswered", "valueInteger", base=path)
        if own_minimum is not None and items and not 1 <= own_minimum <= len(items):
            self.fail(f"{path}.minAnswered", f"must be between 1 and the subscale's number of items ({len(items)})")
        if name is None or not items:
            return None
        if own_minimum is None:
            own_minimum = max(1, math.ceil(Fraction(min_answered * len(items), count or 1)))
        return Subscale(name=name.strip(), items=tuple(items), min_answered=own_minimum)

    def cutoffs(self, rules: list, item_range: tuple[int, int] | None, count: int, method: str | None) -> list[Cutoff]:
        cutoffs: list[tuple[str, Cutoff]] = []
        for path, rule in self.repeated(rules, "cutoff"):
            parts = rule.get("extension")
            if not isinstance(parts, list):
                self.fail(path, "must hold min, max and label as nested extensions")
                continue
            low = self.single(parts, "min", "valueInteger", required=True, base=path)
            high = self.single(parts, "max", "valueInteger", required=True, base=path)
            label = self.single(parts, "label", "valueString", required=True, base=path)
            if low is None or high is None or label is None:
                continue
            if low > high:
                self.fail(path, f"min ({low}) is greater than max ({high})")
                continue
            if item_range and count and method in ("sum", "mean"):
                lowest, highest = (item_range if method == "mean" else (count * item_range[0], count * item_range[1]))
                if low < lowest or high > highest:
                    self.fail(path, f"the band {low} to {high} goes outside the possible scores {lowest} to {highest}")
                    continue
            cutoffs.append((path, Cutoff(min=low, max=high, label=label.strip())))
        cutoffs.sort(key=lambda pair: pair[1].min)
        for (_, before), (path, after) in zip(cutoffs, cutoffs[1:], strict=False):
            if after.min <= before.max:
                self.fail(path, f"the band {after.min} to {after.max} overlaps the band {before.min} to {before.max}")
        return [cutoff for _, cutoff in cutoffs]


# Scoring -----------------------------------------------------------------------------------------

def _round(value: Fraction) -> int | float:
    """Half-up to one decimal; whole numbers stay whole so a complete sum reads as 34, not 34.0."""
    rounded = (Decimal(value.numerator) / Decimal(value.denominator)).quantize(Decimal("0.1"), ROUND_HALF_UP)
    return int(rounded) if rounded == rounded.to_integral_value() else float(rounded)


def check_answers(definition: Definition, answers: Mapping[str, int | None]) -> dict[str, int]:
    """The answered questions, or AnswerError for an unknown question or a value it does not offer."""
    questions = {question.link_id: question for question in definition.questions}
    problems = []
    answered = {}
    for link_id, value in answers.items():
        if value is None:
            continue
        question = questions.get(link_id)
        if question is None:
            problems.append(Problem(link_id, "is not a question of this questionnaire"))
        elif not _is_int(value):
            problems.append(Problem(link_id, f"the answer must be a whole number, not {value!r}"))
        elif question.option(value) is None:
            low, high = definition.scoring.item_min, definition.scoring.item_max
            reason = (f"the answer {value} is outside the valid range {low} to {high}" if not low <= value <= high
                      else f"the answer {value} is not one of this question's options")
            problems.append(Problem(link_id, reason))
        else:
            answered[link_id] = value
    if problems:
        raise AnswerError(problems)
    return answered


def _combine(definition: Definition, values: list[int], count: int, minimum: int) -> int | float | None:
    if len(values) < minimum or not values:
        return None
    mean = Fraction(sum(values), len(values))
    return _round(mean if definition.scoring.method == "mean" else mean * count)


def score(definition: Definition, answers: Mapping[str, int | None]) -> dict:
    """Score answers (linkId → value, None or absent for unanswered) by the questionnaire's rules."""
    answered = check_answers(definition, answers)
    rules = definition.scoring
    scored = {link_id: (rules.item_min + rules.item_max - value if link_id in rules.reverse else value)
              for link_id, value in answered.items()}
    count = len(definition.questions)
    total = _combine(definition, list(scored.values()), count, rules.min_answered)
    subscales = {
        subscale.name: _combine(definition, [scored[i] for i in subscale.items if i in scored], len(subscale.items),
                                subscale.min_answered)
        for subscale in rules.subscales
    }
    label = None
    if total is not None:
        label = next((c.label for c in rules.cutoffs if c.min <= math.floor(total) <= c.max), None)
    return {"total": total, "range": list(definition.range), "subscales": subscales, "label": label,
            "answered": len(scored), "of": count}


def risk_level(definition: Definition, answers: Mapping[str, int | None]) -> str:
    """The highest risk level the answers show ("some", "strong"), or "" when no risk answer was given."""
    found = {question.risk_of(answers[question.link_id]) for question in definition.questions
             if question.risk and answers.get(question.link_id) is not None}
    return next((level for level in reversed(RISK_LEVELS) if level in found), "")


def subscale_ranges(definition: Definition) -> dict[str, list[int]]:
    return {s.name: list(definition.range_for(len(s.items))) for s in definition.scoring.subscales}


# QuestionnaireResponse ---------------------------------------------------------------------------

def response_resource(definition: Definition, answers: Mapping[str, int | None], *, authored: datetime | str,
                      declined: Iterable[str] = ()) -> dict:
    """A FHIR R4 QuestionnaireResponse of the answers. Groups are kept; skipped questions are left out;
    questions answered "prefer not to say" carry the data-absent-reason "asked-declined"."""
    answered = check_answers(definition, answers)
    declined = set(declined) - set(answered)
    questions = {question.link_id: question for question in definition.questions}

    def entry(link_id: str) -> dict | None:
        if link_id in definition.groups:
            children = [child for child in (entry(c) for c in definition.groups[link_id]) if child]
            return {"linkId": link_id, "item": children} if children else None
        if link_id in answered:
            option = questions[link_id].option(answered[link_id])
            value = {"valueCoding": option.coding} if option.coding else {"valueInteger": option.value}
            return {"linkId": link_id, "answer": [value]}
        if link_id in declined and link_id in questions:
            return {"linkId": link_id, "extension": [{"url": DATA_ABSENT_URL, "valueCode": DECLINED}]}
        return None

    return {
        "resourceType": "QuestionnaireResponse",
        "questionnaire": definition.canonical,
        "status": "completed",
        "authored": authored if isinstance(authored, str) else authored.isoformat(),
        "item": [item for item in (entry(link_id) for link_id in definition.roots) if item],
    }


def answers_from_response(definition: Definition, resource: dict) -> tuple[dict[str, int], set[str]]:
    """Read back (answers, declined) from a QuestionnaireResponse made by `response_resource`."""
    answers: dict[str, int] = {}
    declined: set[str] = set()
    questions = {question.link_id: question for question in definition.questions}

    def walk(items):
        for item in items or []:
            walk(item.get("item"))
            question = questions.get(item.get("linkId"))
            if question is None:
                continue
            for answer in item.get("answer", [])[:1]:
                if "valueInteger" in answer:
                    answers[question.link_id] = answer["valueInteger"]
                elif "valueCoding" in answer:
                    coding = answer["valueCoding"]
                    option = next((o for o in question.options if o.coding and o.coding.get("code") == coding.get("code")
                                   and o.coding.get("system") == coding.get("system")), None)
                    if option is not None:
                        answers[question.link_id] = option.value
            if any(e.get("url") == DATA_ABSENT_URL and e.get("valueCode") == DECLINED for e in item.get("extension", [])):
                declined.add(question.link_id)

    walk(resource.get("item"))
    return answers, declined


def answer_summary(definition: Definition, resource: dict) -> list[tuple[str, str]]:
    """(question, answer in words) for each question, with "Skipped" and "Prefer not to say" as given."""
    answers, declined = answers_from_response(definition, resource)
    rows = []
    for question in definition.questions:
        if question.link_id in answers:
            option = question.option(answers[question.link_id])
            rows.append((question.text, option.label if option else str(answers[question.link_id])))
        else:
            rows.append((question.text, "Prefer not to say" if question.link_id in declined else "Skipped"))
    return rows

"""MITI behaviour codes: the shipped model loads only when whole, codes clear cases as a coder would, and the
summary counts them by MITI 4.2.1's arithmetic. How good it is on our held-aside examples is measured by
`python -m training.mi.bench --behaviours`."""
import numpy as np
import pytest

from pathways.mi import behaviours
from pathways.mi.analysis import analyze
from pathways.mi.behaviours import ADHERENT, BEHAVIOURS, NON_ADHERENT, BehaviourModelError
from pathways.mi.coder import code_utterances
from pathways.mi.codes import COUNSELLOR, PERSON, Coding
from pathways.mi.encoder import MODEL_DIR
from pathways.mi.transcript import Utterance

SHIPPED = MODEL_DIR / "behaviours.npz"


def turns(*pairs):
    return [Utterance(i, speaker, text) for i, (speaker, text) in enumerate(pairs)]


def heard(text: str) -> tuple[str, ...]:
    return code_utterances(turns((PERSON, "I had a few too many again on Friday."), (COUNSELLOR, text)))[1].behaviours


def test_a_label_is_heard_as_confronting():
    assert "confront" in heard("You're an alcoholic and you're in denial.")


@pytest.mark.parametrize("text", ["So why don't you just stop drinking?",
                                  "Why can't you just put the bottle down like everyone else?"])
def test_an_argument_for_change_is_never_heard_as_adherent(text):
    found = heard(text)
    assert {"confront", "persuade"} & set(found)
    assert not set(ADHERENT) & set(found)


# Not "What would you like to talk about today?": asking for the person's agenda is seeking collaboration.
@pytest.mark.parametrize("text", ["How many days did you drink last week?",
                                  "You've been drinking more since the job ended.",
                                  "Mm-hmm."])
def test_plain_questions_and_reflections_carry_no_behaviour(text):
    assert heard(text) == ()


def test_the_persons_turns_never_carry_behaviours_even_when_they_sound_like_one():
    codings = code_utterances(turns((COUNSELLOR, "How was the weekend?"),
                                    (PERSON, "You're in denial if you think I can stop just like that.")))
    assert codings[1].behaviours == ()


def test_json_has_behaviours_on_every_counsellor_utterance_and_none_on_the_persons():
    session = turns((COUNSELLOR, "What brings you in?"), (PERSON, "My wife says I gamble too much."),
                    (COUNSELLOR, "You're a gambler who can't stop, and you know it."),
                    (PERSON, "That's not fair."), (COUNSELLOR, "It's your choice what you do next."))
    data = analyze(session).to_dict()
    for u in data["utterances"]:
        if u["speaker"] == COUNSELLOR:
            assert isinstance(u["behaviours"], list) and set(u["behaviours"]) <= set(BEHAVIOURS)
        else:
            assert "behaviours" not in u
    assert "confront" in data["utterances"][2]["behaviours"]


def test_summary_counts_every_behaviour_by_mitis_arithmetic():
    session = turns((COUNSELLOR, "a"), (PERSON, "b"), (COUNSELLOR, "c"), (COUNSELLOR, "d"), (PERSON, "e"),
                    (COUNSELLOR, "f"), (COUNSELLOR, "g"), (COUNSELLOR, "h"))
    codings = [Coding("reflection", "complex", 0.9, ("affirm", "emphasizing_autonomy")),
               Coding("change", "", 0.8),
               Coding("input", "advice", 0.9, ("persuade",)),
               Coding("question", "open", 0.9, ("seeking_collaboration",)),
               # A person's turn is never counted, even if it were handed behaviours.
               Coding("sustain", "", 0.7, ("confront",)),
               Coding("input", "information", 0.9, ("giving_information",)),
               Coding("input", "advice", 0.9, ("persuade_with_permission", "emphasizing_autonomy")),
               Coding("reflection", "simple", 0.9, ("confront",))]
    summary = analyze(session, codings).to_dict()["summary"]["behaviours"]
    assert summary["counts"] == {"giving_information": 1, "persuade": 1, "persuade_with_permission": 1,
                                 "confront": 1, "affirm": 1, "seeking_collaboration": 1, "emphasizing_autonomy": 2}
    assert summary["mi_adherent"] == 4  # affirm 1 + seeking collaboration 1 + emphasizing autonomy 2
    assert summary["mi_non_adherent"] == 2  # confront 1 + persuade 1; with permission is neither
    assert "heard 4 times" in summary["reading"] and "twice" in summary["reading"]
    assert "More adherent than non-adherent" in summary["reading"]


@pytest.mark.parametrize(("found", "words"), [
    ([], "No affirming"),
    (["confront"], "MITI 4.2.1 looks for more adherent than non-adherent"),
    (["affirm", "persuade"], "MITI 4.2.1 looks for more adherent than non-adherent"),
])
def test_the_reading_never_praises_a_session_without_more_adherent_behaviour(found, words):
    session = turns(*[(COUNSELLOR, f"turn {i}") for i in range(len(found) or 1)])
    codings = [Coding("other", "", 0.5, (b,)) for b in found] or [Coding("other", "", 0.5)]
    reading = analyze(session, codings).behaviours.reading
    assert words in reading and "is what MITI 4.2.1 looks for" not in reading


def test_adherent_and_non_adherent_follow_miti():
    assert set(ADHERENT) == {"affirm", "seeking_collaboration", "emphasizing_autonomy"}
    assert set(NON_ADHERENT) == {"confront", "persuade"}


def test_persuading_with_and_without_permission_exclude_each_other():
    thresholds = np.full(len(BEHAVIOURS), 0.5)
    probabilities = np.zeros(len(BEHAVIOURS))
    probabilities[BEHAVIOURS.index("persuade")] = 0.6
    probabilities[BEHAVIOURS.index("persuade_with_permission")] = 0.9
    probabilities[BEHAVIOURS.index("emphasizing_autonomy")] = 0.5
    assert behaviours.decide(probabilities, thresholds) == ("persuade_with_permission", "emphasizing_autonomy")


def test_the_saved_model_reloads_to_the_same_answers(tmp_path):
    model = behaviours.load(SHIPPED)
    behaviours.save(model, tmp_path / "again.npz")
    again = behaviours.load(tmp_path / "again.npz")
    texts = ["You should stop.", "It's up to you."]
    embeddings = np.random.default_rng(0).normal(size=(2, 8 * 384)).astype(np.float32)
    assert np.allclose(model.probabilities(texts, embeddings), again.probabilities(texts, embeddings))


def test_the_shipped_model_is_small():
    assert SHIPPED.stat().st_size < 1_000_000


def _shipped_parts() -> dict:
    with np.load(SHIPPED, allow_pickle=False) as saved:
        return {name: saved[name] for name in saved.files}


@pytest.mark.parametrize(("damage", "words"), [
    (lambda parts: parts.pop("thresholds"), "lacks thresholds"),
    (lambda parts: parts.pop("0.idf"), "lacks 0.idf"),
    (lambda parts: parts.update(coef=parts["coef"][:, :-1]), "do not fit"),
    (lambda parts: parts.update(thresholds=parts["thresholds"][:-1]), "do not fit"),
    (lambda parts: parts.update(embedding_columns=np.array([0, 99999])), "do not fit"),
    (lambda parts: parts.update(behaviours=np.array(BEHAVIOURS[::-1])), "other behaviours"),
    (lambda parts: parts.update({"0.analyzer": np.array("sentence")}), "damaged vocabulary"),
])
def test_the_loader_refuses_a_malformed_model(tmp_path, damage, words):
    parts = _shipped_parts()
    damage(parts)
    np.savez(tmp_path / "damaged.npz", **parts)
    with pytest.raises(BehaviourModelError, match=words):
        behaviours.load(tmp_path / "damaged.npz")


@pytest.mark.parametrize("content", [b"", b"not a zip file at all", b"PK\x03\x04 truncated"])
def test_the_loader_refuses_a_file_that_is_not_a_model(tmp_path, content):
    path = tmp_path / "behaviours.npz"
    path.write_bytes(content)
    with pytest.raises(BehaviourModelError, match="not a readable behaviour model"):
        behaviours.load(path)


def test_the_loader_refuses_pickled_arrays(tmp_path):
    parts = _shipped_parts()
    parts["coef"] = np.array([object()], dtype=object)
    np.savez(tmp_path / "pickled.npz", **parts)
    with pytest.raises(BehaviourModelError):
        behaviours.load(tmp_path / "pickled.npz")

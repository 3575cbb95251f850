"""Measure the shipped analyzer: `python -m training.mi.bench [--data DIR] [--folds 5]`.

Prints one `name: value unit` line per figure (the form `make bench` collects):

* quality — 5-fold cross-validation grouped by video on the AnnoMI training files: macro-F1 of the four
  counsellor codes and of the three kinds of client talk, F1 per class, and accuracy of open/closed and
  simple/complex (judged where the main code was right). Each fold repeats what `python -m training.mi.train`
  does, on the other folds' videos only (our own examples join every training set and are never scored): it
  fine-tunes the encoder, exports and quantises it, and fits the vocabularies and classifiers; so the figures
  describe the model that ships, never one that saw the fold.
  This part needs the training environment (PyTorch): run it as `make bench` does, with `.venv-train`.
* behaviours — precision, recall and F1 of each MITI behaviour code on the test split of our own coded
  examples (training/mi/behaviours/), which training never saw, from the shipped model. `--behaviours` prints
  these alone, in seconds, without AnnoMI or PyTorch (the app's dev environment is enough).
* speed — utterances per second for whole transcripts through `code_utterances` (tokenising, encoder,
  classifiers), model load time in a fresh process, and peak memory of this process.
"""
import argparse
import resource
import subprocess
import sys
import time
from pathlib import Path

from pathways.mi.codes import COUNSELLOR, PERSON
from pathways.mi.transcript import Utterance
from training.mi import training

LOAD = "import time; t = time.perf_counter(); from pathways.mi.coder import get_model; get_model(); " \
       "print(time.perf_counter() - t)"


def _print(name: str, value: float, unit: str) -> None:
    print(f"{name}: {value:.3f} {unit}" if unit != "utt/s" else f"{name}: {value:.0f} {unit}", flush=True)


def quality(corpus: training.Corpus, folds: int) -> None:
    from training.mi.train import tuned_embeddings

    scores = training.cross_validate(corpus, lambda rows: tuned_embeddings(corpus, rows), folds)
    for head, label in ((COUNSELLOR, "counsellor"), (PERSON, "client_talk")):
        _print(f"mi_{label}_macro_f1", scores[head].macro_f1, "F1")
        for name, f1 in scores[head].per_class.items():
            _print(f"mi_{label}_f1_{name}", f1, "F1")
    for head in ("question", "reflection", "input"):
        _print(f"mi_{head}_subcode_accuracy", scores[head].accuracy, "accuracy")


def behaviour_quality() -> None:
    from pathways.mi.coder import get_model
    from training.mi.behaviour_training import test_scores

    model = get_model()
    for name, score in test_scores(model.behaviours, model.encoder).items():
        _print(f"mi_behaviour_precision_{name}", score.precision, "precision")
        _print(f"mi_behaviour_recall_{name}", score.recall, "recall")
        _print(f"mi_behaviour_f1_{name}", score.f1, "F1")


def speed(corpus: training.Corpus) -> None:
    from pathways.mi.coder import code_utterances, get_model

    load_seconds = float(subprocess.run([sys.executable, "-c", LOAD], capture_output=True, text=True,
                                        check=True).stdout)
    _print("mi_model_load_s", load_seconds, "s")
    get_model()
    transcripts: dict[str, list[Utterance]] = {}
    for i in range(len(corpus)):
        session = transcripts.setdefault(corpus.transcripts[i], [])
        session.append(Utterance(len(session), corpus.speakers[i], corpus.texts[i]))
    started = time.perf_counter()
    for session in transcripts.values():
        code_utterances(session)
    _print("mi_analyze_utterances_per_s", len(corpus) / (time.perf_counter() - started), "utt/s")
    _print("mi_analyze_peak_memory_mb", _peak_mb(), "MB")


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports kilobytes


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(prog="python -m training.mi.bench", description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=training.DEFAULT_DATA, help="the AnnoMI training files")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--behaviours", action="store_true", help="only the MITI behaviour codes' figures")
    args = parser.parse_args(argv)
    if args.behaviours:
        behaviour_quality()
        return
    if not (args.data / "AnnoMI-simple-train.csv").exists():
        sys.exit(f"The AnnoMI training files are not in {args.data}; pass --data DIR.")
    corpus = training.load_corpus(args.data)
    speed(corpus)
    behaviour_quality()
    quality(corpus, args.folds)
    _print("mi_cross_validation_peak_memory_mb", _peak_mb(), "MB")


if __name__ == "__main__":
    main()

"""The analyzer's TF-IDF rows equal scikit-learn's for the vocabularies scikit-learn fitted."""
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer

from pathways.mi.features import TextFeatures
from pathways.mi.tfidf import Vocabulary
from training.mi import training

TEXTS = [
    "What would you like to talk about today?",
    "I don't know. I don't know, I just drink too much, too much!",
    "Mm-hmm.",
    "",
    "   ",
    "a I x",  # words of one letter: no word terms, but letter groups
    "Ünïcode café, naïve résumé — CAFÉ café",
    "tabs\tand\nnew lines   and  doubled  spaces",
    "so so so so so",
    "supercalifragilistic",
]


def _compare(texts, analyzer, ngram_range, min_df):
    vectorizer = TfidfVectorizer(analyzer=analyzer, ngram_range=ngram_range, min_df=min_df,
                                 sublinear_tf=True).fit(texts)
    fitted = training.fit_vocabulary(texts, analyzer, ngram_range, min_df, max_features=None)
    assert fitted.terms == vectorizer.vocabulary_
    unseen = ["Nobody has said this before, café!", "", "I don't know"]
    for batch in (texts, unseen, [""] + unseen + [""], [""]):  # texts with no known term first, between, last
        difference = abs(fitted.transform(batch) - vectorizer.transform(batch))
        assert difference.max() == pytest.approx(0, abs=1e-12)


@pytest.mark.parametrize("part", TextFeatures.SETTINGS)
def test_rows_equal_scikit_learns_on_awkward_texts(part):
    analyzer, ngram_range, _, _ = TextFeatures.SETTINGS[part]
    _compare(TEXTS, analyzer, ngram_range, min_df=1)


@pytest.mark.parametrize("part", ["words", "letters"])
def test_rows_equal_scikit_learns_on_annomi(part):
    if not (training.DEFAULT_DATA / "AnnoMI-simple-train.csv").exists():
        pytest.skip("the AnnoMI training files are not beside the repository")
    analyzer, ngram_range, min_df, _ = TextFeatures.SETTINGS[part]
    _compare(training.load_corpus().texts, analyzer, ngram_range, min_df)


def test_a_vocabulary_survives_saving():
    vocabulary = training.fit_vocabulary(TEXTS, "char_wb", (2, 5), 1, max_features=None)
    reloaded = Vocabulary.from_dict(vocabulary.to_dict())
    assert (reloaded.transform(TEXTS) != vocabulary.transform(TEXTS)).nnz == 0

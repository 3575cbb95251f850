"""A head fitted by scikit-learn, once turned into the plain arrays the analyzer loads, gives the same
probabilities as the fitted estimator, with two classes (a sigmoid) and with more (a softmax)."""
import numpy as np
import pytest
from scipy.sparse import csr_matrix
from sklearn.linear_model import LogisticRegression

from pathways.mi import features, heads
from training.mi import training


@pytest.mark.parametrize("classes", [("closed", "open"), ("input", "other", "question", "reflection")])
def test_a_saved_head_predicts_what_scikit_learn_predicts(tmp_path, classes):
    rng = np.random.default_rng(0)
    sparse = rng.random((60, 7)) * (rng.random((60, 7)) > 0.6)  # mostly zeros, as TF-IDF rows are
    dense = rng.normal(size=(60, 3)).astype(np.float32)
    labels = [classes[i % len(classes)] for i in range(60)]
    matrix = features.FeatureMatrix(csr_matrix(sparse), dense)
    estimator = LogisticRegression(max_iter=1000).fit(matrix.combined(), labels)

    heads.save({name: training.head_from_estimator(estimator) for name in heads.NAMES}, tmp_path / "heads.npz")
    head = heads.load(tmp_path / "heads.npz")["question"]

    assert head.classes == tuple(estimator.classes_)
    expected = estimator.predict_proba(matrix.combined())
    assert head.probabilities(matrix) == pytest.approx(expected, abs=1e-5)


def test_text_features_have_a_vocabulary_for_every_part():
    texts = ["How are things at home?", "Not great, I drink most nights.", "Most nights?", "Yes, most nights."]
    neighbours = features.Neighbours.of(["a"] * len(texts))

    fitted = training.fit_text_features(texts, neighbours)

    assert set(fitted.vocabularies) == set(features.TextFeatures.SETTINGS)
    reloaded = features.TextFeatures.from_dict(fitted.to_dict())
    assert (reloaded.transform(texts, neighbours) != fitted.transform(texts, neighbours)).nnz == 0

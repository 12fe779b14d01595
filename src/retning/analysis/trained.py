"""The tagging model trained on staff decisions.

Each category gets its own logistic regression over the proposal's word stems (TF-IDF)
and the cold-start scores, so that a category with few confirmed examples still leans on
the strategy's own words, and one with many learns the secretariat's way of sorting.
A category with no confirmed example either way keeps its cold-start score.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from retning.analysis.coldstart import ColdStartScorer, LabelScores, _words
from retning.analysis.text import is_content_word, stem

# How much the cold-start scores weigh against the TF-IDF features (which have unit norm).
COLD_FEATURE_WEIGHT = 3.0
REGULARISATION_C = 10.0
# A category's model has half the say once it has this many confirmed positive examples.
BLEND_POSITIVES = 5


@dataclass(frozen=True)
class Example:
    """A staff-confirmed decision: this text belongs to exactly these categories."""

    text: str
    labels: frozenset[str]


def _analyzer(text: str) -> list[str]:
    return [stem(w) for w in _words(text) if is_content_word(w)]


class TrainedScorer:
    """Scores texts with models fitted to confirmed examples, falling back per category."""

    def __init__(self, cold: ColdStartScorer, examples: Sequence[Example]):
        if not examples:
            raise ValueError("a trained model needs at least one confirmed example")
        self.cold = cold
        self.label_ids = [label.id for label in cold.labels]
        confirmed = list(examples)
        self.n_examples = len(confirmed)
        # The strategy's own description of each category counts as one more example of
        # it, so that every category has a positive example from the start.
        examples = confirmed + [
            Example(
                " ".join([label.title, label.description, *label.keywords]), frozenset({label.id})
            )
            for label in cold.labels
        ]
        texts = [e.text for e in examples]
        self.vectorizer = TfidfVectorizer(
            analyzer=_analyzer, sublinear_tf=True, min_df=1, norm="l2"
        )
        tfidf = self.vectorizer.fit_transform(texts)
        self.vocabulary = np.array(self.vectorizer.get_feature_names_out())
        features = self._features(tfidf, [cold.score(t) for t in texts])
        self.models: dict[str, LogisticRegression] = {}
        # How far each category's model has taken over from the cold-start score.
        self.weights: dict[str, float] = {}
        for column, label_id in enumerate(self.label_ids):
            y = np.array([label_id in e.labels for e in examples])
            if y.all() or not y.any():
                continue
            model = LogisticRegression(
                C=REGULARISATION_C, class_weight="balanced", max_iter=1000, solver="liblinear"
            )
            model.fit(self._own(features, column), y)
            self.models[label_id] = model
            positives = int(y.sum()) - 1  # the strategy's own example is not a confirmation
            self.weights[label_id] = positives / (positives + BLEND_POSITIVES)
        digest = hashlib.sha256(
            "\n".join(sorted(f"{sorted(e.labels)}\t{e.text}" for e in examples)).encode()
        ).hexdigest()[:8]
        self.version = f"trained-1:{len(confirmed)}:{digest}"

    def _features(self, tfidf: sparse.spmatrix, cold_scores: Sequence[LabelScores]):
        cold = np.array([[s.scores[i] for i in self.label_ids] for s in cold_scores])
        return sparse.hstack([tfidf, sparse.csr_matrix(cold * COLD_FEATURE_WEIGHT)]).tocsr()

    def _own(self, features, column: int):
        """TF-IDF columns and the cold-start score of one category only."""
        n_words = len(self.vocabulary)
        return features[:, [*range(n_words), n_words + column]]

    def score(self, text: str) -> LabelScores:
        return self.score_many([text])[0]

    def score_many(self, texts: Sequence[str]) -> list[LabelScores]:
        """Scores for many texts at once (one matrix product per category)."""
        cold = [self.cold.score(t) for t in texts]
        tfidf = self.vectorizer.transform(texts)
        features = self._features(tfidf, cold)
        n_words = len(self.vocabulary)
        results = [LabelScores(scores=dict(c.scores), words=dict(c.words)) for c in cold]
        for label_id, model in self.models.items():
            column = self.label_ids.index(label_id)
            probabilities = model.predict_proba(self._own(features, column))[:, 1]
            weights = model.coef_[0][:n_words]
            contributions = tfidf.multiply(weights).tocsr()
            for row, result in enumerate(results):
                share = self.weights[label_id]
                blended = share * probabilities[row] + (1 - share) * cold[row].scores[label_id]
                result.scores[label_id] = round(float(blended), 4)
                start, end = contributions.indptr[row], contributions.indptr[row + 1]
                values = contributions.data[start:end]
                columns = contributions.indices[start:end]
                top = [
                    self.vocabulary[c]
                    for v, c in sorted(zip(values, columns, strict=True))[::-1]
                    if v > 0
                ]
                words = list(cold[row].words.get(label_id, ()))
                words += [w for w in _surface(texts[row], top[:5]) if w not in words]
                if words:
                    result.words[label_id] = tuple(words)
                else:
                    result.words.pop(label_id, None)
        return results


def _surface(text: str, stems: Sequence[str]) -> list[str]:
    """The words of `text` whose stems are `stems`, in the order of `stems`."""
    by_stem: dict[str, str] = {}
    for word in _words(text):
        by_stem.setdefault(stem(word), word)
    return [by_stem[s] for s in stems if s in by_stem]

"""The tagging model trained on staff decisions.

Each category gets its own logistic regression over the proposal's word stems (TF-IDF)
and the cold-start score. Its probability is blended with the cold-start score, and how
much say the trained part gets (its share) is chosen by cross-validation on the confirmed
examples themselves: a few dozen decisions seldom teach more than the strategy's own
vocabulary already knows, and then the share stays 0 rather than letting noise in. A
category with no confirmed example keeps its cold-start score.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from retning.analysis.coldstart import ColdStartScorer, LabelScores, _words
from retning.analysis.text import is_content_word, stem

if TYPE_CHECKING:
    from scipy import sparse
    from sklearn.linear_model import LogisticRegression

# How much the cold-start scores weigh against the TF-IDF features (which have unit norm).
COLD_FEATURE_WEIGHT = 3.0
REGULARISATION_C = 10.0
# The trained part's share of the blended score, tried in this order; a tie keeps the
# smaller share (the strategy's own words are easier to explain than a model).
SHARES = (0.0, 0.25, 0.5, 0.75, 1.0)
# Cross-validation folds for choosing the share.
FOLDS = 5
# With fewer confirmed examples the share stays 0: each fold would hold out three
# examples or fewer, too few for the standard error the choice relies on.
MIN_EXAMPLES = 20


@dataclass(frozen=True)
class Example:
    """A staff-confirmed decision: this text belongs to exactly these categories."""

    text: str
    labels: frozenset[str]


def _analyzer(text: str) -> list[str]:
    return [stem(w) for w in _words(text) if is_content_word(w)]


class TrainedScorer:
    """Scores texts with models fitted to confirmed examples, falling back per category."""

    def __init__(
        self,
        cold: ColdStartScorer,
        examples: Sequence[Example],
        share: float,
        known: Mapping[str, LabelScores] | None = None,
    ):
        """`known`: cold-start scores already computed, by text (cross-validation fits
        five models on the same examples)."""
        import numpy as np
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression

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
        known = known or {}
        features = self._features(tfidf, [known.get(t) or cold.score(t) for t in texts])
        self.share = share
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
            self.weights[label_id] = share if positives else 0.0
        digest = hashlib.sha256(
            "\n".join(sorted(f"{sorted(e.labels)}\t{e.text}" for e in examples)).encode()
        ).hexdigest()[:8]
        self.version = f"trained-2:{len(confirmed)}:{digest}:{share:g}"

    def _features(self, tfidf: sparse.spmatrix, cold_scores: Sequence[LabelScores]):
        import numpy as np
        from scipy import sparse

        cold = np.array([[s.scores[i] for i in self.label_ids] for s in cold_scores])
        return sparse.hstack([tfidf, sparse.csr_matrix(cold * COLD_FEATURE_WEIGHT)]).tocsr()

    def _own(self, features, column: int):
        """TF-IDF columns and the cold-start score of one category only."""
        n_words = len(self.vocabulary)
        return features[:, [*range(n_words), n_words + column]]

    def score(self, text: str) -> LabelScores:
        return self.score_many([text])[0]

    def probabilities(
        self, texts: Sequence[str], known: Mapping[str, LabelScores] | None = None
    ) -> tuple[list[LabelScores], sparse.csr_matrix, dict]:
        """Cold-start scores, TF-IDF rows and each category model's probabilities, before
        blending."""
        known = known or {}
        cold = [known.get(t) or self.cold.score(t) for t in texts]
        tfidf = self.vectorizer.transform(texts)
        features = self._features(tfidf, cold)
        probabilities = {
            label_id: model.predict_proba(self._own(features, self.label_ids.index(label_id)))[:, 1]
            for label_id, model in self.models.items()
        }
        return cold, tfidf, probabilities

    def score_many(self, texts: Sequence[str]) -> list[LabelScores]:
        """Scores for many texts at once (one matrix product per category)."""
        cold, tfidf, probabilities = self.probabilities(texts)
        n_words = len(self.vocabulary)
        results = [LabelScores(scores=dict(c.scores), words=dict(c.words)) for c in cold]
        for label_id, model in self.models.items():
            share = self.weights[label_id]
            if not share:
                continue
            weights = model.coef_[0][:n_words]
            contributions = tfidf.multiply(weights).tocsr()
            for row, result in enumerate(results):
                blended = (
                    share * probabilities[label_id][row] + (1 - share) * cold[row].scores[label_id]
                )
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


def choose_share(
    cold: ColdStartScorer,
    examples: Sequence[Example],
    decide: Callable[[Mapping[str, float]], Collection[str]],
    known: Mapping[str, LabelScores] | None = None,
) -> float:
    """The trained part's share that sorts held-out confirmed examples best.

    Each example is held out once (in `FOLDS` folds); the suggestions `decide` makes from
    every candidate share's blended scores are compared with the staff's decisions.
    """
    import numpy as np

    if len(examples) < MIN_EXAMPLES:
        return 0.0
    label_ids = [label.id for label in cold.labels]
    known = known or {e.text: cold.score(e.text) for e in examples}
    truth: list[list[bool]] = []
    predicted: dict[float, list[list[bool]]] = {share: [] for share in SHARES}
    for fold in range(FOLDS):
        train = [e for i, e in enumerate(examples) if i % FOLDS != fold]
        held_out = [e for i, e in enumerate(examples) if i % FOLDS == fold]
        scorer = TrainedScorer(cold, train, share=1.0, known=known)
        cold_scores, _tfidf, probabilities = scorer.probabilities([e.text for e in held_out], known)
        for row, example in enumerate(held_out):
            truth.append([i in example.labels for i in label_ids])
            for share in SHARES:
                scores = dict(cold_scores[row].scores)
                for label_id, p in probabilities.items():
                    weight = share * scorer.weights[label_id]
                    scores[label_id] = weight * p[row] + (1 - weight) * scores[label_id]
                chosen = decide(scores)
                predicted[share].append([i in chosen for i in label_ids])
    # Wrong tag decisions per held-out example (missed or wrongly suggested categories): a
    # steadier measure than F1 when some categories have only one or two examples.
    wrong = {
        share: np.array(
            [
                sum(w != g for w, g in zip(row_truth, row_predicted, strict=True))
                for row_truth, row_predicted in zip(truth, predicted[share], strict=True)
            ]
        )
        for share in SHARES
    }
    best = min(SHARES, key=lambda share: (wrong[share].sum(), share))
    # The trained part must beat the strategy's own words by more than one standard error
    # of the paired difference (the usual one-standard-error rule): a lead within the noise
    # of a few dozen examples is not worth suggestions that get worse as staff confirm.
    gain = wrong[0.0] - wrong[best]
    if best == 0.0 or gain.mean() <= gain.std(ddof=1) / np.sqrt(len(gain)):
        return 0.0
    return best


def _surface(text: str, stems: Sequence[str]) -> list[str]:
    """The words of `text` whose stems are `stems`, in the order of `stems`."""
    by_stem: dict[str, str] = {}
    for word in _words(text):
        by_stem.setdefault(stem(word), word)
    return [by_stem[s] for s in stems if s in by_stem]

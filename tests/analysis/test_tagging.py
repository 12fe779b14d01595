from __future__ import annotations

import datetime as dt

import pytest

from retning.analysis.coldstart import ColdStartScorer
from retning.analysis.evaluation import f1_scores, learning_curve
from retning.analysis.tagging import TagDecision, Tagger, effective_labels
from retning.analysis.trained import Example, choose_share


def test_cold_start_suggests_strategy_from_its_own_keywords(strategy_labels):
    tagger = Tagger(strategy_labels)
    suggestion = tagger.suggest("Vi trenger dobbeltspor på jernbanen og bedre bredbånd.")
    assert "infrastruktur-naeringsarealer" in suggestion.labels
    assert "jernbanen" in suggestion.words["infrastruktur-naeringsarealer"]
    assert suggestion.origin.startswith("cold-start-1:")


def test_cold_start_matches_compound_words(strategy_labels):
    suggestion = Tagger(strategy_labels).suggest("Skogeierne trenger tømmerterminaler.")
    assert "biookonomi" in suggestion.labels
    assert "skogeierne" in suggestion.words["biookonomi"]


def test_off_topic_text_gets_no_labels(strategy_labels):
    suggestion = Tagger(strategy_labels).suggest("Bassenget i svømmehallen er for kaldt.")
    assert suggestion.labels == ()


def test_scores_between_thresholds_are_left_for_staff(strategy_labels):
    tagger = Tagger(strategy_labels, accept=0.99, review=0.1)
    suggestion = tagger.suggest("Bedre samarbeid i regionen om klima.")
    assert suggestion.labels == ()
    assert "allianser-samarbeid" in suggestion.uncertain


def test_thresholds_out_of_order_are_refused(strategy_labels):
    with pytest.raises(ValueError, match="review ≤ accept"):
        Tagger(strategy_labels, accept=0.3, review=0.6)


def test_trained_tagger_learns_a_word_the_strategy_lacks(strategy_labels):
    examples = [
        Example(f"Vi vil ha flere {w} i sentrum.", frozenset({"rekruttering-omdomme"}))
        for w in ("kafeer", "kafeer og butikker", "kafeer og uteliv", "kafeer og kultur")
    ] * 3 + [
        Example(
            "Vi trenger dobbeltspor på jernbanen.", frozenset({"infrastruktur-naeringsarealer"})
        )
    ] * 8
    cold = Tagger(strategy_labels).suggest("Flere kafeer, takk.")
    trained = Tagger(strategy_labels).retrained(examples).suggest("Flere kafeer, takk.")
    assert trained.origin.startswith("trained-2:20:")
    assert trained.scores["rekruttering-omdomme"] > cold.scores["rekruttering-omdomme"], (
        "confirmed examples should raise the score of the category they were confirmed for"
    )
    assert "kafeer" in trained.words.get("rekruttering-omdomme", ())


def test_staff_decision_wins_over_suggestion(strategy_labels):
    suggestion = Tagger(strategy_labels).suggest("Dobbeltspor på Kongsvingerbanen.")
    at = dt.datetime(2024, 6, 20, 10, tzinfo=dt.UTC)
    decisions = [
        TagDecision(frozenset({"logistikk"}), "kari", at),
        TagDecision(frozenset({"biookonomi"}), "ola", at - dt.timedelta(hours=1)),
    ]
    assert effective_labels(suggestion, decisions) == (frozenset({"logistikk"}), "kari")
    assert effective_labels(suggestion) == (frozenset(suggestion.labels), suggestion.origin)


def test_f1_scores_of_perfect_and_empty_predictions():
    truth = [["a"], ["b"], []]
    assert f1_scores(["a", "b"], truth, truth) == (1.0, 1.0)
    assert f1_scores(["a", "b"], truth, [[], [], []]) == (0.0, 0.0)


def test_synthetic_set_covers_every_category_and_off_topic(strategy_labels, synthetic_proposals):
    seen = {label for row in synthetic_proposals for label in row["labels"]}
    assert seen == {label.id for label in strategy_labels}
    assert sum(1 for row in synthetic_proposals if not row["labels"]) >= 10


def test_place_names_do_not_count_as_words_of_a_category(strategy_labels, region_places):
    text = "Vi ønsker flere arbeidsplasser i Eidskog."
    assert "biookonomi" in Tagger(strategy_labels).suggest(text).words
    assert Tagger(strategy_labels, ignore=region_places).suggest(text).labels == ()


def test_tagging_quality_on_held_out_synthetic_proposals(
    strategy_labels, synthetic_proposals, region_places
):
    """Floors just under the figures measured on the development set (macro-F1 0.830 cold
    start, 0.823 with 30 and 0.830 with 100 confirmed): a change that makes tagging worse
    fails here."""
    curve = {
        q.confirmed: q
        for q in learning_curve(strategy_labels, synthetic_proposals, ignore=region_places)
    }
    assert curve[0].macro_f1 >= 0.80
    assert curve[30].macro_f1 >= 0.79
    assert curve[100].macro_f1 >= 0.79


def test_tagging_quality_on_the_blind_set_meets_the_goal(
    strategy_labels, synthetic_proposals_blind, region_places
):
    """The goal (macro-F1 ≥ 0.75 with 30 confirmed examples) on proposals whose author had
    not seen the tagger, its keywords or the development set (measured: 0.769 over the 20
    shuffles of bench/tagging_quality.py)."""
    curve = {
        q.confirmed: q
        for q in learning_curve(
            strategy_labels,
            synthetic_proposals_blind,
            sizes=(30,),
            seeds=tuple(range(20)),
            ignore=region_places,
        )
    }
    assert curve[30].macro_f1 >= 0.75


def test_share_stays_zero_without_enough_examples_to_validate(strategy_labels):
    cold = ColdStartScorer(strategy_labels)
    kafe = [Example("Flere kafeer i sentrum.", frozenset({"rekruttering-omdomme"}))] * 10
    other = [Example("Sagbruket trenger mer tømmer.", frozenset({"biookonomi"}))] * 10
    decide = Tagger(strategy_labels).decide
    assert choose_share(cold, kafe + other[:9], decide) == 0.0
    assert choose_share(cold, kafe + other, decide) > 0, "20 examples are enough to learn"


def test_share_stays_zero_when_the_strategy_words_already_sort_the_examples(strategy_labels):
    """A tie between the cold start and the trained model keeps the cold start."""
    cold = ColdStartScorer(strategy_labels)
    tagger = Tagger(strategy_labels)
    texts = [
        "Vi trenger fiber og bedre mobildekning.",
        "Sagbruket trenger mer tømmer.",
        "Flere lærlingplasser i videregående skole.",
        "Godsterminalen bør bygges ut for omlasting.",
        "Byggesaken tok ni måneder, saksbehandlingstiden må ned.",
    ] * 4
    examples = [Example(t, frozenset(tagger.suggest(t).labels)) for t in texts]
    assert all(e.labels for e in examples)
    assert choose_share(cold, examples, tagger.decide) == 0.0


def test_share_grows_when_confirmed_examples_teach_a_word_the_strategy_lacks(strategy_labels):
    cold = ColdStartScorer(strategy_labels)
    examples = [
        Example(f"Vi vil ha flere {w} i sentrum.", frozenset({"rekruttering-omdomme"}))
        for w in ("kafeer", "kafeer og butikker", "kafeer og uteliv", "kafeer og kultur", "kafeer")
    ] * 2 + [Example("Sagbruket trenger mer tømmer.", frozenset({"biookonomi"}))] * 10
    assert not Tagger(strategy_labels).suggest("Flere kafeer i sentrum.").labels
    share = choose_share(cold, examples, Tagger(strategy_labels).decide)
    assert share > 0
    assert Tagger(strategy_labels, examples).suggest("Flere kafeer, takk.").labels == (
        "rekruttering-omdomme",
    )

from __future__ import annotations

import pytest

from retning.analysis.coldstart import ColdStartScorer
from retning.analysis.evaluation import f1_scores, learning_curve
from retning.analysis.tagging import Tagger
from retning.analysis.trained import Example, choose_share


def test_cold_start_suggests_strategy_from_its_own_keywords(strategy_labels):
    tagger = Tagger(strategy_labels)
    suggestion = tagger.suggest("Vi trenger dobbeltspor på jernbanen og bedre bredbånd.")
    assert "infrastruktur-naeringsarealer" in suggestion.labels
    assert "jernbanen" in suggestion.words["infrastruktur-naeringsarealer"]
    assert suggestion.origin.startswith("cold-start-2:")


def test_cold_start_matches_compound_words(strategy_labels):
    suggestion = Tagger(strategy_labels).suggest("Skogeierne trenger tømmerterminaler.")
    assert "biookonomi" in suggestion.labels
    assert "skogeierne" in suggestion.words["biookonomi"]


def test_description_words_count_only_as_whole_words(strategy_labels):
    """ "utvikling" is in the description of knowledge services ("forskning og utvikling");
    "produktutvikling" is not a compound of it there, only a keyword compounds."""
    scorer = ColdStartScorer(strategy_labels)
    description_words = scorer.score("Mer utvikling.").words
    assert "utvikling" in description_words["kunnskapsintensiv-tjenesteyting"]
    compound_words = scorer.score("Mer produktutvikling.").words
    assert "produktutvikling" not in compound_words.get("kunnskapsintensiv-tjenesteyting", ())


def test_everyday_words_of_the_descriptions_do_not_count(strategy_labels):
    """ "svarer" is in the infrastructure description ("som svarer til etterspørselen")."""
    scores = ColdStartScorer(strategy_labels).score("Kommunen svarer aldri.").scores
    assert scores["infrastruktur-naeringsarealer"] == 0


def test_suspended_compound_fragment_is_not_a_keyword(strategy_labels):
    """The keyword "gang- og sykkelvei" must not make every "gang" a road."""
    scorer = ColdStartScorer(strategy_labels)
    assert scorer.score("En gang i året.").scores["infrastruktur-naeringsarealer"] == 0
    assert scorer.score("Ny sykkelvei.").scores["infrastruktur-naeringsarealer"] > 0


def test_a_hyphenated_keyword_stays_whole(strategy_labels):
    """ "it-bedrift" is a keyword of knowledge services; "bedrift" alone is not."""
    scorer = ColdStartScorer(strategy_labels)
    assert scorer.score("Bedriften trenger folk.").scores["kunnskapsintensiv-tjenesteyting"] == 0
    assert scorer.score("En ny IT-bedrift.").scores["kunnskapsintensiv-tjenesteyting"] > 0


def test_a_shared_word_weighs_most_where_it_is_a_keyword(strategy_labels):
    """ "digital" is a keyword of digital solutions and a description word of
    infrastructure ("digital infrastruktur"): split by weight, one mention is enough for
    the first."""
    suggestion = Tagger(strategy_labels).suggest("Vi trenger digitale verktøy.")
    assert suggestion.labels == ("digitalisering-ki",)
    assert (
        suggestion.scores["digitalisering-ki"]
        > 2 * suggestion.scores["infrastruktur-naeringsarealer"]
        > 0
    )


def test_the_kids_are_not_young_people(strategy_labels):
    """ "ungene" stems like the recruitment keyword "unge" but means the children."""
    scorer = ColdStartScorer(strategy_labels)
    assert scorer.score("Ungene trenger ny ballbinge.").scores["rekruttering-omdomme"] == 0
    assert scorer.score("De unge flytter.").scores["rekruttering-omdomme"] > 0


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


@pytest.mark.slow
def test_tagging_quality_on_held_out_synthetic_proposals(
    strategy_labels, synthetic_proposals, region_places
):
    """Floors just under the figures measured on the development set (macro-F1 0.850 cold
    start, 0.842 with 30 and 0.850 with 100 confirmed, 5 shuffles): a change that makes
    tagging worse fails here."""
    curve = {
        q.confirmed: q
        for q in learning_curve(strategy_labels, synthetic_proposals, ignore=region_places)
    }
    assert curve[0].macro_f1 >= 0.82
    assert curve[30].macro_f1 >= 0.81
    assert curve[100].macro_f1 >= 0.82


@pytest.mark.slow
def test_tagging_quality_on_the_first_blind_set_meets_the_goal(
    strategy_labels, synthetic_proposals_blind, region_places
):
    """The goal (macro-F1 ≥ 0.75 with 30 confirmed examples) on the first set written
    blind, since used for tuning (measured: 0.796 over the 20 shuffles of
    bench/tagging_quality.py)."""
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


@pytest.mark.slow
def test_cold_start_quality_on_the_blind_sets(strategy_labels, blind_sets, region_places):
    """Floors just under the macro-F1 of the strategy's words alone on each whole blind set
    (measured: 0.739, 0.737 and 0.719): a change that makes tagging worse on text it was not
    tuned on fails here. Below the goal; see
    docs/notes/2026-12-tagging-and-analysis-history.md."""
    floors = {"blind3": 0.72, "blind4": 0.72, "blind5": 0.70}
    tagger = Tagger(strategy_labels, ignore=region_places)
    label_ids = [label.id for label in strategy_labels]
    for name, rows in blind_sets.items():
        predicted = [s.labels for s in tagger.suggest_many([r["text"] for r in rows])]
        _micro, macro = f1_scores(label_ids, [r["labels"] for r in rows], predicted)
        assert macro >= floors[name], f"{name}: macro-F1 {macro:.3f}"


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


def test_agreement_of_suggestions_with_decisions():
    from retning.analysis.evaluation import agreement

    ids = ["a", "b", "c"]
    pairs = [(["a"], ["a"]), (["a", "b"], ["a"]), ([], ["c"]), (["b"], ["b"])]
    result = agreement(ids, pairs)
    assert (result.decisions, result.unchanged) == (4, 2)
    # Counted by hand: a: 2 right, 0 wrong, 0 missed; b: 1 right, 1 wrong; c: 1 missed.
    # micro: tp 3, fp 1, fn 1 → 6/8; macro: (1 + 2/3 + 0) / 3.
    assert result.micro_f1 == pytest.approx(0.75, abs=0.001)
    assert result.macro_f1 == pytest.approx((1 + 2 / 3) / 3, abs=0.001)
    assert agreement(ids, []).decisions == 0
    # A category nobody suggested or chose does not count as a miss in macro-F1.
    assert agreement([*ids, "d"], pairs).macro_f1 == result.macro_f1
    # Off-topic proposals correctly left without tags are full agreement, not zero.
    assert agreement(ids, [([], []), ([], [])]).micro_f1 == 1.0

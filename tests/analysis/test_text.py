from __future__ import annotations

import unicodedata

from retning.analysis.text import (
    STOP_WORDS,
    content_stems,
    join_document,
    normalise,
    sentences,
    stem,
    tokenize,
)


def test_normalise_makes_composed_and_decomposed_letters_equal():
    decomposed = unicodedata.normalize("NFD", "Bærekraft på Åsnes")
    assert decomposed != "Bærekraft på Åsnes"
    assert normalise(decomposed) == normalise("Bærekraft på Åsnes") == "bærekraft på åsnes"


def test_normalise_unifies_quotes_dashes_and_spaces():
    assert normalise("«Tog»\u00a0—  nå") == normalise('"tog" - nå')


def test_tokenize_keeps_hyphenated_compounds_and_drops_punctuation():
    assert tokenize("KI-strategi for E16, takk!") == ["ki-strategi", "for", "e16", "takk"]


def test_stop_words_cover_bokmal_and_nynorsk():
    for word in ("ikke", "ikkje", "jeg", "eg", "hva", "kva", "noen", "nokon"):
        assert word in STOP_WORDS


def test_stem_joins_inflected_forms_of_one_word():
    assert stem("næringsarealene") == stem("næringsareal") == stem("næringsarealer")


def test_content_stems_leave_out_stop_words_and_numbers():
    assert content_stems("Vi vil ha 40 nye arbeidsplasser i Kongsvinger") == [
        stem("nye"),
        stem("arbeidsplasser"),
        stem("kongsvinger"),
    ]


def test_sentences_split_within_and_between_paragraphs():
    text = "Første setning. Andre setning!\n\nNytt avsnitt uten punktum"
    assert sentences(text) == ["Første setning.", "Andre setning!", "Nytt avsnitt uten punktum"]


def test_join_document_includes_attachment_text():
    text = join_document("Se vedlegg.", ["Vi ber om dobbeltspor på Kongsvingerbanen."])
    assert "dobbeltspor" in tokenize(text)

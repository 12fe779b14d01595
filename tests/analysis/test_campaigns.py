from __future__ import annotations

import itertools

import pytest

from retning.analysis.campaigns import Document, find_groups, merge_groups, split_group
from retning.analysis.similar import similar_links
from tests.analysis.synthetic import synthetic_corpus

TEMPLATE = (
    "Vi krever at dobbeltsporet på Kongsvingerbanen bygges ut før 2030, slik at pendlerne "
    "kommer fram i tide hver eneste dag.\n\n"
    "Regionen taper innbyggere og bedrifter så lenge toget bruker over en time til Oslo "
    "og avgangene stadig blir innstilt.\n\n"
    "Vi ber derfor regionrådet gjøre jernbanen til sin viktigste sak overfor staten og "
    "fylkeskommunen i hele strategiperioden."
)


def pairs(assignment: dict[str, str]) -> set[tuple[str, str]]:
    members: dict[str, list[str]] = {}
    for ref, group in assignment.items():
        members.setdefault(group, []).append(ref)
    return {tuple(sorted(p)) for m in members.values() for p in itertools.combinations(m, 2)}


def test_exact_copies_differing_in_case_and_spacing_are_one_group():
    docs = [
        Document("1", TEMPLATE),
        Document("2", TEMPLATE.upper().replace(" ", "  ")),
        Document("3", "Vi vil ha flere lærlingplasser i regionen."),
    ]
    (group,) = find_groups(docs)
    assert set(group.refs) == {"1", "2"}
    assert all(c.exact and c.additions == () for c in group.copies)


def test_copies_with_additions_and_reordered_paragraphs_share_one_template():
    paragraphs = TEMPLATE.split("\n\n")
    docs = [
        Document("a", TEMPLATE),
        Document("b", TEMPLATE + "\n\nJeg pendler selv fra Skotterud hver dag."),
        Document("c", "\n\n".join(reversed(paragraphs))),
        Document("d", "Hilsen fra Brandval.\n\n" + TEMPLATE),
        Document("e", "Skogsbilveiene i Åsnes må rustes opp før tømmeret kan kjøres ut."),
    ]
    (group,) = find_groups(docs)
    assert set(group.refs) == {"a", "b", "c", "d"}
    assert group.is_campaign
    assert len(group.template) == 3
    additions = {c.ref: c.additions for c in group.copies}
    assert additions == {
        "a": (),
        "b": ("Jeg pendler selv fra Skotterud hver dag.",),
        "c": (),
        "d": ("Hilsen fra Brandval.",),
    }


def test_unrelated_texts_form_no_groups():
    corpus = synthetic_corpus(300, 0, seed=5)
    assert (
        find_groups([Document(r, t) for r, t in zip(corpus.refs, corpus.texts, strict=True)]) == []
    )


def test_repeated_references_are_refused():
    with pytest.raises(ValueError, match="repeated: x"):
        find_groups([Document("x", "a"), Document("x", "b")])


def test_campaign_detection_precision_and_recall_on_injected_campaigns():
    """Pairwise precision and recall against the injected campaigns (goal ≥ 0.95 both)."""
    corpus = synthetic_corpus(3000, 30, seed=11)
    docs = [Document(r, t) for r, t in zip(corpus.refs, corpus.texts, strict=True)]
    found = {ref: g.id for g in find_groups(docs) for ref in g.refs}
    predicted, truth = pairs(found), pairs(corpus.campaign_of)
    precision = len(predicted & truth) / len(predicted)
    recall = len(predicted & truth) / len(truth)
    assert precision >= 0.95, precision
    assert recall >= 0.95, recall


def test_split_and_merge_groups():
    texts = {
        "a": TEMPLATE,
        "b": TEMPLATE,
        "c": TEMPLATE + "\n\nJeg pendler selv fra Skotterud.",
        "d": TEMPLATE,
    }
    (group,) = find_groups([Document(r, t) for r, t in texts.items()])
    left, right = split_group(group, texts, ["c", "d"])
    assert (set(left.refs), set(right.refs)) == ({"a", "b"}, {"c", "d"})
    assert right.copies[0].additions == ("Jeg pendler selv fra Skotterud.",)
    merged = merge_groups([left, right], texts)
    assert set(merged.refs) == set(texts)
    assert merged.id == group.id
    assert split_group(group, texts, ["a"]) == [split_group(group, texts, ["a"])[0]]
    with pytest.raises(ValueError, match="not in group"):
        split_group(group, texts, ["z"])


def test_similar_links_join_related_texts_but_not_copies_of_one_group():
    docs = [
        Document("1", "Dobbeltspor på Kongsvingerbanen må bygges."),
        Document("2", "Bygg dobbeltspor på Kongsvingerbanen, takk."),
        Document("3", "Gatelysene i boligfeltet er slukket."),
        Document("4", TEMPLATE),
        Document("5", TEMPLATE),
    ]
    links = similar_links(docs, find_groups(docs))
    linked = {tuple(sorted((link.a, link.b))) for link in links}
    assert ("1", "2") in linked
    assert ("4", "5") not in linked
    assert not any("3" in pair for pair in linked)

"""Emergent themes: what proposals raise, found from the texts rather than the strategy.

Proposals are clustered on TF-IDF of their word stems (spherical k-means), each cluster is
labelled by its top terms and shown with representative quotes and their references. The
theme set is then checked as the issue asks: at most `MAX_THEMES`, each covering at least
max(2, 1 %) of the proposals (smaller clusters are dissolved), and no two nearly the same
(their centres' cosine below `MAX_SIMILARITY`; closer ones are merged), and none named after
a person: the texts are cleaned first (`analysis.cleaning`) and the senders' names are never
a theme's key word. Staff rename, merge and split themes; each change gives a new version of
the theme set with its history.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Literal

from retning.analysis.campaigns import Document
from retning.analysis.text import content_stems, sentences, stem, stem_surface_forms, tokenize

if TYPE_CHECKING:
    import numpy as np

MAX_THEMES = 30
MIN_SHARE = 0.01
MAX_SIMILARITY = 0.8
QUOTES = 3
QUOTE_CHARS = 240
LABEL_TERMS = 3
FIT_SAMPLE = 10_000


@dataclass(frozen=True)
class Quote:
    ref: str
    text: str


@dataclass(frozen=True)
class Theme:
    id: str
    label: str
    terms: tuple[str, ...]
    refs: tuple[str, ...]
    quotes: tuple[Quote, ...]
    # "auto" for a label from top terms; otherwise who set it ("ai-draft:MODEL" until a
    # person approves it).
    label_by: str = "auto"

    @property
    def size(self) -> int:
        return len(self.refs)


@dataclass(frozen=True)
class ThemeChange:
    version: int
    action: str
    by: str
    detail: str


class ThemeChangeError(ValueError):
    """A change to the theme set that cannot be made. `reason` ("unknown", "no-label",
    "merge-needs-two", "split-needs-some") and `theme` let the caller explain it in the
    user's language; the message is for logs and tests."""

    def __init__(self, reason: str, message: str, theme: str = ""):
        super().__init__(message)
        self.reason = reason
        self.theme = theme


@dataclass(frozen=True)
class ThemeSet:
    version: int
    themes: tuple[Theme, ...]
    total: int
    history: tuple[ThemeChange, ...] = ()

    def get(self, theme_id: str) -> Theme:
        for theme in self.themes:
            if theme.id == theme_id:
                return theme
        raise ThemeChangeError(
            "unknown", f"no theme {theme_id} in version {self.version} of the theme set", theme_id
        )


ProblemKind = Literal["too_many", "too_small", "overlap", "same_label", "person_name"]
# The rules a theme set is checked against, in the order a page lists them.
RULES: tuple[ProblemKind, ...] = ("too_many", "too_small", "overlap", "same_label", "person_name")


@dataclass(frozen=True)
class Problem:
    """A way the theme set breaks the rules of a usable theme set.

    `count` and `limit` are the numbers the rule compares (themes or proposals), so that a
    page can say it in the reader's language.
    """

    kind: ProblemKind
    theme_ids: tuple[str, ...]
    count: int = 0
    limit: int = 0

    @property
    def message(self) -> str:
        if self.kind == "too_many":
            return f"{self.count} themes; at most {self.limit}"
        if self.kind == "too_small":
            return f"covers {self.count} proposals; at least {self.limit}"
        if self.kind == "overlap":
            return "nearly the same proposals"
        if self.kind == "person_name":
            return "named after a person"
        return "the same label"


def min_theme_size(total: int) -> int:
    """max(2, 1 % of the proposals), rounded up."""
    return max(2, math.ceil(MIN_SHARE * total))


def _theme_id(refs: Sequence[str]) -> str:
    return "t-" + hashlib.sha256("\n".join(sorted(refs)).encode()).hexdigest()[:8]


def quote_of(text: str) -> str:
    """The opening of a text, at most QUOTE_CHARS characters, cut at a sentence or word."""
    out = ""
    for sentence in sentences(text):
        if len(out) + len(sentence) + 1 > QUOTE_CHARS:
            break
        out = f"{out} {sentence}".strip()
    if not out:
        out = text.strip()[:QUOTE_CHARS].rsplit(" ", 1)[0] + " …"
    return out


def name_words(names: Iterable[str]) -> frozenset[str]:
    """The words of people's names that could be mistaken for a theme's words ("moen")."""
    return frozenset(w for name in names for w in tokenize(name) if len(w) > 2)


def find_themes(
    documents: Sequence[Document],
    max_themes: int = MAX_THEMES,
    seed: int = 0,
    names: Iterable[str] = (),
) -> ThemeSet:
    """Version 1 of the theme set for these documents (campaign copies should be given
    once, so that one campaign does not pass for a theme raised by many). The words of
    `names` (the senders') are left out, so that no theme is named after a person. A round
    too small or too varied for themes gets none."""
    import numpy as np
    from sklearn.cluster import MiniBatchKMeans
    from sklearn.feature_extraction.text import TfidfVectorizer

    total = len(documents)
    minimum = min_theme_size(total)
    if total < 2 * minimum:
        return ThemeSet(version=1, themes=(), total=total)
    left_out = {stem(w) for w in name_words(names)}

    def analyzer(text: str) -> list[str]:
        return [s for s in content_stems(text) if s not in left_out]

    vectorizer = TfidfVectorizer(
        analyzer=analyzer, sublinear_tf=True, min_df=2, max_df=0.5, dtype=np.float32
    )
    try:
        vectors = vectorizer.fit_transform([d.text for d in documents])
    except ValueError:
        # No word is shared by two proposals and at most half of them (four short texts
        # about different things): there is nothing to group.
        return ThemeSet(version=1, themes=(), total=total)
    vocabulary = vectorizer.get_feature_names_out()
    # The rule of thumb √(n/2) clusters, within the limits of the checks: a round of 100
    # proposals gets about 7 themes, not 30 themes of two proposals each.
    k = max(2, min(max_themes, total // minimum, round(math.sqrt(total / 2))))
    # Fitted on a sample and applied to all, so that time grows linearly with the number
    # of proposals; a theme of 1 % has about 100 texts in the sample.
    sample = np.random.default_rng(seed).permutation(total)[:FIT_SAMPLE]
    model = MiniBatchKMeans(
        n_clusters=k, random_state=seed, n_init=3, batch_size=4096, max_iter=50
    ).fit(vectors[sample])
    assignment = model.predict(vectors)
    centres = _centres(vectors, assignment, k)
    # No two themes nearly the same: merge the closest pairs until none is too close.
    while True:
        sims = centres @ centres.T
        np.fill_diagonal(sims, -1)
        sizes = np.bincount(assignment, minlength=k)
        sims[sizes == 0, :] = -1
        sims[:, sizes == 0] = -1
        a, b = np.unravel_index(np.argmax(sims), sims.shape)
        if sims[a, b] < MAX_SIMILARITY:
            break
        assignment[assignment == b] = a
        centres = _centres(vectors, assignment, k)
    forms = stem_surface_forms(documents[i].text for i in sample[: FIT_SAMPLE // 2])
    themes = []
    for cluster in range(k):
        members = np.flatnonzero(assignment == cluster)
        if len(members) < minimum:
            continue  # dissolved: too small to be a theme
        centre = centres[cluster]
        terms = tuple(forms.get(vocabulary[i], vocabulary[i]) for i in np.argsort(centre)[::-1][:8])
        closeness = np.asarray(vectors[members] @ centre).ravel()
        best = members[np.argsort(closeness)[::-1][:QUOTES]]
        refs = tuple(documents[i].ref for i in members)
        themes.append(
            Theme(
                id=_theme_id(refs),
                label=", ".join(terms[:LABEL_TERMS]),
                terms=terms,
                refs=refs,
                quotes=tuple(Quote(documents[i].ref, quote_of(documents[i].text)) for i in best),
            )
        )
    themes.sort(key=lambda t: (-t.size, t.label))
    return ThemeSet(version=1, themes=tuple(themes), total=total)


def _centres(vectors, assignment: np.ndarray, k: int) -> np.ndarray:
    """Unit-length mean vector of each cluster (zeros for an empty one)."""
    import numpy as np
    from scipy import sparse

    membership = sparse.csr_matrix(
        (np.ones(len(assignment), dtype=np.float32), (assignment, np.arange(len(assignment)))),
        shape=(k, len(assignment)),
    )
    sums = np.asarray((membership @ vectors).todense())
    norms = np.linalg.norm(sums, axis=1, keepdims=True)
    return np.divide(sums, norms, out=np.zeros_like(sums), where=norms > 0)


def check_theme_set(themes: ThemeSet, names: Iterable[str] = ()) -> list[Problem]:
    """Rule breaks: too many themes, themes too small, two themes with the same members
    for the most part (Jaccard of their references ≥ 0.5) or the same label, and a theme
    whose label holds a word of a person's name (`names`: the senders')."""
    problems = []
    people = name_words(names)
    for theme in themes.themes:
        if people & set(tokenize(theme.label)):
            problems.append(Problem("person_name", (theme.id,)))
    if len(themes.themes) > MAX_THEMES:
        problems.append(Problem("too_many", (), len(themes.themes), MAX_THEMES))
    minimum = min_theme_size(themes.total)
    for theme in themes.themes:
        if theme.size < minimum:
            problems.append(Problem("too_small", (theme.id,), theme.size, minimum))
    for i, a in enumerate(themes.themes):
        for b in themes.themes[i + 1 :]:
            shared = len(set(a.refs) & set(b.refs))
            if shared and shared / len(set(a.refs) | set(b.refs)) >= 0.5:
                problems.append(Problem("overlap", (a.id, b.id)))
            elif a.label.casefold() == b.label.casefold():
                problems.append(Problem("same_label", (a.id, b.id)))
    return problems


def _next(themes: ThemeSet, new: list[Theme], action: str, by: str, detail: str) -> ThemeSet:
    version = themes.version + 1
    return ThemeSet(
        version=version,
        themes=tuple(sorted(new, key=lambda t: (-t.size, t.label))),
        total=themes.total,
        history=(*themes.history, ThemeChange(version, action, by, detail)),
    )


def rename_theme(themes: ThemeSet, theme_id: str, label: str, by: str) -> ThemeSet:
    """A person names a theme (or approves an AI-drafted name by setting it)."""
    theme = themes.get(theme_id)
    label = label.strip()
    if not label:
        raise ThemeChangeError("no-label", "a theme needs a label", theme_id)
    new = [replace(t, label=label, label_by=by) if t.id == theme_id else t for t in themes.themes]
    return _next(themes, new, "rename", by, f"{theme_id}: {theme.label!r} → {label!r}")


def merge_themes(themes: ThemeSet, theme_ids: Sequence[str], label: str, by: str) -> ThemeSet:
    """Themes a person sees as one become one, with the given label."""
    known = {t.id for t in themes.themes}
    missing = [i for i in dict.fromkeys(theme_ids) if i not in known]
    if missing:
        names = ", ".join(missing)
        raise ThemeChangeError("unknown", f"no theme {names} in version {themes.version}", names)
    if len(set(theme_ids)) < 2:
        raise ThemeChangeError("merge-needs-two", "merging needs at least two themes")
    parts = [themes.get(i) for i in theme_ids]
    refs = tuple(dict.fromkeys(r for t in parts for r in t.refs))
    terms = tuple(dict.fromkeys(term for t in parts for term in t.terms))[:8]
    quotes = tuple(q for t in parts for q in t.quotes)[:QUOTES]
    merged = Theme(_theme_id(refs), label.strip() or parts[0].label, terms, refs, quotes, by)
    new = [t for t in themes.themes if t.id not in theme_ids] + [merged]
    return _next(themes, new, "merge", by, f"{', '.join(theme_ids)} → {merged.id}")


def split_theme(
    themes: ThemeSet,
    theme_id: str,
    refs: Sequence[str],
    label: str,
    by: str,
    texts: dict[str, str],
) -> ThemeSet:
    """`refs` leave a theme and form a new one with `label`; quotes follow their texts."""
    theme = themes.get(theme_id)
    leaving = set(refs)
    if not leaving or leaving - set(theme.refs) or leaving == set(theme.refs):
        raise ThemeChangeError(
            "split-needs-some",
            f"a split needs some, not all, of the proposals of theme {theme_id}, and no others",
            theme_id,
        )
    parts = []
    for part_refs, part_label, part_by in (
        (tuple(r for r in theme.refs if r not in leaving), theme.label, theme.label_by),
        (tuple(r for r in theme.refs if r in leaving), label.strip(), by),
    ):
        quotes = tuple(q for q in theme.quotes if q.ref in part_refs)
        if not quotes:
            quotes = tuple(Quote(r, quote_of(texts[r])) for r in part_refs[:QUOTES])
        parts.append(
            Theme(_theme_id(part_refs), part_label, theme.terms, part_refs, quotes, part_by)
        )
    new = [t for t in themes.themes if t.id != theme_id] + parts
    return _next(themes, new, "split", by, f"{theme_id} → {parts[0].id}, {parts[1].id}")

"""MinHash signatures and LSH banding over word shingles, in numpy.

A small implementation rather than `datasketch`: datasketch hashes one document at a time
in Python, which for 50,000 proposals costs more than the whole analysis budget, while
here each hash function is one vectorised pass over all shingles of all documents.
Shingles are hashed with scikit-learn's MurmurHash3 (`HashingVectorizer`), so signatures
are the same from run to run.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import HashingVectorizer

from retning.analysis.text import WORD_PATTERN, normalise, tokenize

SHINGLE_WORDS = 3
NUM_PERM = 128
BANDS = 32
# Buckets up to this size are checked pair by pair; larger ones (campaigns) by a star
# from their first member, which connects them with far fewer checks.
SMALL_BUCKET = 8
_TRIU = {n: np.triu_indices(n, k=1) for n in range(2, SMALL_BUCKET + 1)}
_PRIME = np.uint64(4294967311)  # the first prime above 2**32
_EMPTY = np.uint64(2**63)


def shingles(text: str, size: int = SHINGLE_WORDS) -> list[str]:
    """Overlapping word n-grams of the normalised text (stop words kept: wording counts)."""
    words = tokenize(text)
    if len(words) <= size:
        return [" ".join(words)] if words else []
    return [" ".join(words[i : i + size]) for i in range(len(words) - size + 1)]


def shingle_matrix(texts: Sequence[str]) -> sparse.csr_matrix:
    """Documents × hashed shingles, binary."""
    vectorizer = HashingVectorizer(
        preprocessor=normalise,
        token_pattern=WORD_PATTERN,
        ngram_range=(SHINGLE_WORDS, SHINGLE_WORDS),
        n_features=2**31 - 1,
        binary=True,
        norm=None,
        alternate_sign=False,
    )
    matrix = vectorizer.transform(texts).tocsr()
    matrix.sum_duplicates()
    return matrix


def signatures(matrix: sparse.csr_matrix, num_perm: int = NUM_PERM, seed: int = 1) -> np.ndarray:
    """MinHash signatures, documents × num_perm; documents without shingles get a value
    no real shingle has, so they match nothing."""
    rng = np.random.default_rng(seed)
    a = rng.integers(1, 2**32 - 1, size=num_perm, dtype=np.uint64)
    b = rng.integers(0, 2**32 - 1, size=num_perm, dtype=np.uint64)
    n_docs = matrix.shape[0]
    out = np.full((n_docs, num_perm), _EMPTY, dtype=np.uint64)
    lengths = np.diff(matrix.indptr)
    nonempty = np.flatnonzero(lengths)
    if len(nonempty) == 0:
        return out
    values = matrix.indices.astype(np.uint64)
    starts = matrix.indptr[nonempty]
    for k in range(num_perm):
        hashed = (a[k] * values + b[k]) % _PRIME
        out[nonempty, k] = np.minimum.reduceat(hashed, starts)
    return out


def candidate_pairs(sigs: np.ndarray, bands: int = BANDS) -> np.ndarray:
    """Pairs (i < j) of documents that agree on every row of at least one band."""
    num_perm = sigs.shape[1]
    rows = num_perm // bands
    documents = np.flatnonzero(sigs[:, 0] != _EMPTY)
    pairs: list[np.ndarray] = []
    mix = np.random.default_rng(7).integers(1, 2**61, size=rows, dtype=np.uint64)
    for band in range(bands):
        block = sigs[documents, band * rows : (band + 1) * rows]
        keys = (block * mix).sum(axis=1)  # wraps modulo 2**64: a hash of the band
        order = documents[np.argsort(keys, kind="stable")]
        sorted_keys = np.sort(keys, kind="stable")
        starts = np.flatnonzero(np.r_[True, sorted_keys[1:] != sorted_keys[:-1]])
        ends = np.r_[starts[1:], len(sorted_keys)]
        for start, end in zip(starts[ends - starts > 1], ends[ends - starts > 1], strict=True):
            bucket = np.sort(order[start:end])
            if len(bucket) <= SMALL_BUCKET:
                i, j = _TRIU[len(bucket)]
                pairs.append(np.stack([bucket[i], bucket[j]], axis=1))
            else:  # a large bucket: a star from its first member is enough to connect it
                pairs.append(np.stack([np.full(len(bucket) - 1, bucket[0]), bucket[1:]], axis=1))
    if not pairs:
        return np.empty((0, 2), dtype=np.int64)
    return np.unique(np.concatenate(pairs).astype(np.int64), axis=0)


def overlap(
    sigs: np.ndarray, sizes: np.ndarray, pairs: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Jaccard and containment (shared / smaller) of the shingle sets of each pair,
    estimated from the signatures (the share of equal values estimates Jaccard; with the
    set sizes that gives the number shared)."""
    if len(pairs) == 0:
        return np.empty(0), np.empty(0)
    jaccard = np.concatenate(
        [
            (sigs[chunk[:, 0]] == sigs[chunk[:, 1]]).mean(axis=1)
            for chunk in np.array_split(pairs, max(1, len(pairs) // 20_000))
        ]
    )
    a, b = sizes[pairs[:, 0]], sizes[pairs[:, 1]]
    shared = jaccard * (a + b) / (1 + jaccard)
    containment = shared / np.maximum(1, np.minimum(a, b))
    return jaccard, containment


def exact_overlap(matrix: sparse.csr_matrix, pairs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Exact Jaccard and containment of the shingle sets of each pair (slower than the
    estimate: used to confirm the pairs the estimate lets through)."""
    if len(pairs) == 0:
        return np.empty(0), np.empty(0)
    shared = np.asarray(matrix[pairs[:, 0]].multiply(matrix[pairs[:, 1]]).sum(axis=1)).ravel()
    sizes = np.diff(matrix.indptr)
    a, b = sizes[pairs[:, 0]], sizes[pairs[:, 1]]
    return shared / np.maximum(1, a + b - shared), shared / np.maximum(1, np.minimum(a, b))

"""MinHash fingerprints of a document's text, for near-duplicates (docs/moderation.md).

The text is reduced to what a reader reads (``tokenize.reading_chars``: simplified,
NFKC, case-folded, whitespace and punctuation dropped) and cut into overlapping
5-character shingles: Chinese has no spaces to cut words at, and five characters
in a row are rarely shared by chance. datasketch's MinHash keeps, for each of 128
fixed permutations, the smallest hash of any shingle; two texts agree on a
permutation with probability equal to the Jaccard similarity of their shingle sets.

The signature is cut into 64 bands of 2 values each (``bands``); documents sharing
any band are candidates (LSH), found with one indexed query, then verified here
(``compare``) for similarity and for containment, which an excerpt needs: the first
30 % of a document has a Jaccard similarity of about 0.3 with it, and a band of two
values is shared with probability 0.3² per band, so 64 bands find it with
probability 1 - (1 - 0.09)⁶⁴ > 99.7 %.

Nothing here touches the database: callers store ``Signature.data`` and the bands.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
from datasketch import MinHash
from datasketch.hashfunc import sha1_hash32

from wenku.search.tokenize import reading_chars

# Fixed for good: stored signatures compare only with ones made the same way (the
# permutations come from the seed; the scheme is named so a new datasketch default
# cannot change them).
NUM_PERM = 128
SEED = 1
SCHEME = "affine32"
SHINGLE_CHARS = 5
ROWS_PER_BAND = 2
BANDS = NUM_PERM // ROWS_PER_BAND
# Texts shorter than this (in reading characters) get no signature: a cover page
# or a one-line form matches too much to mean anything.
MIN_CHARS = 200
# Containment of the smaller text is estimated over the permutations whose minimum
# falls in it; fewer than this many is too few to tell (an excerpt under about a
# fifth of the other document is judged by similarity only).
MIN_CONTAINMENT_SAMPLES = 16
_BATCH = 50_000  # shingles hashed per call: bounded memory for long texts
_DTYPE = np.dtype("<u4")


@dataclass(frozen=True)
class Signature:
    """A text's MinHash: ``NUM_PERM`` little-endian uint32 values as bytes, and the
    number of reading characters it was made from."""

    data: bytes
    chars: int

    @property
    def values(self) -> np.ndarray:
        return np.frombuffer(self.data, dtype=_DTYPE)

    def bands(self) -> list[tuple[int, int]]:
        """(band number, band hash) of each band: its two values side by side in
        one signed 64-bit integer (exact, so no collisions but real ones)."""
        pairs = self.values.astype(np.uint64).reshape(BANDS, ROWS_PER_BAND)
        keys = ((pairs[:, 0] << np.uint64(32)) | pairs[:, 1]).view(np.int64)
        return [(band, int(key)) for band, key in enumerate(keys)]


@dataclass(frozen=True)
class Resemblance:
    """How alike two texts are: Jaccard similarity of their shingles, and the
    larger containment (the share of one text's shingles found in the other)."""

    similarity: float
    containment: float

    def near(self, *, similarity: float, containment: float) -> bool:
        return self.similarity >= similarity or self.containment >= containment

    @property
    def score(self) -> float:
        return max(self.similarity, self.containment)


@functools.cache
def _permutations() -> tuple[np.ndarray, np.ndarray]:
    template = MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME)
    return template.permutations


def signature(text: str) -> Signature | None:
    """The MinHash of the text's 5-character shingles, or None for a text under
    ``MIN_CHARS`` reading characters."""
    kept = reading_chars(text)
    if len(kept) < MIN_CHARS:
        return None
    minhash = MinHash(
        num_perm=NUM_PERM,
        seed=SEED,
        scheme=SCHEME,
        hashfunc=sha1_hash32,
        permutations=_permutations(),
    )
    last = len(kept) - SHINGLE_CHARS + 1
    for start in range(0, last, _BATCH):
        stop = min(start + _BATCH, last)
        minhash.update_batch(
            [kept[i : i + SHINGLE_CHARS].encode() for i in range(start, stop)]
        )
    data = minhash.hashvalues.astype(_DTYPE).tobytes()
    return Signature(data=data, chars=len(kept))


def _containment(equal: int, samples: int) -> float:
    return equal / samples if samples >= MIN_CONTAINMENT_SAMPLES else 0.0


def compare(a: Signature, b: Signature) -> Resemblance:
    """Similarity and containment estimated from two signatures.

    On each permutation the minimum over both texts' shingles lies in one of them:
    the values are equal when it lies in both (probability |A∩B| / |A∪B|, the
    Jaccard similarity), and A's value is the smaller or equal one when it lies in
    A. Among the permutations where it lies in A, the share where it lies in both
    estimates |A∩B| / |A|, the containment of A in B — exactly 1 for a true
    excerpt, whose values are never the smaller alone.
    """
    x, y = a.values, b.values
    equal = int(np.count_nonzero(x == y))
    in_a = int(np.count_nonzero(x <= y))
    in_b = int(np.count_nonzero(y <= x))
    return Resemblance(
        similarity=round(equal / NUM_PERM, 4),
        containment=round(max(_containment(equal, in_a), _containment(equal, in_b)), 4),
    )

"""MinHash signatures and their comparison: exact values with the fixed seed."""

from __future__ import annotations

from wenku.search import minhash
from wenku.search.minhash import Resemblance, compare, signature
from wenku.search.tests import zh_text

BASE = zh_text.sentences(1, 60)


def _sig(paragraphs: list[str]) -> minhash.Signature:
    found = signature("\n".join(paragraphs))
    assert found is not None
    return found


def test_signature_is_fixed_by_the_seed():
    sig = _sig(BASE)
    assert sig.chars == 1800  # 60 × 30 characters, the 。 dropped
    assert len(sig.data) == 512  # 128 × uint32
    assert sig.values[:4].tolist() == [1150489, 1638378, 915275, 1260345]
    bands = sig.bands()
    assert len(bands) == 64
    assert bands[0] == (0, (1150489 << 32) | 1638378)
    assert [band for band, _ in bands] == list(range(64))


def test_layout_script_and_punctuation_do_not_change_the_signature():
    text = "".join(BASE)
    assert signature(text) == signature(
        " ".join(BASE).replace("。", "， ").replace("的", "的\n")
    )
    traditional = "\n".join(zh_text.with_template(BASE)).replace("区", "區")
    assert signature(traditional) == signature("\n".join(zh_text.with_template(BASE)))


def test_short_texts_get_no_signature():
    assert signature("短" * 199) is None
    assert signature("字" * 200) is not None
    assert signature("，。 \n" * 500) is None


def test_an_edited_copy_is_similar():
    copy = _sig(zh_text.edited(BASE, every=20, seed=2))
    assert compare(_sig(BASE), copy) == Resemblance(
        similarity=0.9219, containment=0.9672
    )


def test_an_excerpt_is_contained():
    excerpt = _sig(BASE[:18])  # the first 30 %
    found = compare(_sig(BASE), excerpt)
    assert found == Resemblance(similarity=0.2812, containment=1.0)
    assert compare(excerpt, _sig(BASE)) == found  # either way round
    assert found.near(similarity=0.8, containment=0.9)


def test_an_extended_copy_contains_the_original():
    longer = _sig(BASE + zh_text.sentences(6, 30))
    assert compare(_sig(BASE), longer) == Resemblance(
        similarity=0.6953, containment=1.0
    )


def test_a_shared_heading_and_template_is_not_a_copy():
    one = _sig(zh_text.with_template(zh_text.sentences(3, 40)))
    other = _sig(zh_text.with_template(zh_text.sentences(4, 40)))
    found = compare(one, other)
    assert found == Resemblance(similarity=0.0312, containment=0.0635)
    assert not found.near(similarity=0.8, containment=0.9)
    assert compare(_sig(BASE), _sig(zh_text.sentences(9, 60))) == Resemblance(0.0, 0.0)


def test_half_rewritten_is_not_a_copy():
    found = compare(_sig(BASE), _sig(zh_text.edited(BASE, every=2, seed=5)))
    assert found == Resemblance(similarity=0.1875, containment=0.3243)
    assert not found.near(similarity=0.8, containment=0.9)


def test_containment_needs_enough_samples():
    """A tiny excerpt of a long text is judged by similarity only: the permutations
    whose minimum falls in it are too few to estimate containment."""
    tiny = _sig(BASE[:7])  # 210 characters of 1800: ~15 samples of 128
    base = _sig(BASE)
    in_tiny = int((tiny.values <= base.values).sum())
    assert in_tiny < minhash.MIN_CONTAINMENT_SAMPLES
    # Only the other way round counts: 8 equal values of 128.
    assert compare(base, tiny) == Resemblance(similarity=0.0625, containment=0.0625)

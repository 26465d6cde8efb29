"""The labelled set of bench/dedup: distinct source texts from the Debian packages
(zh_corpus), variants of each, hard negatives, and background documents.

Everything is deterministic (seeded), so the parent process and each database's
child process build the same texts.

Sources are consecutive paragraphs of the Debian Reference or consecutive fortunes
(800–3,000 characters, each paragraph used once), so no two sources share text.
Variants a copier makes of a source (each a "kind", reported on its own):

- retitled: the title line replaced by another;
- edit1 / edit5 / edit10: 1 %, 5 %, 10 % of the reading characters edited at
  random places (a third replaced, a third deleted, a third with a character
  inserted after them);
- excerpt: the first 30 % of the characters;
- reordered: the pages (500 characters each) in another order;
- padded, resaved docx→pdf, docx→odt, odt→docx: files, made and converted by
  bench/dedup (their text comes from the real converter).

Hard negatives: two documents in the same form — the same heading, opening
paragraph, numbered section headings and closing block (a 公文 template, about 250
characters) around different bodies — and two documents under the same title with
different bodies. One of each pair is indexed, the other looked up: any match is
false.

Background documents: 25–90 sentences (or pieces of at most 100 characters) drawn at
random from every text,
so they read like the corpus and share sentences by chance, as real uploads do.
"""

from __future__ import annotations

import gzip
import random
import re
import unicodedata
from dataclasses import dataclass

from zh_corpus import REFERENCE, SEED, load_fortunes

PAGE_CHARS = 500
EXCERPT_SHARE = 0.3
EDITS = {"edit1": 0.01, "edit5": 0.05, "edit10": 0.10}
TEXT_KINDS = ("retitled", *EDITS, "excerpt", "reordered")
FILE_KINDS = ("padded", "docx→pdf", "docx→odt", "odt→docx")
NEGATIVE_KINDS = ("same template", "same heading")
# Edits draw their characters from these (common hanzi).
HANZI = (
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发"
    "年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如"
    "水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然"
)
TEMPLATE_HEADING = "关于进一步加强全区信息化建设工作的实施意见"
TEMPLATE_OPENING = (
    "为深入贯彻落实上级关于信息化建设的决策部署，推动各项工作高质量发展，"
    "结合我区实际，经研究决定，现提出如下意见。"
)
TEMPLATE_SECTIONS = ("一、总体要求", "二、主要任务", "三、保障措施")
TEMPLATE_CLOSING = (
    "本意见自印发之日起施行，由区信息中心负责解释。各单位要高度重视，"
    "认真抓好落实，确保各项任务落到实处。\n区人民政府办公室\n二〇二四年五月一日"
)
_HEADING_LINE = re.compile(r"^(\d+(?:\.\d+)+)\.\s+(\S.*)$")
_SENTENCE = re.compile(r"(?<=[。！？；\n])")
_LETTER_OR_DIGIT = ("L", "N")


@dataclass(frozen=True)
class Text:
    """A document's title and paragraphs (the title is the first line)."""

    title: str
    paragraphs: tuple[str, ...]

    @property
    def body(self) -> str:
        return "\n".join(self.paragraphs)

    @property
    def text(self) -> str:
        return "\n".join([self.title, *self.paragraphs])


def _reference_paragraphs() -> list[tuple[str, str]]:
    """(section heading, paragraph) of every paragraph of the Debian Reference."""
    with gzip.open(REFERENCE, "rt", encoding="utf-8") as handle:
        text = handle.read()
    heading = "Debian 参考手册"
    found = []
    for raw in re.split(r"\n\s*\n", text):
        lines = [line.strip() for line in raw.splitlines() if line.strip()]
        marks = [_HEADING_LINE.match(line) for line in lines]
        if lines and all(marks):  # a heading, or the table of contents
            heading = marks[-1].group(2) if len(lines) == 1 else heading
            continue
        if marks and marks[0]:
            heading, lines = marks[0].group(2), lines[1:]
        paragraph = re.sub(r"\s+", " ", " ".join(lines))
        if len(paragraph) >= 10:
            found.append((heading, paragraph))
    return found


def _group(
    items: list[tuple[str, str]], rng: random.Random
) -> list[tuple[str, list[str]]]:
    """Consecutive items cut into texts of 1,000–4,000 characters."""
    texts: list[tuple[str, list[str]]] = []
    current: list[str] = []
    title = ""
    target = rng.randint(800, 3000)
    for heading, paragraph in items:
        if not current:
            title = heading
        current.append(paragraph)
        if sum(map(len, current)) >= target:
            texts.append((title, current))
            current, target = [], rng.randint(800, 3000)
    return texts


def distinct_texts() -> list[Text]:
    """Every text, shuffled: Debian Reference and fortunes, no paragraph twice."""
    rng = random.Random(SEED + 11)
    reference = _group(_reference_paragraphs(), rng)
    fortunes = _group(
        [(title[:30], body.replace("\n", " ")) for title, body in load_fortunes()],
        rng,
    )
    texts = []
    seen: set[str] = set()
    for n, (title, paragraphs) in enumerate(reference + fortunes):
        # Fortunes quote an older Debian Reference, and poems recur: a text sharing
        # a tenth of its 8-character runs with one kept already is left out, so
        # that no two texts of the set are copies of each other.
        runs = _runs("".join(paragraphs))
        if not runs or len(runs & seen) >= 0.1 * len(runs):
            continue
        seen |= runs
        texts.append(
            Text(title=f"{title}（第{n + 1}篇）", paragraphs=tuple(paragraphs))
        )
    rng.shuffle(texts)
    return texts


def _runs(text: str, size: int = 8) -> set[str]:
    kept = "".join(c for c in text if unicodedata.category(c)[0] in _LETTER_OR_DIGIT)
    return {kept[i : i + size] for i in range(len(kept) - size + 1)}


def reading_length(text: str) -> int:
    return sum(1 for char in text if unicodedata.category(char)[0] in _LETTER_OR_DIGIT)


def split_set(
    sources: int, negative_pairs: int
) -> tuple[list[Text], list[tuple[Text, Text]], list[tuple[Text, Text]]]:
    """Sources (long enough for a 30 % excerpt to be signed), and the bodies of the
    template and same-heading negative pairs: the two halves of another text (same
    subject, no shared paragraph), each text used once."""
    texts = distinct_texts()
    long_enough = [t for t in texts if reading_length(t.text) >= 800]
    chosen = long_enough[:sources]
    if len(chosen) < sources:
        raise SystemExit(f"only {len(chosen)} sources in the corpus, asked {sources}")
    used = {id(t) for t in chosen}
    halves = []
    for text in texts:
        if id(text) in used or len(text.paragraphs) < 2:
            continue
        cut = _half(text.paragraphs)
        one = Text(title=text.title, paragraphs=text.paragraphs[:cut])
        two = Text(title=text.title, paragraphs=text.paragraphs[cut:])
        if min(reading_length(one.body), reading_length(two.body)) >= 400:
            halves.append((one, two))
    if len(halves) < 2 * negative_pairs:
        raise SystemExit(
            f"only {len(halves) // 2} negative pairs, asked {negative_pairs}"
        )
    return chosen, halves[:negative_pairs], halves[negative_pairs : 2 * negative_pairs]


def _half(paragraphs: tuple[str, ...]) -> int:
    """Where to cut the paragraphs into two halves of about equal length."""
    total = sum(map(len, paragraphs))
    run = 0
    for n, paragraph in enumerate(paragraphs[:-1], start=1):
        run += len(paragraph)
        if run >= total / 2:
            return n
    return len(paragraphs) - 1


def in_template(body: Text) -> str:
    """A body in the shared 公文 form: its paragraphs spread over the sections."""
    parts = list(body.paragraphs)
    third = max(1, len(parts) // 3)
    lines = [TEMPLATE_HEADING, TEMPLATE_OPENING]
    for n, section in enumerate(TEMPLATE_SECTIONS):
        chunk = parts[n * third : (n + 1) * third if n < 2 else len(parts)]
        lines += [section, *chunk]
    lines.append(TEMPLATE_CLOSING)
    return "\n".join(lines)


def under_title(title: str, body: Text) -> str:
    return "\n".join([title, *body.paragraphs])


def edited(text: str, share: float, rng: random.Random) -> str:
    """``share`` of the reading characters edited at random places."""
    chars = list(text)
    places = [
        i for i, c in enumerate(chars) if unicodedata.category(c)[0] in _LETTER_OR_DIGIT
    ]
    for i in rng.sample(places, round(share * len(places))):
        roll = rng.random()
        if roll < 1 / 3:
            chars[i] = rng.choice(HANZI)
        elif roll < 2 / 3:
            chars[i] = ""
        else:
            chars[i] += rng.choice(HANZI)
    return "".join(chars)


def reordered(text: str, rng: random.Random) -> str:
    pages = [text[p : p + PAGE_CHARS] for p in range(0, len(text), PAGE_CHARS)]
    order = list(range(len(pages)))
    while order == sorted(order):
        rng.shuffle(order)
    return "\n".join(pages[n] for n in order)


def text_variants(source: Text, other_title: str, rng: random.Random) -> dict[str, str]:
    """The text-level variants of a source, by kind."""
    text = source.text
    variants = {"retitled": "\n".join([other_title, *source.paragraphs])}
    for kind, share in EDITS.items():
        variants[kind] = edited(text, share, rng)
    variants["excerpt"] = text[: round(EXCERPT_SHARE * len(text))]
    variants["reordered"] = reordered(text, rng)
    return variants


def sentence_pool(texts: list[Text]) -> list[str]:
    """Every sentence of every text, a long one (a table, a code listing: no
    sentence end for hundreds of characters) cut into pieces of 50, so that no
    background document is mostly one source paragraph."""
    pool = []
    for t in texts:
        for paragraph in t.paragraphs:
            for sentence in _SENTENCE.split(paragraph):
                sentence = sentence.strip()
                pieces = (
                    [sentence]
                    if len(sentence) <= 100
                    else [sentence[i : i + 50] for i in range(0, len(sentence), 50)]
                )
                pool += [piece for piece in pieces if len(piece) >= 6]
    return pool


def background(count: int, pool: list[str], *, seed: int = SEED + 7):
    """(title, text) of ``count`` background documents."""
    rng = random.Random(seed)
    for _ in range(count):
        sentences = [rng.choice(pool) for _ in range(rng.randint(25, 90))]
        yield sentences[0][:30], "\n".join(sentences)

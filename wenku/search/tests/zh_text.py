"""Chinese test texts for near-duplicate tests: sentences drawn from common
characters with a seeded generator, so two seeds share no 5-character run but by
chance, and a heading and template real documents share."""

from __future__ import annotations

import random

HANZI = (
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发"
    "年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如"
    "水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然"
    "前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但"
    "质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五"
    "果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组"
)
HEADING = "关于进一步加强全区教育工作的实施意见"
TEMPLATE_OPENING = (
    "为深入贯彻落实上级决策部署，推动各项工作高质量发展，结合我区实际，"
    "经研究决定，现提出如下意见。"
)
TEMPLATE_CLOSING = "本意见自印发之日起施行，由区教育局负责解释。各单位要认真抓好落实。"


def sentences(seed: int, count: int, length: int = 30) -> list[str]:
    """``count`` sentences of ``length`` characters each, the same for a seed."""
    rng = random.Random(seed)
    return [
        "".join(rng.choice(HANZI) for _ in range(length)) + "。" for _ in range(count)
    ]


def edited(paragraphs: list[str], *, every: int, seed: int) -> list[str]:
    """The paragraphs with one in ``every`` rewritten (every=20: a 5 % edit)."""
    fresh = iter(sentences(seed, len(paragraphs)))
    return [
        next(fresh) if index % every == every // 2 else paragraph
        for index, paragraph in enumerate(paragraphs)
    ]


def with_template(body: list[str]) -> list[str]:
    """A document in the shared form: heading, opening, its own body, closing."""
    return [HEADING, TEMPLATE_OPENING, *body, TEMPLATE_CLOSING]


def characters_edited(paragraphs: list[str], *, share: float, seed: int) -> list[str]:
    """The paragraphs with ``share`` of their characters (punctuation aside) edited
    at random places: a third replaced, a third deleted, a third with a character
    inserted after them (share=0.05: a 5 % edit, as bench/dedup makes them)."""
    rng = random.Random(seed)
    chars = [list(paragraph) for paragraph in paragraphs]
    places = [
        (p, i) for p, line in enumerate(chars) for i, c in enumerate(line) if c != "。"
    ]
    for p, i in rng.sample(places, round(share * len(places))):
        roll = rng.random()
        if roll < 1 / 3:
            chars[p][i] = rng.choice(HANZI)
        elif roll < 2 / 3:
            chars[p][i] = ""
        else:
            chars[p][i] += rng.choice(HANZI)
    return ["".join(line) for line in chars]

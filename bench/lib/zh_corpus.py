"""A Chinese corpus from Debian packages, for the benchmarks (search, serve, dedup).

debian-reference-zh-cn (the Debian Reference in Simplified Chinese, ~610 sections)
and fortunes-zh (~5,600 Chinese fortunes, Tang and Song poems), installed with
apt-get when missing (needs root).
"""

from __future__ import annotations

import gzip
import os
import random
import re
import subprocess
from pathlib import Path

REFERENCE = Path("/usr/share/debian-reference/debian-reference.zh-cn.txt.gz")
FORTUNES = [
    Path("/usr/share/games/fortunes/chinese"),
    Path("/usr/share/games/fortunes/tang300"),
    Path("/usr/share/games/fortunes/song100"),
]
PACKAGES = ["debian-reference-zh-cn", "fortunes-zh"]
SEED = 20240501
PAGE_CHARS = 500
FILE_TYPES = ["doc", "docx", "pdf", "ppt", "xls", "txt"]
ANSI = re.compile(r"\x1b\[[0-9;]*m")
HEADING = re.compile(r"^(\d+(?:\.\d+)+)\.\xa0+(\S.*)$", re.M)


def ensure_packages() -> None:
    if REFERENCE.exists() and all(path.exists() for path in FORTUNES):
        return
    print("installing", " ".join(PACKAGES), "with apt-get …", flush=True)
    subprocess.run(
        ["apt-get", "install", "-y", "--no-install-recommends", *PACKAGES],
        check=True,
        env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
    )


def load_sections() -> list[tuple[str, str]]:
    """(heading, body) of every Debian Reference section with some prose."""
    with gzip.open(REFERENCE, "rt", encoding="utf-8") as handle:
        text = handle.read()
    marks = list(HEADING.finditer(text))
    sections = []
    seen = set()
    for mark, following in zip(marks, [*marks[1:], None], strict=True):
        heading = mark.group(2).strip()
        end = following.start() if following else len(text)
        body = re.sub(r"[ \t\xa0]+", " ", text[mark.end() : end]).strip()
        if heading in seen or len(body) < 200:
            continue
        seen.add(heading)
        sections.append((heading, body[:3000]))
    return sections


def load_fortunes() -> list[tuple[str, str]]:
    """(title, text) of each fortune: the first line, the whole entry."""
    items = []
    for path in FORTUNES:
        for entry in ANSI.sub("", path.read_text(encoding="utf-8")).split("\n%\n"):
            lines = [
                line.strip() for line in entry.strip().splitlines() if line.strip()
            ]
            if len(lines) < 2:
                continue
            title = lines[0].strip("《》[]【】 ")[:30]
            if len(title) >= 2:
                items.append((title, "\n".join(lines)))
    return items


def corpus(count: int):
    """Deterministic documents: a Debian Reference section plus fortunes.

    Document i pairs section i mod S with fortune (i div S) mod F, so every title
    "<section heading>：<fortune title>" is a distinct pair.
    """
    sections = load_sections()
    fortunes = load_fortunes()
    rng = random.Random(SEED)
    for i in range(count):
        heading, body = sections[i % len(sections)]
        fortune_title, fortune = fortunes[(i // len(sections) + i) % len(fortunes)]
        extra = fortunes[rng.randrange(len(fortunes))][1]
        start = rng.randrange(0, max(1, len(body) - 1200))
        text = f"{body[start : start + 1200]}\n{fortune}\n{extra}"
        pages = [text[p : p + PAGE_CHARS] for p in range(0, len(text), PAGE_CHARS)]
        yield {
            "title": f"{heading}：{fortune_title}",
            "description": body[:80],
            "tags": heading.split()[0][:30],
            "pages": pages,
            "file_type": rng.choice(FILE_TYPES),
            "price": 0 if rng.random() < 0.7 else rng.choice([2, 5, 10]),
            "downloads": rng.randrange(0, 5000),
            "heading": heading,
            "fortune_title": fortune_title,
        }

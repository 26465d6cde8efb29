"""Text for scanned pages: tesseract (chi_sim+eng), one bounded process per page."""

from __future__ import annotations

import io
import re
import shutil

from PIL import Image

from wenku.conversion import procs

LANGUAGES = "chi_sim+eng"
# Tesseract separates Han characters with spaces; Chinese text has none.
_HAN_GAP = re.compile(
    r"(?<=[\u3000-\u9fff\uff00-\uffef])[ \t]+(?=[\u3000-\u9fff\uff00-\uffef])"
)


def available() -> bool:
    return shutil.which("tesseract") is not None


def recognise(image: Image.Image, *, timeout: float, memory_bytes: int | None) -> str:
    """The text tesseract reads on `image`; empty when it finds none or runs too long."""
    buffer = io.BytesIO()
    image.convert("L").save(buffer, "PNG", compress_level=1)
    try:
        result = procs.run(
            ["tesseract", "stdin", "stdout", "-l", LANGUAGES, "--psm", "3"],
            timeout=timeout,
            memory_bytes=memory_bytes,
            input_bytes=buffer.getvalue(),
            env=procs.clean_env({"OMP_THREAD_LIMIT": "1"}),
        )
    except procs.TimedOut:
        return ""
    if result.returncode != 0:
        return ""
    text = result.stdout.decode("utf-8", errors="replace")
    return _HAN_GAP.sub("", text).strip()

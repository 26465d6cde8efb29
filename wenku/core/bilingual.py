"""Texts the site wrote in both languages, shown in the reader's one."""

from __future__ import annotations

import re

from django.utils.translation import get_language

# A reason the site wrote in both languages: "中文 / English", with an optional
# technical detail after it in full-width brackets ("…（LibreOffice）").
_BILINGUAL = re.compile(
    r"^(?P<zh>[^/]*[\u3400-\u9fff][^/]*?) / (?P<en>[^\u3400-\u9fff（]+?)"
    r"(?:（(?P<detail>[^（）]*)）)?$"
)


def in_reader_language(text: str) -> str:
    """A "中文 / English" reason the site stored (a failed conversion's, say) in the
    active language only; any other text, a moderator's own words included, as is."""
    match = _BILINGUAL.match(text.strip())
    if match is None:
        return text
    detail = match["detail"]
    if (get_language() or "").startswith("en"):
        return f"{match['en']} ({detail})" if detail else match["en"]
    return f"{match['zh']}（{detail}）" if detail else match["zh"]

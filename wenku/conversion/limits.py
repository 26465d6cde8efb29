"""The conversion Context built from settings.CONVERSION (the only place reading it)."""

from __future__ import annotations

from typing import Any

from wenku.conversion.base import Context


def context_from_settings(overrides: dict[str, Any] | None = None) -> Context:
    """Limits for one conversion, from WENKU_* settings."""
    from django.conf import settings

    conf = settings.CONVERSION
    values: dict[str, Any] = {
        "job_timeout": float(conf["JOB_TIMEOUT"]),
        "max_pages": conf["MAX_PAGES"],
        "render_max_pages": conf["RENDER_MAX_PAGES"],
        "page_width": conf["PAGE_WIDTH"],
        "max_page_pixels": conf["MAX_PAGE_PIXELS"],
        "max_unzipped_bytes": conf["MAX_UNZIPPED_BYTES"],
        "max_zip_entries": conf["MAX_ZIP_ENTRIES"],
        "memory_limit_bytes": conf["MEMORY_LIMIT_BYTES"],
        "ocr": conf["OCR"],
        "ocr_page_timeout": float(conf["OCR_PAGE_TIMEOUT"]),
        "ocr_max_pages": conf["OCR_MAX_PAGES"],
        "webp_quality": conf["WEBP_QUALITY"],
        "pool_size": conf["POOL_SIZE"],
        "jobs_per_process": conf["JOBS_PER_PROCESS"],
        "uno_python": conf["UNO_PYTHON"],
        "soffice": conf["SOFFICE"],
        "soffice_bin": conf["SOFFICE_BIN"],
        "font_cache": conf["FONT_CACHE"],
    }
    values.update(overrides or {})
    return Context(**values)

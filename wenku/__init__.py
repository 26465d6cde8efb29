"""Wenku: a self-hostable 文库 — document sharing and C2C trading."""

from wenku.celery import app as celery_app

__all__ = ["celery_app"]

"""API routes of the moderation app."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["moderation"])

"""Signals of notifications, for apps that keep something derived from them."""

from django.dispatch import Signal

# Sent with ``user_pk`` after a bulk change of a member's unread notifications that
# bypasses the model signals (marking read is one UPDATE).
unread_changed = Signal()

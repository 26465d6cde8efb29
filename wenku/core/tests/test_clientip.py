"""The client address in one place: REMOTE_ADDR unless a trusted proxy forwarded."""

from __future__ import annotations

import pytest
from axes.helpers import get_client_ip_address
from django.test import Client, RequestFactory

from wenku.core.clientip import client_ip, visitor_hash


def _request(remote: str, forwarded: str | None = None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_without_trusted_proxies_the_header_is_ignored(settings):
    settings.TRUSTED_PROXIES = []
    assert client_ip(_request("203.0.113.9", "1.2.3.4")) == "203.0.113.9"


@pytest.mark.parametrize(
    ("remote", "forwarded", "expected"),
    [
        # The right-most entry no trusted proxy wrote is the client.
        ("10.0.0.1", "198.51.100.7", "198.51.100.7"),
        ("10.0.0.1", "6.6.6.6, 198.51.100.7", "198.51.100.7"),
        ("10.0.0.1", "6.6.6.6, 198.51.100.7, 10.0.0.2", "198.51.100.7"),
        # Every hop trusted: the left-most one.
        ("10.0.0.1", "10.0.0.3, 10.0.0.2", "10.0.0.3"),
        # No header: the proxy itself.
        ("10.0.0.1", None, "10.0.0.1"),
        # Garbage from a trusted proxy: trust stops at the proxy that passed it on.
        ("10.0.0.1", "198.51.100.7, not-an-ip", "10.0.0.1"),
        ("10.0.0.1", "198.51.100.7:5000", "198.51.100.7"),
        ("::1", "2001:db8::5", "2001:db8::5"),
        ("::1", "[2001:db8::5]:443", "2001:db8::5"),
        # A client that is not a trusted proxy cannot choose its address.
        ("203.0.113.9", "10.0.0.2", "203.0.113.9"),
    ],
)
def test_behind_trusted_proxies(settings, remote, forwarded, expected):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8", "::1"]
    assert client_ip(_request(remote, forwarded)) == expected


def test_no_address_at_all(settings):
    assert client_ip(_request("")) == ""
    assert client_ip(_request("garbage")) == ""


def test_axes_counts_the_same_address(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    request = _request("10.0.0.1", "198.51.100.7")
    assert get_client_ip_address(request) == "198.51.100.7"


def test_visitor_hash_hides_the_address(settings):
    request = _request("203.0.113.9")
    request.user = type("Anonymous", (), {"is_authenticated": False})()
    value = visitor_hash(request)
    assert len(value) == 32
    assert "203" not in value
    assert value == visitor_hash(request)
    assert value != visitor_hash(_request("203.0.113.10"))


@pytest.mark.django_db
def test_signup_bonus_cap_counts_forwarded_clients(settings):
    from wenku.accounts.models import User
    from wenku.wallet.selectors import rules_get, wallet_summary

    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    cap = rules_get().signup_bonus_per_ip_per_day
    bonus = rules_get().signup_bonus

    def register(name: str, forwarded: str) -> int:
        response = Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded).post(
            "/api/auth/register",
            {"username": name, "password": "Correct-horse-2024"},
            content_type="application/json",
        )
        assert response.status_code == 201
        return wallet_summary(user=User.objects.get(username=name)).bonus

    # One client behind the proxy: the cap applies to it, not to the proxy.
    got = [register(f"same{index}", "198.51.100.7") for index in range(cap + 1)]
    assert got == [bonus] * cap + [0]
    assert register("other", "198.51.100.8") == bonus

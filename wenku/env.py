"""Typed readers for WENKU_* environment variables (the only source of settings)."""

from __future__ import annotations

import ipaddress
import os
from pathlib import Path

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str) -> str:
    return os.environ.get(name, default)


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError as exc:
        raise ValueError(f"{name} must be an integer, got {raw!r}") from exc
    if minimum is not None and value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value}")
    return value


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    lowered = raw.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ValueError(f"{name} must be a boolean (1/0/true/false), got {raw!r}")


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


_PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def env_rate(name: str, default: str) -> tuple[int, int]:
    """A rate "COUNT/PERIOD" (PERIOD s, m, h or d, optionally with a number:
    "5/h", "20/10m") as (count, seconds)."""
    raw = (os.environ.get(name) or default).strip().lower()
    count, _, period = raw.partition("/")
    unit = period[-1:]
    number = period[:-1] or "1"
    if not (
        count.isascii()
        and count.isdigit()
        and unit in _PERIODS
        and number.isascii()
        and number.isdigit()
        and int(count) >= 1
        and int(number) >= 1
    ):
        raise ValueError(
            f"{name} must look like 5/h or 20/10m (COUNT/PERIOD, PERIOD in s, m, h, d),"
            f" got {raw!r}"
        )
    return int(count), int(number) * _PERIODS[unit]


def env_networks(name: str) -> list[str]:
    """Comma-separated addresses or networks (203.0.113.7, 10.0.0.0/8, ::1)."""
    entries = env_list(name, [])
    for entry in entries:
        try:
            ipaddress.ip_network(entry, strict=False)
        except ValueError as exc:
            raise ValueError(f"{name}: not an address or network: {entry!r}") from exc
    return entries


def data_dir() -> Path:
    path = Path(env_str("WENKU_DATA_DIR", str(Path.cwd() / "data"))).resolve()
    path.mkdir(parents=True, exist_ok=True)
    return path


def secret_key(data: Path) -> str:
    """WENKU_SECRET_KEY, else a random key generated once and kept in the data folder."""
    explicit = os.environ.get("WENKU_SECRET_KEY")
    if explicit:
        return explicit
    key_file = data / "secret_key"
    if not key_file.exists():
        import secrets

        tmp = key_file.with_suffix(".tmp")
        tmp.write_text(secrets.token_urlsafe(50))
        tmp.chmod(0o600)
        tmp.replace(key_file)
    return key_file.read_text().strip()

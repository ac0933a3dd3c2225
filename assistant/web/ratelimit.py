"""Per-client rate limits (the `limits` package: moving windows in memory, per web process), and the
client's address, believing X-Forwarded-For only from configured proxies."""

from __future__ import annotations

import ipaddress
import math
import time

from limits import parse
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter


def client_address(peer: str | None, forwarded_for: str | None, trusted_proxies: list[str]) -> str:
    """The address a request comes from: the peer, or — when the peer is a trusted proxy — the nearest
    address in X-Forwarded-For that is not itself a trusted proxy."""
    peer = peer or "unknown"
    if not forwarded_for or not _trusted(peer, trusted_proxies):
        return peer
    hops = [h.strip() for h in forwarded_for.split(",") if h.strip()]
    for hop in reversed(hops):
        if not _trusted(hop, trusted_proxies):
            return hop
    return hops[0] if hops else peer


def _trusted(address: str, trusted_proxies: list[str]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    for entry in trusted_proxies:
        try:
            if ip in ipaddress.ip_network(entry, strict=False):
                return True
        except ValueError:
            continue
    return False


class RateLimit:
    """One limit ("60/minute"); an empty spec disables it."""

    def __init__(self, spec: str, namespace: str) -> None:
        self.item = parse(spec) if spec and spec.strip() else None
        self.namespace = namespace
        self._limiter = MovingWindowRateLimiter(MemoryStorage())

    def hit(self, client: str) -> int | None:
        """Counts one request; None when allowed, else the seconds to wait (for Retry-After)."""
        if self.item is None or self._limiter.hit(self.item, self.namespace, client):
            return None
        reset = self._limiter.get_window_stats(self.item, self.namespace, client).reset_time
        return max(1, math.ceil(reset - time.time()))

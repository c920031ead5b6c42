"""Secrets and the rules around them: access tokens, CSRF signing, allowed hosts, and a
per-client limit on failed logins. All checks are constant-time where a secret is compared.

Nothing secret travels in a URL: the token is posted once to ``/login`` (or sent as a bearer
header by API clients) and the browser then holds an HttpOnly cookie derived from it.
The ASGI guard that applies these rules to every request is :mod:`glutecoach.web.guard`.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import math
import secrets
import string
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from glutecoach.errors import InputError

AUTH_COOKIE = "gc_auth"
CSRF_COOKIE = "gc_csrf"
CSRF_FIELD = "csrf_token"
MIN_TOKEN_BITS = 128
LOCAL_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})
WILDCARD_ADDRESSES = frozenset({"0.0.0.0", "::", ""})


class Signer:
    """HMAC-SHA256 over short strings; the app passes the key kept in a private file
    (web/signing_key.py), so tokens survive a restart. Without a key: a random one."""

    def __init__(self, key: bytes | None = None) -> None:
        self._key = key or secrets.token_bytes(32)

    def sign(self, value: str) -> str:
        return hmac.new(self._key, value.encode(), hashlib.sha256).hexdigest()

    def new_csrf_nonce(self) -> str:
        return secrets.token_urlsafe(24)

    def csrf_token(self, nonce: str) -> str:
        return f"{nonce}.{self.sign('csrf:' + nonce)}"

    def csrf_ok(self, cookie_nonce: str | None, token: str | None) -> bool:
        if not cookie_nonce or not token or "." not in token:
            return False
        nonce, _, mac = token.rpartition(".")
        same_nonce = hmac.compare_digest(nonce.encode(), cookie_nonce.encode())
        good_mac = hmac.compare_digest(mac.encode(), self.sign("csrf:" + nonce).encode())
        return same_nonce and good_mac

    def auth_cookie(self, token: str) -> str:
        return self.sign("auth:" + token)


def token_matches(expected: str, given: str) -> bool:
    return hmac.compare_digest(expected.encode(), given.encode())


# --- access tokens ----------------------------------------------------------------------------


def generate_token() -> str:
    """A fresh access token: 256 random bits, URL-safe (43 characters)."""
    return secrets.token_urlsafe(32)


def _alphabet_size(token: str) -> int:
    classes = (string.ascii_lowercase, string.ascii_uppercase, string.digits)
    size = sum(len(chars) for chars in classes if any(c in chars for c in token))
    if any(not c.isalnum() for c in token):
        size += 32
    return max(size, 1)


def token_bits(token: str) -> float:
    """A generous upper bound of a token's strength in bits.

    Length × log2(alphabet actually used), capped by the number of distinct characters so a
    long repetition ("aaaa…", "abab…") does not count as strong.
    """
    if not token:
        return 0.0
    per_char = math.log2(_alphabet_size(token))
    distinct = len(set(token))
    effective_length = min(len(token), distinct * 4)
    return effective_length * per_char


def check_token(token: str, where: str) -> str:
    """The token, stripped; refuses one weaker than 128 bits with what to do instead."""
    token = token.strip()
    if any(c.isspace() or not c.isprintable() for c in token):
        raise InputError(f"{where}: the access token must be one word without spaces")
    bits = token_bits(token)
    if bits < MIN_TOKEN_BITS:
        raise InputError(
            f"{where}: this access token is too easy to guess (about {bits:.0f} bits; at least "
            f"{MIN_TOKEN_BITS} are needed, e.g. 22 random letters and digits). Leave it out and "
            "glutecoach makes a strong one for you, or create one with: "
            'python -c "import secrets; print(secrets.token_urlsafe(32))"'
        )
    return token


# --- hosts ------------------------------------------------------------------------------------


def split_host(header: str) -> str:
    """The host part of a Host (or Origin netloc) header: no port, no brackets, lower case."""
    value = header.strip().lower()
    if value.startswith("["):
        return value[1:].partition("]")[0]
    name, sep, port = value.rpartition(":")
    if sep and port.isdigit() and ":" not in name:
        value = name
    return value.rstrip(".")


def _ip(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(value)
    except ValueError:
        return None


@dataclass(frozen=True)
class HostPolicy:
    """The names this server answers to: refuses DNS-rebinding requests for other names.

    Always this computer's loopback names and addresses, the address it is bound to, and the
    names configured with ``--allow-host``. Bound to every interface (0.0.0.0 / ::), any IP
    address is accepted too: a rebinding page can only send its own domain name as the Host.
    """

    bound: str = "127.0.0.1"
    names: frozenset[str] = frozenset()

    @classmethod
    def create(cls, bound: str = "127.0.0.1", names: Iterable[str] = ()) -> HostPolicy:
        return cls(split_host(bound), frozenset(split_host(n) for n in names if n.strip()))

    def allows(self, host_header: str | None) -> bool:
        if not host_header:
            return False
        host = split_host(host_header)
        if host in LOCAL_NAMES or host == self.bound or host in self.names:
            return True
        address = _ip(host)
        if address is None:
            return False
        return address.is_loopback or self.bound in WILDCARD_ADDRESSES

    def describe(self) -> str:
        """The names to suggest in a refusal (the configured ones are not told to strangers)."""
        return ", ".join(sorted(LOCAL_NAMES))


# --- failed logins ----------------------------------------------------------------------------


def client_key(address: str | None) -> str:
    """Whom failures are counted against: the IPv4 address, or the IPv6 /64 network (one
    device can pick any address in its /64)."""
    if not address:
        return "unknown"
    parsed = _ip(address)
    if isinstance(parsed, ipaddress.IPv6Address) and parsed.ipv4_mapped is None:
        return str(ipaddress.IPv6Network(f"{parsed}/64", strict=False))
    if isinstance(parsed, ipaddress.IPv6Address) and parsed.ipv4_mapped is not None:
        return str(parsed.ipv4_mapped)
    return address


@dataclass
class FailureLimiter:
    """At most ``max_failures`` wrong tokens per client in ``window_s``; then the client waits.

    Counted per client address, not per request, so guessing in parallel is slowed as much
    as guessing one at a time. While a client waits every credential it sends is refused
    unchecked (otherwise the answers would still tell right from wrong).
    """

    max_failures: int = 10
    window_s: float = 60.0
    max_clients: int = 10_000
    clock: Callable[[], float] = time.monotonic
    _failures: OrderedDict[str, deque[float]] = field(default_factory=OrderedDict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def _recent(self, client: str, now: float) -> deque[float]:
        times = self._failures.get(client)
        if times is None:
            return deque()
        while times and times[0] <= now - self.window_s:
            times.popleft()
        if not times:
            del self._failures[client]
        return times

    def wait_seconds(self, client: str) -> float:
        """Seconds until ``client`` may try again (0 when it may now)."""
        with self._lock:
            now = self.clock()
            times = self._recent(client, now)
            if len(times) < self.max_failures:
                return 0.0
            return max(times[0] + self.window_s - now, 0.001)

    def failed(self, client: str) -> None:
        with self._lock:
            now = self.clock()
            times = self._recent(client, now)
            times.append(now)
            self._failures[client] = times
            self._failures.move_to_end(client)
            while len(self._failures) > self.max_clients:
                self._failures.popitem(last=False)

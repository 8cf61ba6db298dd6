"""Polite HTTP for the scraping shims: one request at a time, a pause between requests, a timeout
on every request, retries with exponential backoff and jitter, Retry-After honoured, and a long
pause after a Cloudflare rate-limit page.

Settings (arguments win over environment, environment over defaults):

    FEEDS_HTTP_PAUSE              seconds between two requests            (5)
    FEEDS_HTTP_TIMEOUT            seconds to connect and to read          (30)
    FEEDS_HTTP_RETRIES            retries after the first attempt         (4)
    FEEDS_HTTP_BACKOFF            first backoff in seconds, doubled each retry, full jitter (2)
    FEEDS_HTTP_BACKOFF_MAX        cap of one backoff and of one Retry-After (300)
    FEEDS_HTTP_RATE_LIMIT_PAUSE   pause after a Cloudflare "rate limited" / 1015 page (900)
    FEEDS_HTTP_USER_AGENT         User-Agent header

Retries are tenacity's, with a wait and a stop of our own rather than urllib3's Retry, because a
Cloudflare rate-limit page must be recognised by its body (it may come with 200, 403 or 429) and
answered with a long pause that does not count as one of the retries, which Retry cannot express.
Certificate verification is always on.
"""
from __future__ import annotations

import argparse
import email.utils
import os
import re
import threading
import time
from dataclasses import dataclass, field

import requests
import tenacity

from shims.retry import backoff, env_float as _env
from shims.sniff import Kind, sniff_bytes

DEFAULT_USER_AGENT = "Feeds/1.0 (PostgreSQL ETL; polite: one request at a time)"
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
RATE_LIMITED = "rate limited"  # the reason of an attempt that got a Cloudflare rate-limit page
_CLOUDFLARE_RE = re.compile(r"error\s*(code)?\s*:?\s*1015|you are being rate limited|rate[- ]limited", re.I)


@dataclass
class FetchConfig:
    pause: float = field(default_factory=lambda: _env("FEEDS_HTTP_PAUSE", 5.0))
    timeout: float = field(default_factory=lambda: _env("FEEDS_HTTP_TIMEOUT", 30.0))
    retries: int = field(default_factory=lambda: int(_env("FEEDS_HTTP_RETRIES", 4)))
    backoff: float = field(default_factory=lambda: _env("FEEDS_HTTP_BACKOFF", 2.0))
    backoff_max: float = field(default_factory=lambda: _env("FEEDS_HTTP_BACKOFF_MAX", 300.0))
    rate_limit_pause: float = field(default_factory=lambda: _env("FEEDS_HTTP_RATE_LIMIT_PAUSE", 900.0))
    rate_limit_retries: int = 2
    user_agent: str = field(default_factory=lambda: os.environ.get("FEEDS_HTTP_USER_AGENT", DEFAULT_USER_AGENT))

    @staticmethod
    def add_arguments(parser: argparse.ArgumentParser) -> None:
        g = parser.add_argument_group("HTTP politeness")
        g.add_argument("--pause", type=float, help="seconds between requests (FEEDS_HTTP_PAUSE, default 5)")
        g.add_argument("--timeout", type=float, help="seconds per request (FEEDS_HTTP_TIMEOUT, default 30)")
        g.add_argument("--retries", type=int, help="retries per request (FEEDS_HTTP_RETRIES, default 4)")
        g.add_argument("--backoff", type=float, help="first backoff in seconds (FEEDS_HTTP_BACKOFF, default 2)")
        g.add_argument("--rate-limit-pause", type=float,
                       help="seconds to wait after a Cloudflare rate-limit page (FEEDS_HTTP_RATE_LIMIT_PAUSE, default 900)")
        g.add_argument("--user-agent", help="User-Agent header (FEEDS_HTTP_USER_AGENT)")

    @classmethod
    def from_args(cls, args: argparse.Namespace) -> "FetchConfig":
        cfg = cls()
        for name in ("pause", "timeout", "retries", "backoff", "rate_limit_pause", "user_agent"):
            value = getattr(args, name, None)
            if value is not None:
                setattr(cfg, name, value)
        return cfg

    def check(self) -> str | None:
        """A description of the first impossible setting, or None."""
        if self.pause < 0 or self.timeout <= 0 or self.retries < 0 or self.backoff < 0 or self.rate_limit_pause < 0:
            return "pause, backoff and rate-limit pause must be >= 0, timeout > 0, retries >= 0"
        return None


@dataclass
class Fetched:
    """What came back for one URL after the retries: a response, or the reason there is none."""
    url: str
    response: requests.Response | None = None
    error: str | None = None
    attempts: int = 0

    @property
    def status(self) -> int | None:
        return None if self.response is None else self.response.status_code

    @property
    def kind(self) -> Kind | None:
        """What the body is by its bytes (shims/sniff.py), or None without a response."""
        return None if self.response is None else sniff_bytes(self.response.content)


def is_cloudflare_rate_limit(response: requests.Response) -> bool:
    """A Cloudflare rate-limit page ("error 1015", "You are being rate limited"), whatever its status."""
    if response.status_code not in (200, 403, 429, 503):
        return False
    if "html" not in response.headers.get("Content-Type", "text/html").lower():
        return False
    head = response.content[:20000].decode("utf-8", "replace")
    return bool(_CLOUDFLARE_RE.search(head)) and ("cloudflare" in head.lower() or "1015" in head)


def retry_after_seconds(response: requests.Response) -> float | None:
    """Retry-After as seconds (delta-seconds or an HTTP date), or None."""
    value = response.headers.get("Retry-After")
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


class _Nth:
    """What tenacity's waits read of a retry state: the number of the attempt."""

    def __init__(self, attempt_number: int):
        self.attempt_number = attempt_number


class Fetcher:
    """GETs URLs politely. Thread-safe: requests are spaced by `pause` across all threads."""

    def __init__(self, config: FetchConfig | None = None, log=None, sleep=time.sleep):
        self.config = config or FetchConfig()
        self._log = log or (lambda message, level="info": None)
        self._sleep = sleep
        self._lock = threading.Lock()
        self._next_at = 0.0
        self._local = threading.local()

    def _session(self) -> requests.Session:
        s = getattr(self._local, "session", None)
        if s is None:
            s = requests.Session()
            s.headers["User-Agent"] = self.config.user_agent
            s.verify = True
            self._local.session = s
        return s

    def _wait_turn(self) -> None:
        with self._lock:
            now = time.monotonic()
            wait = self._next_at - now
            self._next_at = max(now, self._next_at) + self.config.pause
        if wait > 0:
            self._sleep(wait)

    def get(self, url: str, referer: str | None = None) -> Fetched:
        """GET with retries; redirects are followed (response.history keeps them)."""
        cfg = self.config
        result = Fetched(url)
        headers = {"Referer": referer} if referer else {}
        tally = {"retries": 0, "rate_limits": 0}
        pause = backoff(cfg.backoff, cfg.backoff_max)

        def attempt() -> str | None:
            """One GET: the reason to try again (RATE_LIMITED for a Cloudflare page), or None."""
            self._wait_turn()
            result.attempts += 1
            try:
                r = self._session().get(url, headers=headers, timeout=cfg.timeout, allow_redirects=True)
            except requests.RequestException as e:
                result.response, result.error = None, f"{type(e).__name__}: {e}"
                return result.error
            result.response, result.error = r, None
            if is_cloudflare_rate_limit(r):
                return RATE_LIMITED
            return f"HTTP {r.status_code}" if r.status_code in RETRY_STATUSES else None

        def stop(state: tenacity.RetryCallState) -> bool:
            reason = state.outcome.result()
            if reason is RATE_LIMITED:
                if tally["rate_limits"] >= cfg.rate_limit_retries:
                    result.error = "rate limited by Cloudflare (error 1015)"
                    return True
                return False
            if tally["retries"] >= cfg.retries:
                result.error = (f"{reason} after {result.attempts} attempts" if result.response is not None
                                else f"{reason} (after {result.attempts} attempts)")
                return True
            return False

        def wait(state: tenacity.RetryCallState) -> float:
            if state.outcome.result() is RATE_LIMITED:
                return cfg.rate_limit_pause
            after = None if result.response is None else retry_after_seconds(result.response)
            if after is not None:
                return min(after, cfg.backoff_max)
            return pause(_Nth(tally["retries"] + 1))  # ordinary retries only: rate-limit pauses are apart

        def before_sleep(state: tenacity.RetryCallState) -> None:
            if state.outcome.result() is RATE_LIMITED:
                tally["rate_limits"] += 1
                self._log(f"{url}: Cloudflare rate limit page; pausing {state.upcoming_sleep:g} s", "warning")
            else:
                tally["retries"] += 1
                self._log(f"{url}: {state.outcome.result()}; retry {tally['retries']}/{cfg.retries} in "
                          f"{state.upcoming_sleep:.1f} s", "warning")

        tenacity.Retrying(retry=tenacity.retry_if_result(lambda reason: reason is not None), stop=stop, wait=wait,
                          before_sleep=before_sleep, sleep=self._sleep, retry_error_callback=lambda state: None)(attempt)
        return result

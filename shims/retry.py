"""What the shims share about retrying: numbers from the environment, and tenacity's waits.

The backoff is tenacity's `wait_random_exponential`: before retry n (from 1), a random pause in
[0, min(cap, base * 2**(n-1))] ("full jitter"), never below base/2 so a retry is never instant.
Each shim builds its own `tenacity.Retrying` from `backoff()` and says what it retries.
"""
from __future__ import annotations

import os

import tenacity


def env_float(name: str, default: float) -> float:
    """A number from the environment; the default when unset or not a number."""
    try:
        return float(os.environ.get(name, default))
    except ValueError:
        return default


def backoff(base: float, cap: float) -> tenacity.wait.wait_base:
    """Exponential backoff with full jitter from `base` seconds, each pause at most `cap`."""
    return tenacity.wait_random_exponential(multiplier=base, max=cap, min=min(base / 2, cap))

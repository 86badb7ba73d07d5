"""Requests-per-minute and tokens-per-minute limits shared by every thread of a backend."""

from __future__ import annotations

import threading
import time
from collections import deque


class RateLimiter:
    """Sliding one-minute window; ``acquire`` blocks until a request of ``tokens`` fits."""

    def __init__(self, rpm: int | None = None, tpm: int | None = None, clock=time.monotonic, sleep=time.sleep) -> None:
        self.rpm, self.tpm = rpm, tpm
        self._events: deque[tuple[float, int]] = deque()
        self._lock = threading.Lock()
        self._clock, self._sleep = clock, sleep

    def acquire(self, tokens: int = 0) -> float:
        """Wait for room; returns the seconds waited."""
        if not self.rpm and not self.tpm:
            return 0.0
        waited = 0.0
        while True:
            with self._lock:
                now = self._clock()
                while self._events and now - self._events[0][0] >= 60:
                    self._events.popleft()
                used = sum(t for _, t in self._events)
                if (not self.rpm or len(self._events) < self.rpm) and (
                    not self.tpm or used + tokens <= self.tpm or not self._events
                ):
                    self._events.append((now, tokens))
                    return waited
                delay = max(60 - (now - self._events[0][0]), 0.01)
            self._sleep(delay)
            waited += delay

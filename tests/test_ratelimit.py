from extractor.backends.ratelimit import RateLimiter


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


def test_requests_per_minute():
    clock = FakeClock()
    limiter = RateLimiter(rpm=3, clock=clock, sleep=clock.sleep)
    waits = [limiter.acquire() for _ in range(4)]
    assert waits[:3] == [0.0, 0.0, 0.0]
    assert waits[3] >= 60 and clock.now >= 60


def test_tokens_per_minute():
    clock = FakeClock()
    limiter = RateLimiter(tpm=1000, clock=clock, sleep=clock.sleep)
    assert limiter.acquire(600) == 0.0
    assert limiter.acquire(600) >= 60


def test_one_request_larger_than_the_budget_still_goes_when_alone():
    clock = FakeClock()
    assert RateLimiter(tpm=100, clock=clock, sleep=clock.sleep).acquire(500) == 0.0


def test_no_limits_never_waits():
    assert RateLimiter().acquire(10**9) == 0.0

"""Test helpers: a wall-clock guard that turns a hang into a failure."""

import signal
from contextlib import contextmanager


@contextmanager
def wall_clock_limit(seconds: float):
    """Raise TimeoutError inside the body once ``seconds`` have passed (SIGALRM; tests run in the main thread).

    The alarm re-arms itself every 0.1 s after expiring, in case the first one lands where it is swallowed
    (for example inside a garbage-collection callback)."""
    def expire(signum, frame):
        signal.setitimer(signal.ITIMER_REAL, 0.1)
        raise TimeoutError(f"took longer than {seconds} s: the code under test hangs on this input")
    old = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)

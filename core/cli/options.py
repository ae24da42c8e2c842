"""Argument types shared by the subcommands: seeds and simulated durations, checked before any work."""

from __future__ import annotations

import argparse
import math
from decimal import Decimal, InvalidOperation

MAX_SECONDS = 86400.0  # one simulated day: longer runs are refused rather than left running for hours

# What PodPath simulates on one machine (benchmarks/: 5,000 nodes, 150,000 pods, a 1,000,000-request tick).
# Larger numbers are refused before any work, with one line and exit 2, instead of running out of memory.
MAX_REQUESTS = 10_000_000  # route --requests: ~8 s and ~60 MB at 1,000,000/s on the demo
MAX_RATE = 1_000_000.0  # requests per second (a Traffic's spec.rate has the same limit)
MAX_CLIENTS = 65_536  # distinct client addresses (a node's podCIDR may allow fewer: checked when sending)
MAX_KEEPALIVE = 1_000_000  # requests per connection
MAX_TRACE = 10_000  # hop-by-hop traces printed


def _num(value: float) -> str:
    """1000000 -> "1,000,000"; 0.5 -> "0.5"."""
    return f"{int(value):,}" if float(value).is_integer() else f"{value:,g}"


def limits_error(name: str, value: float | None, low: float, high: float) -> str | None:
    """One line when ``value`` is outside low..high (NaN included), else None."""
    if value is None:
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return f"{name} must be a finite number between {_num(low)} and {_num(high)}, got {value}"
    if value < low:
        return f"{name} must be at least {_num(low)}, got {value}"
    if value > high:
        return f"{name} must be at most {_num(high)} (what PodPath can simulate on one machine), got {_num(value)}"
    return None


def seed(text: str) -> int:
    """A random seed: a whole number 0 .. 2^63-1 (numpy's Generator refuses negative seeds)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if not 0 <= value < 2**63:
        raise argparse.ArgumentTypeError(f"{value} is not in 0..2^63-1")
    return value


def count(text: str) -> int:
    """A count of requests, clients, traces: a whole number, also written as ``1e8`` or ``100000000.0`` (what a
    hurried user types); its range is checked by the command (``limits_error``) so the message names the bound."""
    try:
        return int(text)
    except ValueError:
        pass
    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if not value.is_finite() or value != value.to_integral_value():
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number")
    if value.adjusted() > 30:  # int() of 1e999999999 would build a billion digits
        raise argparse.ArgumentTypeError(f"{text} is far beyond what PodPath can simulate on one machine")
    return int(value)


class OneLineParser(argparse.ArgumentParser):
    """Usage errors as one line and exit 2 (``podpath route: error: argument --requests: 'x' is not a whole
    number (podpath route --help)``) instead of argparse's usage block, like the commands' own range checks."""

    def error(self, message: str):
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def sim_seconds(text: str) -> float:
    """A simulated time in seconds: finite, 0 .. MAX_SECONDS."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if not (math.isfinite(value) and 0 <= value <= MAX_SECONDS):
        raise argparse.ArgumentTypeError(f"{text} is not in 0..{MAX_SECONDS:g} seconds (one simulated day)")
    return value

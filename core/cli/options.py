"""Argument types shared by the subcommands: seeds and simulated durations, checked before any work."""

from __future__ import annotations

import argparse
import math

MAX_SECONDS = 86400.0  # one simulated day: longer runs are refused rather than left running for hours


def seed(text: str) -> int:
    """A random seed: a whole number 0 .. 2^63-1 (numpy's Generator refuses negative seeds)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if not 0 <= value < 2**63:
        raise argparse.ArgumentTypeError(f"{value} is not in 0..2^63-1")
    return value


def sim_seconds(text: str) -> float:
    """A simulated time in seconds: finite, 0 .. MAX_SECONDS."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if not (math.isfinite(value) and 0 <= value <= MAX_SECONDS):
        raise argparse.ArgumentTypeError(f"{text} is not in 0..{MAX_SECONDS:g} seconds (one simulated day)")
    return value

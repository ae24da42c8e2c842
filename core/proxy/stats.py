"""Chi-square goodness-of-fit without scipy: regularised upper incomplete gamma by series / continued fraction."""

from __future__ import annotations

import math

import numpy as np


def gammaincc(a: float, x: float) -> float:
    """Regularised upper incomplete gamma Q(a, x) (Numerical Recipes' gser/gcf split at x = a + 1)."""
    if a <= 0 or x < 0:
        raise ValueError(f"gammaincc needs a > 0 and x >= 0, got a={a}, x={x}")
    if x == 0:
        return 1.0
    lg = math.lgamma(a)
    if x < a + 1:
        term = total = 1.0 / a
        ap = a
        for _ in range(10000):
            ap += 1
            term *= x / ap
            total += term
            if abs(term) < abs(total) * 1e-15:
                break
        return max(0.0, 1.0 - total * math.exp(-x + a * math.log(x) - lg))
    tiny = 1e-300
    b = x + 1 - a
    c = 1 / tiny
    d = 1 / b
    h = d
    for i in range(1, 10000):
        an = -i * (i - a)
        b += 2
        d = an * d + b
        d = tiny if abs(d) < tiny else d
        c = b + an / c
        c = tiny if abs(c) < tiny else c
        d = 1 / d
        delta = d * c
        h *= delta
        if abs(delta - 1) < 1e-15:
            break
    return math.exp(-x + a * math.log(x) - lg) * h


def chi2_sf(stat: float, dof: int) -> float:
    """P(X >= stat) for X ~ chi-square(dof)."""
    if dof < 1:
        raise ValueError(f"chi-square needs at least 1 degree of freedom, got {dof}")
    return gammaincc(dof / 2.0, max(stat, 0.0) / 2.0)


def chi2_gof(counts: np.ndarray, shares: np.ndarray) -> tuple[float, float]:
    """Pearson statistic and p-value of observed counts against expected shares (which sum to 1)."""
    counts = np.asarray(counts, dtype=float)
    expected = counts.sum() * np.asarray(shares, dtype=float)
    stat = float(((counts - expected) ** 2 / expected).sum())
    return stat, chi2_sf(stat, counts.size - 1)


def chi2_homogeneity(a: np.ndarray, b: np.ndarray) -> tuple[float, float]:
    """Two-sample chi-square test that two count vectors come from the same distribution."""
    table = np.vstack([a, b]).astype(float)
    expected = table.sum(1, keepdims=True) * table.sum(0, keepdims=True) / table.sum()
    stat = float(((table - expected) ** 2 / expected).sum())
    return stat, chi2_sf(stat, table.shape[1] - 1)

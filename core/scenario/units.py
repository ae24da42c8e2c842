"""Kubernetes quantities (``100m``, ``128Mi``) and Go durations (``1s``, ``1m30s``) as plain numbers."""

from __future__ import annotations

import math
import re
from decimal import Decimal, InvalidOperation

QUANTITY_RE = re.compile(r"^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$")
QUANTITY_MESSAGE = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"

_SUFFIX = {
    "": Decimal(1), "n": Decimal("1e-9"), "u": Decimal("1e-6"), "m": Decimal("1e-3"),
    "k": Decimal("1e3"), "M": Decimal("1e6"), "G": Decimal("1e9"), "T": Decimal("1e12"), "P": Decimal("1e15"),
    "E": Decimal("1e18"),
    "Ki": Decimal(2**10), "Mi": Decimal(2**20), "Gi": Decimal(2**30), "Ti": Decimal(2**40), "Pi": Decimal(2**50),
    "Ei": Decimal(2**60),
}


def parse_quantity(value: object) -> Decimal:
    """The value of a resource.Quantity; raises ValueError with the apiserver's message when malformed."""
    if isinstance(value, bool) or value is None:
        raise ValueError(QUANTITY_MESSAGE)
    if isinstance(value, (int, float)):
        if isinstance(value, float) and not math.isfinite(value):
            raise ValueError(QUANTITY_MESSAGE)
        return Decimal(str(value))
    text = str(value).strip()
    m = QUANTITY_RE.match(text)
    if not m or len(text) > 64:
        raise ValueError(QUANTITY_MESSAGE)
    number, suffix = m.groups()
    try:
        base = Decimal(number)
        if suffix in _SUFFIX:
            return base * _SUFFIX[suffix]
        if suffix[:1] in "eE" and re.fullmatch(r"[eE][-+]?[0-9]+", suffix) and abs(int(suffix[1:])) <= 30:
            return base * (Decimal(10) ** int(suffix[1:]))
    except InvalidOperation:
        pass
    raise ValueError(QUANTITY_MESSAGE)


def cpu_millicores(value: object) -> int:
    """CPU quantity in millicores, rounded up like the kubelet (``100m`` -> 100, ``0.5`` -> 500)."""
    return int(math.ceil(parse_quantity(value) * 1000))


def memory_bytes(value: object) -> int:
    """Memory quantity in bytes, rounded up (``128Mi`` -> 134217728, ``1G`` -> 1000000000)."""
    return int(math.ceil(parse_quantity(value)))


_DURATION_PART = re.compile(r"(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)")
_UNITS = {"ns": 1e-9, "us": 1e-6, "µs": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0, "h": 3600.0}


def parse_duration(value: object) -> float:
    """Go ``time.ParseDuration`` in seconds (``"1s"``, ``"500ms"``, ``"1m30s"``); ValueError if malformed."""
    if not isinstance(value, str):
        raise ValueError('must be a duration string such as "1s", "500ms" or "1m30s"')
    text = value.strip()
    if text in ("0", "+0", "-0"):
        return 0.0
    sign = -1.0 if text.startswith("-") else 1.0
    body = text.lstrip("+-")
    pos, total = 0, 0.0
    for m in _DURATION_PART.finditer(body):
        if m.start() != pos:
            break
        total += float(m.group(1)) * _UNITS[m.group(2)]
        pos = m.end()
    if not body or pos != len(body):
        raise ValueError('must be a duration string such as "1s", "500ms" or "1m30s"')
    return sign * total

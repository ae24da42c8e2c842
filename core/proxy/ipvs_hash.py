"""IPVS hashing schedulers' building blocks: hash_32, dh/sh bucket keys, the dh/sh/mh lookup tables.

Sources (domain.md b.3): linux ``include/linux/hash.h`` (``hash_32``, GOLDEN_RATIO_32 = 0x61C88647),
``net/netfilter/ipvs/ip_vs_dh.c``, ``ip_vs_sh.c``, ``ip_vs_mh.c``. Tables hold indices into the kernel
destination list (head first); -1 marks an empty bucket. Scalar helpers take ints, ``*_array`` helpers
numpy arrays (wrapping uint32 arithmetic).
"""

from __future__ import annotations

import functools
import ipaddress
import math
from collections.abc import Sequence

import numpy as np

from core.proxy.siphash import hsiphash_u32, hsiphash_u32_lanes, mh_bucket_kernel

GOLDEN_RATIO_32 = 0x61C88647
LEGACY_MULTIPLIER = 2654435761  # 0x9E3779B1, Knuth's golden-ratio prime (pre-hash_32 kernels)
DH_TAB_BITS = 8
SH_TAB_BITS = 8
TAB_SIZE = 256
MH_PRIMES = (251, 509, 1021, 2039, 4093, 8191, 16381, 32749, 65521, 131071)
MH_TAB_SIZE = MH_PRIMES[4]  # CONFIG_IP_VS_MH_TAB_INDEX = 12 -> primes[12 - 8] = 4093
MH_TAB_BITS = 6
MH_HASH1_KEY = (2654435761, 2654435761)
MH_HASH2_KEY = (2654446892, 2654446892)


def ip_to_u32(ip: str | int) -> int:
    """Dotted IPv4 (or an int) to host-order u32 (``ntohl(addr)``); IPv6 is folded by XOR of its 4 words."""
    if isinstance(ip, int):
        if not 0 <= ip <= 0xFFFFFFFF:
            raise ValueError(f"IPv4 address as int must be 0..4294967295, got {ip}")
        return ip
    try:
        addr = ipaddress.ip_address(ip)
    except ValueError as exc:
        raise ValueError(f"not an IP address: {ip!r} (expected e.g. '10.96.0.10')") from exc
    if addr.version == 4:
        return int(addr)
    v = int(addr)
    return (v >> 96) ^ ((v >> 64) & 0xFFFFFFFF) ^ ((v >> 32) & 0xFFFFFFFF) ^ (v & 0xFFFFFFFF)


def split_key(key: str) -> tuple[int, int]:
    """Endpoint key ``"ip:port"`` (IPv6 ``"[ip]:port"``) to (u32 address, port)."""
    host, sep, port = key.rpartition(":")
    if not sep or not port.isdigit() or not 0 <= int(port) <= 65535:
        raise ValueError(f"endpoint key must be 'ip:port' with port 0..65535, got {key!r}")
    return ip_to_u32(host.strip("[]")), int(port)


def hash_32(value: int, bits: int) -> int:
    """``hash_32(v, bits) = (v * GOLDEN_RATIO_32 mod 2^32) >> (32 - bits)``."""
    return ((value * GOLDEN_RATIO_32) & 0xFFFFFFFF) >> (32 - bits)


def hash_32_array(values: np.ndarray, bits: int) -> np.ndarray:
    v = np.asarray(values).astype(np.uint64) & np.uint64(0xFFFFFFFF)
    return (((v * np.uint64(GOLDEN_RATIO_32)) & np.uint64(0xFFFFFFFF)) >> np.uint64(32 - bits)).astype(np.int64)


def dh_bucket(daddr: str | int) -> int:
    """Modern ``ip_vs_dh_hashkey``: ``hash_32(ntohl(daddr), 8)``."""
    return hash_32(ip_to_u32(daddr), DH_TAB_BITS)


def dh_bucket_legacy(daddr: str | int) -> int:
    """Older kernels: ``(ntohl(daddr) * 2654435761UL) & 255`` (the low 8 bits)."""
    return (ip_to_u32(daddr) * LEGACY_MULTIPLIER) & (TAB_SIZE - 1)


def sh_bucket(saddr: str | int, port: int = 0) -> int:
    """Modern ``ip_vs_sh_hashkey`` with offset 0: ``hash_32(port + ntohl(saddr), 8)`` (u32 addition)."""
    return hash_32((ip_to_u32(saddr) + port) & 0xFFFFFFFF, SH_TAB_BITS)


def sh_bucket_array(saddr: np.ndarray, port: np.ndarray | int = 0) -> np.ndarray:
    """Vectorised ``sh_bucket``: uint32 arithmetic wraps mod 2^32 exactly as the kernel's u32."""
    s = np.asarray(saddr, dtype=np.uint32)  # no copy when it already is uint32: never written below
    if not np.isscalar(port) or port:
        s = s + np.asarray(port).astype(np.uint32)
        np.multiply(s, np.uint32(GOLDEN_RATIO_32), out=s)
    else:
        s = np.multiply(s, np.uint32(GOLDEN_RATIO_32))  # the one pass that allocates
    np.right_shift(s, np.uint32(32 - SH_TAB_BITS), out=s)
    return s


def dh_table(n_dests: int) -> np.ndarray:
    """``ip_vs_dh_reassign``: bucket i gets the (i mod n)-th dest of the list, weights ignored."""
    if n_dests == 0:
        return np.full(TAB_SIZE, -1, dtype=np.int64)
    return np.arange(TAB_SIZE, dtype=np.int64) % n_dests


def sh_table(weights: Sequence[int]) -> np.ndarray:
    """``ip_vs_sh_reassign``: walk the list cyclically, each dest taking max(weight, 1) consecutive buckets."""
    n = len(weights)
    if n == 0:
        return np.full(TAB_SIZE, -1, dtype=np.int64)
    per = np.maximum(np.asarray(weights, dtype=np.int64), 1)
    cycle = np.repeat(np.arange(n, dtype=np.int64), per)
    reps = -(-TAB_SIZE // len(cycle))
    return np.tile(cycle, reps)[:TAB_SIZE]


def mh_hash(addr: int, port: int, key: tuple[int, int], offset: int = 0) -> int:
    """``ip_vs_mh_hashkey``: ``hsiphash(&v, 4, key)`` with ``v = offset + ntohs(port) + ntohl(addr)``."""
    return hsiphash_u32((offset + port + addr) & 0xFFFFFFFF, key)


def mh_lookup_array(saddr: np.ndarray, port: np.ndarray | int, table_size: int = MH_TAB_SIZE) -> np.ndarray:
    """Bucket of each (source address, source port) in the Maglev table: ``h1(saddr + port) % M`` (int64).

    ``saddr + port`` is the kernel's u32 sum (wraps); ``% M`` is an exact multiply-shift when M allows
    one (every IPVS table prime does), a fraction of numpy's integer remainder.
    """
    s = np.asarray(saddr)
    compiled = mh_bucket_kernel.get()
    if compiled is not None and s.ndim == 1:
        return mh_lookup_compiled(compiled, s, port, table_size)
    if not np.isscalar(port) or port:
        u = np.add(s, np.asarray(port), dtype=np.int64)  # < 2^33: no overflow before the u32 wrap
        u &= 0xFFFFFFFF
        u = u.view(np.uint64)
    else:
        u = s.astype(np.uint64)
        u &= np.uint64(0xFFFFFFFF)
    h = hsiphash_u32_lanes(u, MH_HASH1_KEY)
    magic = _mod_magic(table_size)
    if magic is None:
        return (h % np.uint64(table_size)).view(np.int64)
    m, shift = magic
    q = h * np.uint64(m)
    q >>= np.uint64(shift)
    q *= np.uint64(table_size)
    h -= q
    return h.view(np.int64)


def mh_lookup_compiled(compiled, saddr: np.ndarray, port: np.ndarray | int, table_size: int) -> np.ndarray:
    """``mh_lookup_array`` in one compiled pass (core.jit): the same buckets, about 3 ns per connection."""
    s = saddr.astype(np.int64, copy=False)
    p = np.broadcast_to(np.asarray(port, dtype=np.int64), s.shape)
    magic = _mod_magic(table_size) or (0, 0)
    out = np.empty(s.shape, dtype=np.int64)
    k0, k1 = (np.uint64(k & 0xFFFFFFFFFFFFFFFF) for k in MH_HASH1_KEY)
    compiled(s, p, k0, k1, table_size, magic[0], magic[1], out)
    return out


@functools.cache
def _mod_magic(d: int) -> tuple[int, int] | None:
    """(m, s) with ``x // d == (x * m) >> s`` for every u32 x and ``x * m < 2^64`` (Granlund-Montgomery:
    m = ceil(2^s / d), exact when ``m*d - 2^s <= 2^(s-32)``); None if no such m below 2^32."""
    for s in range(32, 64):
        m = -(-(1 << s) // d)
        if m >= 1 << 32:
            return None
        if m * d - (1 << s) <= 1 << (s - 32):
            return m, s
    return None


def _fls(x: int) -> int:
    return x.bit_length()


def mh_turns(last_weights: Sequence[int]) -> list[int]:
    """Per dest ``turns = ((lw / gcd) >> rshift) ?: (lw != 0)`` with ``rshift = max(fls(maxw/gcd) - 6, 0)``."""
    pos = [w for w in last_weights if w > 0]
    if not pos:
        return [0] * len(last_weights)
    g = 0
    for w in pos:
        g = math.gcd(g, w)
    shift = max(_fls(max(pos) // g) - MH_TAB_BITS, 0)
    return [((lw // g) >> shift) or int(lw != 0) for lw in last_weights]


def mh_table(keys: Sequence[str], last_weights: Sequence[int], table_size: int = MH_TAB_SIZE) -> np.ndarray:
    """``ip_vs_mh_permutate`` + ``ip_vs_mh_populate``: Maglev population over the list (head first).

    Each dest has ``offset = h1(addr, port) % M`` and ``skip = h2(addr, port) % (M-1) + 1``; rounds walk
    the list and each dest with ``turns >= 1`` claims ``turns`` slots, each time advancing its permutation
    past taken slots. The walk is inherently sequential (the kernel's loop); it runs once per list change.
    """
    table = np.full(table_size, -1, dtype=np.int64)
    turns = mh_turns(last_weights)
    if not any(t > 0 for t in turns):
        return table
    perm = []
    skip = []
    for key in keys:
        addr, port = split_key(key)
        perm.append(mh_hash(addr, port, MH_HASH1_KEY) % table_size)
        skip.append(mh_hash(addr, port, MH_HASH2_KEY) % (table_size - 1) + 1)
    taken = bytearray(table_size)
    out = [-1] * table_size
    n = 0
    while True:
        for d, t in enumerate(turns):
            for _ in range(t):
                c = perm[d]
                while taken[c]:
                    c += skip[d]
                    if c >= table_size:
                        c -= table_size
                perm[d] = c
                taken[c] = 1
                out[c] = d
                n += 1
                if n == table_size:
                    table[:] = out
                    return table

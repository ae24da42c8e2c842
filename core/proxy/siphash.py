"""hsiphash as the 64-bit Linux kernel computes it (SipHash-1-3 truncated to u32), scalar and vectorised.

linux ``lib/siphash.c``: on ``BITS_PER_LONG == 64`` ``hsiphash`` is SipHash-1-3 (one compression round per
8-byte word, three finalisation rounds) with a key of two ``unsigned long`` (u64) words; the 64-bit result
is truncated to u32 on return. IPVS ``mh`` calls ``hsiphash(&v, 4, key)`` on a u32 ``v``: one 4-byte
little-endian tail word, so the only message block is ``b = (4 << 56) | v``.
"""

from __future__ import annotations

import numpy as np

from core.jit import kernel

MASK64 = (1 << 64) - 1
C0, C1, C2, C3 = 0x736F6D6570736575, 0x646F72616E646F6D, 0x6C7967656E657261, 0x7465646279746573


def _rol(x: int, b: int) -> int:
    return ((x << b) | (x >> (64 - b))) & MASK64


def _round(v0: int, v1: int, v2: int, v3: int) -> tuple[int, int, int, int]:
    v0 = (v0 + v1) & MASK64
    v1 = _rol(v1, 13) ^ v0
    v0 = _rol(v0, 32)
    v2 = (v2 + v3) & MASK64
    v3 = _rol(v3, 16) ^ v2
    v0 = (v0 + v3) & MASK64
    v3 = _rol(v3, 21) ^ v0
    v2 = (v2 + v1) & MASK64
    v1 = _rol(v1, 17) ^ v2
    v2 = _rol(v2, 32)
    return v0, v1, v2, v3


def hsiphash(data: bytes, key: tuple[int, int]) -> int:
    """Kernel ``hsiphash(data, len, key)`` on a 64-bit kernel: SipHash-1-3 of ``data``, low 32 bits."""
    k0, k1 = key[0] & MASK64, key[1] & MASK64
    v0, v1, v2, v3 = C0 ^ k0, C1 ^ k1, C2 ^ k0, C3 ^ k1
    n = len(data)
    full = n - n % 8
    for i in range(0, full, 8):
        m = int.from_bytes(data[i : i + 8], "little")
        v3 ^= m
        v0, v1, v2, v3 = _round(v0, v1, v2, v3)
        v0 ^= m
    b = ((n & 0xFF) << 56) | int.from_bytes(data[full:], "little")
    v3 ^= b
    v0, v1, v2, v3 = _round(v0, v1, v2, v3)
    v0 ^= b
    v2 ^= 0xFF
    for _ in range(3):
        v0, v1, v2, v3 = _round(v0, v1, v2, v3)
    return (v0 ^ v1 ^ v2 ^ v3) & 0xFFFFFFFF


def hsiphash_u32(value: int, key: tuple[int, int]) -> int:
    """``hsiphash(&v, sizeof(u32), key)`` for one u32 ``v`` (stored little-endian, as on x86/arm64)."""
    return hsiphash((value & 0xFFFFFFFF).to_bytes(4, "little"), key)


def hsiphash_u32_array(values: np.ndarray, key: tuple[int, int]) -> np.ndarray:
    """Vectorised ``hsiphash_u32`` over an array of u32 values; returns uint32."""
    u = np.asarray(values).astype(np.uint64)
    u &= np.uint64(0xFFFFFFFF)
    return hsiphash_u32_lanes(u, key).astype(np.uint32)


_U64 = np.uint64
# shift counts as 0-d uint64 arrays: cheaper ufunc dispatch than numpy scalars
_SHIFT = {r: np.array(r, dtype=_U64) for r in (13, 16, 17, 21, 32, 43, 47, 48, 51)}


def hsiphash_u32_lanes(u: np.ndarray, key: tuple[int, int]) -> np.ndarray:
    """``hsiphash_u32`` of each value of ``u`` (uint64 holding u32 values): uint64 lanes holding the u32 hash.

    The work is numpy passes over 64-bit lanes (about 0.17 ns per lane and pass at 10,000 lanes), so the
    fewer passes the faster:

    * every call is a plain 1-d ufunc with ``out=`` into five preallocated rows (v0..v3 and one scratch
      row): stacking two state words in a (2, k) call with per-row shift counts measured slower than two
      1-d calls (the broadcast shift count leaves numpy's contiguous-by-scalar loop);
    * the first round starts from the key constants: v0/v1's half is folded into Python ints, and
      ``rol16(v3)`` of ``v3 = u ^ c`` is ``(u << 16) ^ rol16(c)`` (u has 32 bits, nothing wraps);
    * of the last round only what reaches the low 32 bits of ``v0 ^ v1 ^ v2 ^ v3`` is computed: v0 enters
      ``v3 = rol21(v3) ^ v0`` and the final xor, so it cancels, leaving
      ``rol17(v1) ^ rol21(v3) ^ v2 ^ rol32(v2)`` after the round's first half and ``v2 += v1``.

    92 lane passes in all; a rotation costs three (shl, shr, or) -- rotating by 32 through uint32 or
    uint16 views (a shifted copy plus a strided fix-up) measured no faster.
    """
    k0, k1 = key[0] & MASK64, key[1] & MASK64
    i0, i1, i2, i3 = C0 ^ k0, C1 ^ k1, C2 ^ k0, C3 ^ k1
    blk = 4 << 56  # the message block is b = (4 << 56) | v; v3 starts as i3 ^ b = u ^ c3
    c3 = i3 ^ blk
    a0 = (i0 + i1) & MASK64  # round 1, v0/v1 half on constants
    c1 = _rol(i1, 13) ^ a0
    c0 = _rol(a0, 32)
    st = np.empty((5, u.size), dtype=_U64)
    v0, v1, v2, v3, t = st
    add, xor, bor, shl, shr = np.add, np.bitwise_xor, np.bitwise_or, np.left_shift, np.right_shift
    sh = _SHIFT

    def rol(x: np.ndarray, b: int) -> None:
        shl(x, sh[b], t)
        shr(x, sh[64 - b], x)
        bor(x, t, x)

    # round 1 (compression of the one block)
    xor(u, _U64(c3), v2)
    add(v2, _U64(i2), v2)  # v2 += v3
    shl(u, sh[16], v3)
    xor(v3, v2, v3)
    xor(v3, _U64(_rol(c3, 16)), v3)  # v3 = rol16(v3) ^ v2
    add(v3, _U64(c0), v0)  # v0 += v3
    rol(v3, 21)
    xor(v3, v0, v3)  # v3 = rol21(v3) ^ v0
    add(v2, _U64(c1), v2)  # v2 += v1
    xor(v2, _U64(_rol(c1, 17)), v1)  # v1 = rol17(v1) ^ v2
    rol(v2, 32)
    xor(v0, u, v0)
    xor(v0, _U64(blk), v0)  # v0 ^= b
    xor(v2, _U64(0xFF), v2)
    for _ in range(2):  # finalisation rounds 1 and 2
        add(v0, v1, v0)
        rol(v1, 13)
        xor(v1, v0, v1)
        rol(v0, 32)
        add(v2, v3, v2)
        rol(v3, 16)
        xor(v3, v2, v3)
        add(v0, v3, v0)
        rol(v3, 21)
        xor(v3, v0, v3)
        add(v2, v1, v2)
        rol(v1, 17)
        xor(v1, v2, v1)
        rol(v2, 32)
    # finalisation round 3, only what reaches the low 32 bits of the result
    add(v0, v1, v0)
    rol(v1, 13)
    xor(v1, v0, v1)
    add(v2, v3, v2)
    rol(v3, 16)
    xor(v3, v2, v3)
    add(v2, v1, v2)  # v2 += v1
    rol(v3, 21)
    rol(v1, 17)
    xor(v3, v1, v3)
    xor(v3, v2, v3)
    shr(v2, sh[32], t)
    xor(v3, t, v3)  # ^ v2 ^ rol32(v2): low 32 bits
    np.bitwise_and(v3, _U64(0xFFFFFFFF), v3)
    return v3


def _mh_bucket_loop(saddr, port, k0, k1, table_size, magic_m, magic_s, out):  # pragma: no cover - compiled
    """Per connection: ``v = (saddr + port) mod 2^32``, ``hsiphash(&v, 4, key) % table_size`` (one pass).

    The same integer steps as ``hsiphash`` above in numba's subset: the u64 state words wrap as the kernel's
    do; ``% table_size`` is the exact multiply-shift of ``ipvs_hash._mod_magic`` when ``magic_m`` is
    non-zero (a 64-bit divide costs more than the whole hash).
    """
    c0 = np.uint64(0x736F6D6570736575) ^ k0
    c1 = np.uint64(0x646F72616E646F6D) ^ k1
    c2 = np.uint64(0x6C7967656E657261) ^ k0
    c3 = np.uint64(0x7465646279746573) ^ k1
    low32 = np.uint64(0xFFFFFFFF)
    tail = np.uint64(4) << np.uint64(56)
    ff = np.uint64(0xFF)
    d = np.uint64(table_size)
    mm = np.uint64(magic_m)
    ms = np.uint64(magic_s)
    for i in range(saddr.size):
        b = tail | ((np.uint64(saddr[i]) + np.uint64(port[i])) & low32)
        v0, v1, v2, v3 = c0, c1, c2, c3 ^ b
        for r in range(4):
            if r == 1:
                v0 ^= b
                v2 ^= ff
            v0 += v1
            v1 = (v1 << np.uint64(13)) | (v1 >> np.uint64(51))
            v1 ^= v0
            v0 = (v0 << np.uint64(32)) | (v0 >> np.uint64(32))
            v2 += v3
            v3 = (v3 << np.uint64(16)) | (v3 >> np.uint64(48))
            v3 ^= v2
            v0 += v3
            v3 = (v3 << np.uint64(21)) | (v3 >> np.uint64(43))
            v3 ^= v0
            v2 += v1
            v1 = (v1 << np.uint64(17)) | (v1 >> np.uint64(47))
            v1 ^= v2
            v2 = (v2 << np.uint64(32)) | (v2 >> np.uint64(32))
        h = (v0 ^ v1 ^ v2 ^ v3) & low32
        if mm:
            h -= ((h * mm) >> ms) * d
        else:
            h %= d
        out[i] = np.int64(h)


mh_bucket_kernel = kernel(_mh_bucket_loop)

"""core/jit.py: compiled loops give the answers of the numpy paths and of the scalar reference, and the
numpy path takes over where numba is missing or disabled."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from core import jit
from core.proxy.ipvs_hash import MH_HASH1_KEY, MH_PRIMES, mh_hash, mh_lookup_array
from core.proxy.siphash import mh_bucket_kernel

ROOT = Path(__file__).resolve().parents[2]
needs_numba = pytest.mark.skipif(not jit.enabled(), reason="numba is not importable here")


@needs_numba
def test_compiled_hsiphash_hits_the_kernel_kunit_vector():
    """linux lib/siphash_kunit.c, 64-bit: hsiphash of bytes 00 01 02 03 under key
    {0x0706050403020100, 0x0f0e0d0c0b0a0908} is 0x88d38328. With table size 2^32 and no magic the
    compiled bucket is the hash itself."""
    compiled = mh_bucket_kernel.get()
    out = np.empty(1, dtype=np.int64)
    compiled(np.array([0x03020100], dtype=np.int64), np.zeros(1, dtype=np.int64),
             np.uint64(0x0706050403020100), np.uint64(0x0F0E0D0C0B0A0908), 2**32, 0, 0, out)
    assert out.tolist() == [0x88D38328]


def _numpy_path(saddr, port, table_size):
    compiled, mh_bucket_kernel._compiled = mh_bucket_kernel._compiled, None
    try:
        return mh_lookup_array(saddr, port, table_size)
    finally:
        mh_bucket_kernel._compiled = compiled


@needs_numba
@pytest.mark.parametrize("table_size", MH_PRIMES)
def test_compiled_mh_buckets_equal_the_numpy_path_and_the_scalar(table_size):
    """Every Maglev table prime (each through the multiply-shift remainder), u32 wrap of saddr + sport,
    port as an array and as 0 (``mh-port`` off)."""
    rng = np.random.default_rng(table_size)
    saddr = np.r_[rng.integers(0, 2**32, size=2000, dtype=np.uint64), [0, 1, 2**32 - 1, 2**32 - 2]].astype(np.uint32)
    port = np.r_[rng.integers(0, 65536, size=2000), [0, 65535, 1, 2]]
    assert mh_bucket_kernel.get() is not None
    for p in (port, 0):
        got = mh_lookup_array(saddr, p, table_size)
        assert got.dtype == np.int64
        assert np.array_equal(got, _numpy_path(saddr, p, table_size))
    scalar = [mh_hash(int(a), int(b), MH_HASH1_KEY) % table_size for a, b in zip(saddr[:200], port[:200])]
    assert mh_lookup_array(saddr[:200], port[:200], table_size).tolist() == scalar
    # (2^32 - 1) + 65535 wraps to 65534 as the kernel's u32 sum does
    assert mh_lookup_array(np.array([2**32 - 1], np.uint32), np.array([65535]), table_size).tolist() == [
        mh_hash(0, 65534, MH_HASH1_KEY) % table_size]


@needs_numba
def test_the_compiled_remainder_without_multiply_shift_gives_the_same_buckets():
    """The kernel's plain ``%`` branch (magic 0) and its multiply-shift branch agree on every IPVS prime."""
    compiled = mh_bucket_kernel.get()
    saddr = np.arange(0, 2**32, 2**20, dtype=np.int64)
    port = np.full(saddr.size, 443, dtype=np.int64)
    k0, k1 = np.uint64(MH_HASH1_KEY[0]), np.uint64(MH_HASH1_KEY[1])
    for d in MH_PRIMES:
        out = np.empty(saddr.size, dtype=np.int64)
        compiled(saddr, port, k0, k1, d, 0, 0, out)
        assert np.array_equal(out, mh_lookup_array(saddr, port, d)), d


def _run(code: str, **env) -> str:
    e = {**os.environ, **env}
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=e, capture_output=True, text=True, check=True)
    return out.stdout.strip()


PROBE = (
    "import numpy as np; from core import jit; from core.proxy.ipvs_hash import mh_lookup_array;"
    "print(jit.enabled(), mh_lookup_array(np.array([1, 2, 3], np.uint32), 80).tolist())"
)


def test_podpath_jit_0_and_a_missing_numba_fall_back_to_numpy_with_the_same_answers():
    with_jit = _run(PROBE)
    off = _run(PROBE, PODPATH_JIT="0")
    missing = _run("import sys; sys.modules['numba'] = None; " + PROBE)
    assert off.startswith("False ") and missing.startswith("False ")
    assert with_jit.split(" ", 1)[1] == off.split(" ", 1)[1] == missing.split(" ", 1)[1]


def test_importing_core_does_not_import_numba():
    """The desktop's first paint and the CLI's quick commands do not pay numba's import (about 0.17 s)."""
    assert _run("import sys, core.engine, core.proxy.ipvs, core.proxy.siphash, core.jit; print('numba' in sys.modules)") == "False"

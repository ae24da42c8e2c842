"""Removed userspace mode: ``LoadBalancerRR`` round robin over a shuffled list, with dial retries.

domain.md c.2 (``k/k pkg/proxy/userspace/roundrobin.go``, pre-1.26): ``ep = endpoints[index];
index = (index+1) % len``. When the endpoint set changes the list is shuffled (``ShuffleStrings``) and the
index reset to 0; the shuffle needs randomness, so it happens at the next ``pick`` with that call's
Generator (or at once via ``shuffle(rng)``). ``endpoint_keys`` keeps the given order; the shuffled order
is ``rr_order`` (indices into ``endpoint_keys``) so picks stay stable indices. On a failed dial
(``alive`` False) the proxier asks for the next endpoint, up to 4 attempts (``EndpointDialTimeouts``
250ms/500ms/1s/2s); after 4 failures the connection fails (-1).

Approximation: a client whose remembered (affinity) endpoint is dead is rescheduled with 4 round-robin
attempts; the real proxier spends its first attempt on the dead endpoint and has 3 left.
"""

from __future__ import annotations

import numpy as np

from core.proxy.balancer import Balancer

DIAL_ATTEMPTS = 4


class UserspaceBalancer(Balancer):
    mode = "userspace"

    def __init__(self, *, affinity_timeout: float | None = None) -> None:
        super().__init__(affinity_timeout=affinity_timeout)
        self.rr_order = np.zeros(0, dtype=np.int64)
        self.index = 0
        self._pending_shuffle = False
        self._last_attempts = np.zeros(0, dtype=np.int64)

    def _set_endpoints(self, keys: list[str], weights: list[int], now: float) -> None:
        if set(keys) == set(self.endpoint_keys):
            # slicesEquiv: same set -> no reshuffle, index kept; keep our (given) order stable
            return
        self.endpoint_keys = list(keys)
        n = len(keys)
        self.rr_order = np.arange(n, dtype=np.int64)
        self.index = 0
        self._pending_shuffle = n > 1
        self.active = np.zeros(n, dtype=np.int64)
        self.inactive = np.zeros(n, dtype=np.int64)

    def shuffle(self, rng: np.random.Generator) -> None:
        """ShuffleStrings: a uniformly random permutation of the endpoint list."""
        self.rr_order = rng.permutation(len(self.endpoint_keys)).astype(np.int64)
        self._pending_shuffle = False

    def _usable_for_affinity(self) -> np.ndarray | None:
        return self._alive  # a remembered endpoint that refuses the dial is abandoned (affinity reset)

    def _schedule(self, src_ip, src_port, dst_ip, now, rng, alive) -> np.ndarray:
        if self._pending_shuffle:
            self.shuffle(rng)
        n = len(self.endpoint_keys)
        k = src_ip.size
        if n == 0:
            self._last_attempts = np.zeros(k, dtype=np.int64)
            return np.full(k, -1, dtype=np.int64)
        if alive is None or alive.all():
            slots = (self.index + np.arange(k, dtype=np.int64)) % n
            self.index = int((self.index + k) % n)
            self._last_attempts = np.ones(k, dtype=np.int64)
            return self.rr_order[slots]
        ok = alive[self.rr_order]  # by slot
        # attempts used when starting at slot s: distance to the next alive slot + 1, at most 4
        s = np.arange(n)
        if ok.any():
            alive_slots = np.flatnonzero(ok)
            nxt = alive_slots[np.searchsorted(alive_slots, s) % alive_slots.size]
            dist = (nxt - s) % n
        else:
            dist = np.full(n, DIAL_ATTEMPTS, dtype=np.int64)
        attempts = np.minimum(dist + 1, DIAL_ATTEMPTS)
        success = dist < DIAL_ATTEMPTS
        result = np.where(success, self.rr_order[(s + dist) % n], -1)
        step = (s + attempts) % n
        # the start slots form an orbit of `step`; walk it until it repeats (<= n steps), then tile
        seen: dict[int, int] = {}
        orbit: list[int] = []
        cur = self.index
        while cur not in seen and len(orbit) < k:
            seen[cur] = len(orbit)
            orbit.append(cur)
            cur = int(step[cur])
        if len(orbit) < k:
            head = seen[cur]
            cycle = np.asarray(orbit[head:], dtype=np.int64)
            tail = np.resize(cycle, k - len(orbit))
            starts = np.concatenate([np.asarray(orbit, dtype=np.int64), tail])
        else:
            starts = np.asarray(orbit, dtype=np.int64)
        self.index = int(step[starts[-1]])
        self._last_attempts = attempts[starts]
        return result[starts].astype(np.int64)

    def _describe(self, i: int, j: int) -> str:
        if j < 0:
            return f"LoadBalancerRR: {DIAL_ATTEMPTS} dial attempts failed -> connection refused"
        # attempts are known per scheduled connection; with affinity the batch index does not map to them
        tries = int(self._last_attempts[i]) if self.affinity is None and i < self._last_attempts.size else 1
        extra = f" after {tries - 1} failed dial(s)" if tries > 1 else ""
        return f"LoadBalancerRR round robin{extra} -> {self.endpoint_keys[j]}"

    def expected_shares(self) -> np.ndarray:
        n = len(self.endpoint_keys)
        return np.full(n, 1.0 / n) if n else np.zeros(0)

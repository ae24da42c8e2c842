"""Data-plane routing at Kubernetes' documented limits, and ``podpath route`` end to end.

    .venv/bin/python benchmarks/bench_dataplane.py [--quick] [--scale F] [--mode iptables|nftables|ipvs]
                                                   [--scheduler rr|lc|...] [--route-only] [--no-route]

Builds the control benchmark's cluster -- 5,000 nodes, 10,000 Services and 150,000 pods (10,000
Deployments of 15 replicas, each selected by one ClusterIP Service) -- lets the real control plane
schedule every pod and sync every kube-proxy, then measures

* compile: turning the nodes' kube-proxy views into routing tables (``NodeProxies.sync``);
* tick: routing 1,000,000 new connections from pods on random nodes to random Services through
  ``DataPlane.route_batch`` -- the kube-proxy decision (in IPVS mode each node's own scheduler state per
  Service), SNAT (hairpin), the liveness check of the chosen pod, the per-endpoint counters, drops by
  reason and the latency histogram -- and closing the tick (IPVS: active -> inactive connections);
* floor: ``rng.integers`` + ``np.bincount`` over the same number of requests, in the same run;

and ``podpath route`` end to end on the built-in demo (``--to default/web-clusterip:80``, 1,000,000
requests from 50 client addresses, in-process: load, settle, route, report) against the floor for the
same number of requests.

Every figure is the median of interleaved (floor, measured) pairs; the verdict is the median of the
per-pair ratios (issue 7 item 8: iptables/nftables tick within 5x, IPVS rr and lc within 20x, route end
to end within 25x). ``--quick`` runs at 1/10 scale (the route run keeps 1,000,000 requests).
"""

from __future__ import annotations

import argparse
import ipaddress
import math
import os
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.bench_control import build_cluster  # noqa: E402
from core.engine import Simulation  # noqa: E402
from core.model import ClusterModel  # noqa: E402


def scale_model(nodes: int, services: int, replicas: int, mode: str) -> ClusterModel:
    """The control benchmark's cluster (``nodes`` nodes in 3 zones, ``services`` Deployments of
    ``replicas`` pods, each selected by one ClusterIP Service) with kube-proxy in ``mode``."""
    model = build_cluster(nodes, services * replicas, services)
    model.proxy.mode = mode
    model.simulation.seed = 1
    model.simulation.tick = 1.0
    return model


TICK_TARGET = {"iptables": 5.0, "nftables": 5.0, "ipvs": 20.0}
ROUTE_TARGET = 25.0


def _floor(n_values: int, requests: int) -> float:
    t0 = time.perf_counter()
    r = np.random.default_rng(3)
    np.bincount(r.integers(n_values, size=requests), minlength=n_values)
    return time.perf_counter() - t0


def rss_mb() -> float:
    """Resident memory of this process now, MB (Linux /proc; 0 elsewhere)."""
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, ValueError, IndexError):
        return 0.0


def paired(ticks: list[float], floors: list[float]) -> tuple[float, float, float]:
    """(median measured, median floor, median of the per-pair ratios)."""
    t, f = np.asarray(ticks), np.asarray(floors)
    return float(np.median(t)), float(np.median(f)), float(np.median(t / f))


def build(nodes: int, services: int, replicas: int, mode: str, out=print, *, scheduler: str = "rr"):
    """The cluster at steady state (every pod Ready, every kube-proxy synced), traffic off, tables compiled;
    returns (simulation, compile seconds)."""
    t0 = time.perf_counter()
    model = scale_model(nodes, services, replicas, mode)
    model.proxy.ipvs_scheduler = scheduler
    sim = Simulation(model, 1)
    plane = sim.dataplane
    plane.enabled = False
    t1 = time.perf_counter()
    sim.run(5.0)  # pods scheduled, Running, Ready; slices published; every kube-proxy synced
    t2 = time.perf_counter()
    ready = sum(1 for p in sim.state.pods.values() if p.ready)
    out(f"cluster: {nodes} nodes, {services} Services, {len(sim.state.pods)} pods ({ready} Ready); "
        f"model {t1 - t0:.1f}s, control plane to steady state {t2 - t1:.1f}s")
    plane.enabled = True
    c0 = time.perf_counter()
    plane.proxies.sync()
    compile_s = time.perf_counter() - c0
    out(f"compile: {compile_s:.3f}s for {nodes} kube-proxy views -> {len(plane.proxies.table_list)} distinct "
        f"routing table(s) of {sum(len(t.eids) for t in plane.proxies.table_list)} endpoint entries")
    return sim, compile_s


def measure(nodes: int, services: int, replicas: int, requests: int, mode: str, out=print, *,
            scheduler: str = "rr", repeats: int = 9) -> dict:
    sim, compile_s = build(nodes, services, replicas, mode, out, scheduler=scheduler)
    result = measure_tick(sim, requests, out, repeats=repeats)
    result["compile_s"] = compile_s
    return result


def measure_tick(sim, requests: int, out=print, *, repeats: int = 9, label: str | None = None,
                 compare_numpy: bool = False) -> dict:
    """Paired (floor, tick) runs of one ``route_batch`` of ``requests`` connections on ``sim``. With
    ``compare_numpy`` (IPVS) every repeat also runs a tick on the store's numpy path, order alternating,
    each with its own floor: the same machine state for both paths (they leave the same store state)."""
    from core.dataplane.ipvs_store import IpvsStore

    plane = sim.dataplane
    mode = sim.state.proxy_config.mode
    batch = _requests(sim, np.random.default_rng(2), requests)
    paths = (None, False) if compare_numpy else (None,)
    for path in reversed(paths):  # warm-up, numpy first: its direct map then stays (the store has pairs)
        IpvsStore.use_compiled = path
        plane.route_batch(*(a[:1000] for a in batch))  # (and the compiled loops' first call)
    rss0 = rss_mb()
    ticks: dict = {p: [] for p in paths}
    floors: dict = {p: [] for p in paths}
    try:
        for r in range(repeats):  # interleaved, so all see the same machine; the machine is shared and noisy
            for path in paths if r % 2 == 0 else reversed(paths):
                IpvsStore.use_compiled = path
                floors[path].append(_floor(len(plane.registry), requests))
                k0 = time.perf_counter()
                result = plane.route_batch(*batch)
                ticks[path].append(time.perf_counter() - k0)
    finally:
        IpvsStore.use_compiled = None
    delivered = int((result.outcome == 0).sum())
    if label is None:
        label = f"ipvs {sim.state.proxy_config.ipvs_scheduler or 'rr'}" if mode == "ipvs" else mode
    target = TICK_TARGET[mode]
    res: dict = {}
    for path in paths:
        tick, floor, ratio = paired(ticks[path], floors[path])
        name = label + (", store's numpy path" if path is False else "")
        out(f"tick ({name}): {requests:,} requests in {tick * 1e3:.1f} ms ({tick / requests * 1e9:.0f} ns/request), "
            f"{delivered:,} delivered; floor (rng.integers + np.bincount) {floor * 1e3:.1f} ms "
            f"({floor / requests * 1e9:.1f} ns/request); medians of {repeats} interleaved pairs")
        out(f"tick / floor = {ratio:.2f}x median of paired ratios (target <= {target:g}x: "
            f"{'PASS' if ratio <= target else 'MISS'})")
        if path is None:
            res = {"tick_s": tick, "floor_s": floor, "ratio": ratio, "pass": ratio <= target,
                   "delivered": delivered, "tables": len(plane.proxies.table_list), "mode": label}
    if compare_numpy:
        speed = float(np.median(np.asarray(ticks[False]) / np.asarray(ticks[None])))
        out(f"numpy path / compiled path = {speed:.2f}x median of per-repeat ratios")
        res["numpy_over_compiled"] = speed
    out(f"resident memory {rss0:.0f} MB before the ticks, {rss_mb():.0f} MB after")
    return res


def _requests(sim, rng, requests: int) -> tuple:
    """``requests`` new connections from a pod address (the 250th of its node's podCIDR) on a random node
    to a random Service: (node index, virtual service, source address, source port)."""
    plane = sim.dataplane
    nodes = len(plane.node_names)
    cidr_base = np.array([int(ipaddress.IPv4Network(sim.state.nodes[n].pod_cidr).network_address)
                          for n in plane.node_names], dtype=np.int64)
    node_idx = rng.integers(nodes, size=requests)
    vs = rng.integers(plane.services.size, size=requests)
    return node_idx, vs, (cidr_base[node_idx] + 250).astype(np.uint32), rng.integers(32768, 61000, size=requests)


def tick_digest(sim, scheduler: str, ticks: int, requests: int, *, compiled: bool, seed: int = 11,
                stats: dict | None = None) -> str:
    """sha256 over ``ticks`` IPVS ticks of ``requests`` connections under ``scheduler``, decided by the
    store's compiled loops (``compiled``) or its numpy path: per tick the outcome, endpoint and latency
    class of every request and the delivered counts per endpoint, then every node's connection totals and
    the metrics (totals, drops by reason, the latency histogram). Between ticks time moves on 50 s (closed
    connections expire after 120 s); before the second tick a pod is deleted, so the pairs of its Service
    leave the store for objects. The simulation is put back as it was afterwards. ``stats`` (a dict) gets
    ``taken_out``: the store pairs moved out to objects by then."""
    import hashlib

    from core.dataplane.ipvs_store import IpvsStore

    base = sim.snapshot()
    IpvsStore.use_compiled = None if compiled else False
    plane = sim.dataplane

    def control(dt: float) -> None:
        """The control plane alone moves on (the ticks are route_batch's; no chart rows are recorded)."""
        due = plane.series.connections_due
        plane.enabled, plane.series.connections_due = False, math.inf
        sim.run(sim.time + dt)
        plane.enabled, plane.series.connections_due = True, due

    try:
        sim.set_ipvs_scheduler(scheduler)
        control(1.0)  # kube-proxy applies the scheduler at its next sync
        h = hashlib.sha256()
        t0 = sim.time
        for k in range(ticks):
            batch = _requests(sim, np.random.default_rng([seed, k]), requests)
            if k == 1:
                sim.delete_pod(next(iter(sorted(f"{ns}/{name}" for ns, name in sim.state.pods))))
                control(2.0)  # the endpoint change reaches every kube-proxy
            now = max(sim.time, t0 + 50.0 * k)
            plane.proxies.expire(now)
            r = plane.route_batch(*batch, now=now)
            for arr in (r.outcome, r.eid, r.latency_key, r.counts):
                h.update(np.ascontiguousarray(arr, dtype=np.int64).tobytes())
        for arr in plane.proxies.connection_totals():
            h.update(np.ascontiguousarray(arr, dtype=np.int64).tobytes())
        if stats is not None:
            store = plane.proxies.store
            stats["taken_out"] = int(store.p_out[: store.n].sum())
        m = plane.metrics
        h.update(repr((m.sent, m.delivered, m.new_connections, sorted(m.dropped.items()))).encode())
        used = np.flatnonzero(m.latency.bins)  # (the histogram has 10 million bins, nearly all empty)
        h.update(used.tobytes())
        h.update(m.latency.bins[used].tobytes())
        return h.hexdigest()
    finally:
        IpvsStore.use_compiled = None
        sim.restore(base)


def measure_route(requests: int = 1_000_000, repeats: int = 5, out=print, mode: str | None = None) -> dict:
    """``podpath route`` on the demo, in-process, against the floor for the same number of requests."""
    import contextlib
    import io

    from core.cli import main as podpath

    demo = Path(__file__).resolve().parents[1] / "resources" / "scenarios" / "demo.yaml"
    argv = ["route", str(demo), "--to", "default/web-clusterip:80", "--from", "node-1", "--clients", "50",
            "--requests", str(requests), "--rate", "1000000"] + (["--mode", mode] if mode else [])
    with contextlib.redirect_stdout(io.StringIO()):
        podpath(argv)  # warm-up: imports, first-touch of the big arrays
    runs, floors = [], []
    for _ in range(repeats):
        floors.append(_floor(3, requests))
        buf = io.StringIO()
        t0 = time.perf_counter()
        with contextlib.redirect_stdout(buf):
            code = podpath(argv)
        runs.append(time.perf_counter() - t0)
        if code != 0:
            raise RuntimeError(f"podpath {' '.join(argv)} exited {code}")
    run, floor, ratio = paired(runs, floors)
    label = f"route ({mode or 'iptables'})"
    out(f"{label}: {requests:,} requests end to end in {run * 1e3:.0f} ms ({run / requests * 1e9:.0f} ns/request); "
        f"floor {floor / requests * 1e9:.1f} ns/request; {ratio:.1f}x median of {repeats} paired ratios "
        f"(target <= {ROUTE_TARGET:g}x: {'PASS' if ratio <= ROUTE_TARGET else 'MISS'})")
    return {"run_s": run, "floor_s": floor, "ratio": ratio, "pass": ratio <= ROUTE_TARGET}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="1/10 scale: 500 nodes, 1,000 Services, 15,000 pods")
    ap.add_argument("--scale", type=float, default=None, help="fraction of the documented limits")
    ap.add_argument("--mode", default="iptables", choices=["iptables", "nftables", "ipvs"])
    ap.add_argument("--scheduler", default="rr",
                    help="IPVS scheduler(s) with --mode ipvs, comma-separated: one cluster, measured in turn "
                         "(default rr)")
    ap.add_argument("--numpy", action="store_true",
                    help="IPVS: measure the store's numpy path too (the compiled loops switched off), in turn")
    ap.add_argument("--digest", type=int, default=0, metavar="TICKS",
                    help="IPVS: sha256 over TICKS ticks, compiled loops vs numpy path, per scheduler")
    ap.add_argument("--requests", type=int, default=1_000_000)
    ap.add_argument("--repeats", type=int, default=9, help="interleaved (floor, tick) pairs")
    ap.add_argument("--route-only", action="store_true", help="only podpath route end to end on the demo")
    ap.add_argument("--no-route", action="store_true", help="skip podpath route end to end")
    args = ap.parse_args(argv)
    scale = args.scale if args.scale is not None else (0.1 if args.quick else 1.0)
    nodes, services = max(3, int(5000 * scale)), max(1, int(10000 * scale))
    if not args.route_only:
        scheds = args.scheduler.split(",")
        sim, _ = build(nodes, services, 15, args.mode, scheduler=scheds[0])
        base = sim.snapshot()
        for sched in scheds:
            if args.digest and args.mode == "ipvs":
                sim.restore(base)  # every scheduler's digest from the same state
                t0 = time.perf_counter()
                a = tick_digest(sim, sched, args.digest, args.requests, compiled=True)
                b = tick_digest(sim, sched, args.digest, args.requests, compiled=False)
                print(f"digest ({sched}, {args.digest} ticks of {args.requests:,}): compiled {a[:16]} numpy {b[:16]} "
                      f"-> {'IDENTICAL' if a == b else 'DIFFERENT'} ({time.perf_counter() - t0:.0f} s)")
            sim.restore(base)
            if sched != scheds[0]:
                sim.set_ipvs_scheduler(sched)
                sim.dataplane.enabled = False
                sim.run(sim.time + 1.0)  # kube-proxy applies the scheduler at its next sync
                sim.dataplane.enabled = True
            measure_tick(sim, args.requests, repeats=args.repeats, compare_numpy=args.numpy and args.mode == "ipvs")
    if not args.no_route:
        measure_route(1_000_000, repeats=5 if not args.quick else 3)
    return 0


if __name__ == "__main__":
    sys.exit(main())

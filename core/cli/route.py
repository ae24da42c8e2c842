"""``podpath route``: send requests through the simulated data plane and report where they went.

Without ``--to`` the scenario's own Traffic runs from t=0. With ``--to`` the cluster first settles (its
pods scheduled and Ready, every kube-proxy synced) and then the what-if requests are sent from
``--from`` (a node, meaning a pod on it, or a Client) using ``--clients`` source addresses.
"""

from __future__ import annotations

import argparse
import json
import math
import sys

from core.cli.options import MAX_CLIENTS, MAX_KEEPALIVE, MAX_RATE, MAX_REQUESTS, MAX_TRACE, limits_error, seed
from core.cli.options import count as whole_count
from core.model import IPVS_SCHEDULERS

MODES = ("iptables", "ipvs", "nftables", "userspace")
SETTLE_LIMIT = 300.0
MAX_ROUTE_SECONDS = 3600.0  # an hour of traffic in 0.1 s steps already takes tens of seconds


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("route", help="route requests through the data plane and report endpoints, drops, latency",
                       description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("file", help="scenario YAML file")
    amount = p.add_mutually_exclusive_group()
    amount.add_argument("--requests", type=whole_count, metavar="N", help="send N requests (default 1000 with --to)")
    amount.add_argument("--until", type=float, metavar="SECONDS",
                        help="simulate until this time (default 10 s of the scenario's traffic)")
    p.add_argument("--seed", type=seed, help="random seed, 0 or more (default: the scenario's Simulation seed)")
    p.add_argument("--json", action="store_true", help="print one JSON object (schema in the README)")
    p.add_argument("--trace", type=whole_count, default=0, metavar="K", help="include hop-by-hop traces of the first K")
    p.add_argument("--to", metavar="TARGET",
                   help="what-if target: namespace/name:port, a URL, a Service DNS name or IP:port")
    p.add_argument("--from", dest="from_", metavar="NODE|CLIENT", help="where --to requests start (default: "
                   "a pod on the first node)")
    p.add_argument("--clients", type=whole_count, default=1, metavar="K", help="distinct client addresses (default 1)")
    p.add_argument("--rate", type=float, default=1000.0, metavar="RPS",
                   help="what-if request rate per second (default 1000)")
    p.add_argument("--mode", choices=MODES, help="override the kube-proxy mode")
    p.add_argument("--scheduler", choices=IPVS_SCHEDULERS, help="override the IPVS scheduler")
    p.add_argument("--keepalive", type=whole_count, default=1, metavar="R",
                   help="requests per connection for --to (default 1: a new connection each)")
    p.set_defaults(handler=run)


def _settle(sim) -> None:
    """Run the control plane until no pod is on its way to Ready and every kube-proxy has synced."""
    while sim.time < SETTLE_LIMIT:
        sim.step(1.0)
        pods = sim.state.pods.values()
        moving = [p for p in pods if p.deletion_timestamp is None and p.node is not None and not p.ready]
        views = sim.state.proxy_views.values()
        if not moving and all(v.synced_at >= 0 for v in views) and sim.time >= 5.0:
            # one more sync period so every node's view holds the Ready endpoints
            sim.step(sim.control.proxy_delay() + 0.5)
            return


def run(args: argparse.Namespace) -> int:
    from core.dataplane.targets import TargetError
    from core.engine import Simulation
    from core.scenario import ScenarioError, load_model

    for name, value, low, high in (("--requests", args.requests, 1, MAX_REQUESTS),
                                   ("--clients", args.clients, 1, MAX_CLIENTS),
                                   ("--keepalive", args.keepalive, 1, MAX_KEEPALIVE),
                                   ("--trace", args.trace, 0, MAX_TRACE)):
        problem = limits_error(name, value, low, high)
        if problem:
            print(f"podpath route: {problem}", file=sys.stderr)
            return 2
    if not (args.rate > 0 and math.isfinite(args.rate)):
        print(f"podpath route: --rate must be a positive number of requests per second, got {args.rate}",
              file=sys.stderr)
        return 2
    if args.rate > MAX_RATE:
        print(f"podpath route: {limits_error('--rate', args.rate, 0, MAX_RATE)}", file=sys.stderr)
        return 2
    if args.until is not None and not 0 < args.until <= MAX_ROUTE_SECONDS:
        print(f"podpath route: --until must be more than 0 and at most {MAX_ROUTE_SECONDS:g} seconds, got "
              f"{args.until}", file=sys.stderr)
        return 2
    if args.to is not None:
        n = args.requests or (int(args.rate * args.until) if args.until else 1000)
        if n > MAX_REQUESTS:
            print(f"podpath route: {limits_error('requests (--rate x --until)', n, 1, MAX_REQUESTS)}",
                  file=sys.stderr)
            return 2
        if n / args.rate > MAX_ROUTE_SECONDS:
            # rounded up to the millisecond, so a run just over the limit never prints the limit itself
            print(f"podpath route: {n} requests at --rate {args.rate:g}/s would take "
                  f"{_seconds_up(n / args.rate)} simulated seconds; at most {MAX_ROUTE_SECONDS:g} "
                  "are allowed (raise --rate)", file=sys.stderr)
            return 2
    try:
        model = load_model(args.file, seed=args.seed)
    except ScenarioError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"podpath route: cannot read {args.file}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    if args.mode:
        model.proxy.mode = args.mode
    if args.scheduler:
        model.proxy.ipvs_scheduler = args.scheduler
        if model.proxy.mode != "ipvs":
            print(f"podpath route: note: --scheduler {args.scheduler} applies to IPVS mode; this run uses "
                  f"{model.proxy.mode} (add --mode ipvs)", file=sys.stderr)
    sim = Simulation(model, args.seed)
    plane = sim.dataplane
    plane.trace.limit = args.trace  # the first K requests, hop by hop (the documented --json "traces")
    plane.series = None  # the chart series feed the desktop's charts; this report reads Metrics
    if args.to is not None:
        plane.flows.clear()  # a what-if sends only its own requests
    try:
        if args.to is not None:
            plane.enabled = False
            _settle(sim)
            plane.enabled = True
            n = args.requests or (int(args.rate * args.until) if args.until else 1000)
            duration = n / args.rate
            plane.send(args.to, from_=args.from_, requests=n, duration=duration, addresses=args.clients,
                       keepalive=args.keepalive)
            end = sim.time + duration
            while plane.metrics.sent < n and sim.time < end + 60:
                sim.step()
        else:
            if not model.traffic:
                print("podpath route: the scenario has no Traffic; give --to TARGET for a what-if", file=sys.stderr)
                return 2
            if args.requests:
                reachable = _traffic_requests(model, MAX_ROUTE_SECONDS)
                if reachable < args.requests:
                    print(f"podpath route: the scenario's Traffic sends about {reachable:,.0f} requests in the "
                          f"first {MAX_ROUTE_SECONDS:g} simulated seconds (the limit); --requests {args.requests} "
                          "cannot be reached: ask for fewer, or use --until", file=sys.stderr)
                    return 2
                plane.budget = args.requests
                while plane.metrics.sent < args.requests and sim.time < MAX_ROUTE_SECONDS:
                    sim.step()
                if plane.metrics.sent < args.requests:
                    print(f"podpath route: note: stopped at the {MAX_ROUTE_SECONDS:g}-second limit after "
                          f"{plane.metrics.sent} of {args.requests} requests", file=sys.stderr)
            else:
                expected = _traffic_requests(model, args.until or 10.0)
                if expected > MAX_REQUESTS:
                    print(f"podpath route: the scenario's Traffic would send about {expected:,.0f} requests in "
                          f"{args.until or 10.0:g} simulated seconds; at most {MAX_REQUESTS:,} are simulated on one "
                          "machine (lower --until or the Traffic rates)", file=sys.stderr)
                    return 2
                sim.run(args.until or 10.0)
    except TargetError as exc:
        print(f"podpath route: {exc}", file=sys.stderr)
        return 2
    report = build_report(plane, sim)
    if args.json:
        print(json.dumps(report, indent=2, sort_keys=False))
    else:
        print(format_report(report))
    return 0


def _seconds_up(value: float) -> str:
    """Seconds rounded up to the millisecond: 3600.0001 prints as 3600.001, never as the 3600 limit."""
    text = f"{math.ceil(value * 1000) / 1000:.3f}"
    return text.rstrip("0").rstrip(".")


def _traffic_requests(model, horizon: float) -> float:
    """How many requests the scenario's Traffic sends from 0 to ``horizon`` seconds (rate x active time)."""
    total = 0.0
    for t in model.traffic:
        stop = horizon if t.stop is None else min(t.stop, horizon)
        total += t.rate * max(0.0, stop - t.start)
    return total


def build_report(plane, sim) -> dict:
    from core.metrics import balance_report

    m = plane.metrics
    endpoints = []
    for (service, pod, ip, port, node), count in sorted(m.endpoint_counts.items()):
        ns, _, name = pod.partition("/")
        endpoints.append({"service": service, "namespace": ns, "pod": name, "ip": ip, "port": port, "node": node,
                          "count": count})
    fairness = balance_report(m.endpoint_counts, plane.expected_shares)
    return {
        "time": round(sim.time, 6),
        "requests": m.sent,
        "delivered": m.delivered,
        "dropped": dict(sorted(m.dropped.items())),
        "new_connections": m.new_connections,
        "endpoints": endpoints,
        "latency_ms": {q: m.latency.percentile(v) for q, v in (("p50", 50), ("p90", 90), ("p99", 99))},
        "balance": fairness,
        "connections": plane.connections(),
        "traces": plane.trace.traces,
    }


def format_report(r: dict) -> str:
    lines = [f"t={r['time']:.1f}s  requests {r['requests']}  delivered {r['delivered']}  "
             f"new connections {r['new_connections']}"]
    if r["dropped"]:
        lines.append("dropped: " + ", ".join(f"{k} {v}" for k, v in r["dropped"].items()))
    lat = r["latency_ms"]
    if lat["p50"] is not None:
        lines.append(f"latency ms: p50 {lat['p50']:.3f}  p90 {lat['p90']:.3f}  p99 {lat['p99']:.3f}")
    if r["endpoints"]:
        lines.append("")
        w = max(28, *(len(e["service"]) for e in r["endpoints"]))
        wp = max(36, *(len(e["namespace"] + "/" + e["pod"]) for e in r["endpoints"]))
        lines.append(f"{'SERVICE':{w}} {'POD':{wp}} {'ENDPOINT':22} {'NODE':12} {'COUNT':>8} {'SHARE':>7}")
        totals: dict[str, int] = {}
        for e in r["endpoints"]:
            totals[e["service"]] = totals.get(e["service"], 0) + e["count"]
        for e in r["endpoints"]:
            share = e["count"] / totals[e["service"]]
            lines.append(f"{e['service']:{w}} {e['namespace'] + '/' + e['pod']:{wp}} {e['ip'] + ':' + str(e['port']):22} "
                         f"{e['node']:12} {e['count']:>8} {share:>7.1%}")
        for svc, b in r["balance"].items():
            mode_text = (f"; vs the mode's own shares {b['chi_square_mode']:.2f} (p={b['p_mode']:.3f})"
                         if "p_mode" in b else "")
            lines.append(f"{svc}: Jain fairness {b['jain']:.4f}, chi-square vs even {b['chi_square']:.2f} "
                         f"(dof {b['dof']}, p={b['p_uniform']:.3f}){mode_text}")
    for t in r["traces"]:
        lines.append("")
        lines.append(f"trace t={t['time']:.4f}s {t['client']} {t['src']} -> {t['target']}: {t['outcome']}"
                     + (f" in {t['latency_ms']:.3f} ms" if t["latency_ms"] is not None else ""))
        for h in t["hops"]:
            rewrite = ""
            if h["src_after"] and (h["src_after"] != h["src"] or h["dst_after"] != h["dst"]):
                rewrite = f"  => {h['src_after']} -> {h['dst_after']}"
            lines.append(f"  [{h['node']}] {h['src']} -> {h['dst']}{rewrite}")
            lines.append(f"      {h['rule']}  ({h['latency_ms']:.3f} ms)")
    return "\n".join(lines)

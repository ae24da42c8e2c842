"""The built-in demo, headless: what ``podpath`` with no arguments shows when no window can open.

It runs ``resources/scenarios/demo.yaml`` (three nodes, a web Deployment behind every Service type, an
Ingress, clients sending traffic, node-2 failing at t=20 s and recovering at t=60 s, classroom timing)
and prints, every 10 simulated seconds, where the requests went, then the cluster's event log.
"""

from __future__ import annotations

from typing import TextIO

WINDOW = 10.0
UNTIL = 90.0


def run_demo_headless(out: TextIO, until: float = UNTIL) -> int:
    from core.cli.route import format_report
    from core.engine import Simulation
    from core.scenario import DEMO_SCENARIO, ScenarioError, load_model

    try:
        model = load_model(DEMO_SCENARIO)
    except ScenarioError as exc:  # a broken installation, not user input
        print(str(exc), file=out)
        return 1
    sim = Simulation(model)
    plane = sim.dataplane
    print(f"PodPath demo ({DEMO_SCENARIO.name}): {len(model.nodes)} nodes, "
          f"{sum(w.replicas for w in model.workloads)} pods wanted, {len(model.services)} Services, "
          f"kube-proxy {model.proxy.mode}, seed {sim.seed}", file=out)
    import importlib.util

    why = ("the desktop app is not part of this build yet" if importlib.util.find_spec("desktop.app") is None
           else "no display to open a window on")
    print(f"Showing the simulation headless ({why}).\n", file=out)
    print(f"{'window':>11}  {'sent':>6} {'delivered':>9}  dropped (reason)  per-pod share of web traffic", file=out)
    shown = 0
    while sim.time < until - 1e-9:
        before_sent, before_del = plane.metrics.sent, plane.metrics.delivered
        before_drop = dict(plane.metrics.dropped)
        before_counts = dict(plane.metrics.endpoint_counts)
        sim.run(min(until, sim.time + WINDOW))
        m = plane.metrics
        drops = {k: v - before_drop.get(k, 0) for k, v in m.dropped.items() if v != before_drop.get(k, 0)}
        new = {k: v - before_counts.get(k, 0) for k, v in m.endpoint_counts.items()}
        web = {k: v for k, v in new.items() if v and k[0].startswith("default/web")}
        total = sum(web.values()) or 1
        shares = "  ".join(f"{k[1].rsplit('-', 1)[-1]}@{k[4]} {v / total:.0%}" for k, v in sorted(web.items()))
        drop_text = ", ".join(f"{v} {k}" for k, v in drops.items()) or "-"
        print(f"{sim.time - WINDOW:4.0f}-{sim.time:3.0f}s  {m.sent - before_sent:>6} {m.delivered - before_del:>9}  "
              f"{drop_text:16}  {shares}", file=out)
        shown += 1
    print("\nEvents (kubectl get events):", file=out)
    for e in sim.state.events:
        print(f"  {e.time:7.1f}s  {e.type:7}  {e.reason:22} {e.object:44} {e.message}", file=out)
    from core.cli.route import build_report

    print("\nTotals:", file=out)
    report = build_report(plane, sim)
    report["traces"] = []
    print(format_report(report), file=out)
    print("\nTry: podpath route resources/scenarios/demo.yaml --to http://shop.example.com/ --from browser "
          "--trace 1", file=out)
    return 0

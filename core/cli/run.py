"""``podpath run FILE --until SECONDS``: simulate a scenario headless and print its event log and final state.

Exit codes: 0 ok; 1 the scenario is invalid (the ScenarioError text is printed); 2 usage errors such as an
unknown node in ``--fail``/``--recover`` or a malformed ``NODE@SECONDS``. The JSON schema is in
docs/cli-run.md.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from typing import TextIO

from core.cli.options import MAX_SECONDS, seed, sim_seconds
from core.model import ClusterModel, TimelineEvent, Timing

PRESETS = ("realistic", "classroom")


class UsageError(ValueError):
    """A command-line value is wrong; the message says what and what is allowed."""


def parse_node_at(text: str, option: str) -> tuple[str, float]:
    """``node-2@60`` -> ("node-2", 60.0)."""
    node, sep, when = text.rpartition("@")
    if not sep or not node:
        raise UsageError(f"{option} {text!r}: expected NODE@SECONDS, e.g. node-2@60")
    try:
        at = float(when)
    except ValueError:
        raise UsageError(f"{option} {text!r}: {when!r} is not a number of seconds") from None
    if not (at >= 0 and math.isfinite(at)):
        raise UsageError(f"{option} {text!r}: the time must be a finite number of seconds >= 0")
    return node, at


def run_model(model: ClusterModel, until: float, *, seed: int | None = None, fails: list[str] | tuple = (),
              recovers: list[str] | tuple = (), preset: str | None = None) -> dict:
    """Run ``model`` to ``until`` and return the ``--json`` object (events, pods, nodes, time, seed)."""
    from core.engine import Simulation  # noqa: PLC0415

    if not 0 <= until <= MAX_SECONDS:
        raise UsageError(f"--until must be 0..{MAX_SECONDS:g} seconds, got {until!r}")
    if preset is not None and preset not in PRESETS:
        raise UsageError(f"--preset {preset!r}: allowed: {', '.join(PRESETS)}")
    names = [n.name for n in model.nodes]
    extra = []
    for option, action, values in (("--fail", "failNode", fails), ("--recover", "recoverNode", recovers)):
        for text in values:
            node, at = parse_node_at(text, option)
            if node not in names:
                raise UsageError(f"{option} {text!r}: unknown node {node!r}; nodes: {', '.join(names) or '(none)'}")
            extra.append(TimelineEvent(at, action, node))  # type: ignore[arg-type]
    timing = Timing.preset(preset) if preset is not None else None
    sim = Simulation(model, seed, timing=timing, dataplane=False)
    for event in sorted(extra, key=lambda e: e.at):
        sim.schedule(event)
    sim.run(until)
    state = sim.state
    pods = [{"namespace": p.namespace, "name": p.name, "node": p.node, "ip": p.ip,
             "phase": p.phase, "ready": p.ready, "terminating": p.terminating, "reason": p.reason}
            for p in sorted(state.pods.values(), key=lambda p: p.key)]
    nodes = [{"name": n.name, "ip": n.ip, "pod_cidr": n.pod_cidr, "ready": n.ready, "up": n.up,
              "unschedulable": n.unschedulable,
              "taints": [f"{t.key}{'=' + t.value if t.value else ''}:{t.effect}" for t in n.taints]}
             for n in state.nodes.values()]
    return {"time": round(state.time, 6), "seed": sim.seed, "preset": preset or model.simulation.preset,
            "events": [e.as_dict() for e in state.events], "pods": pods, "nodes": nodes}


def format_text(result: dict, out: TextIO) -> None:
    """kubectl-get-events-like table, then the pods and a one-line summary."""
    rows = [("TIME", "TYPE", "REASON", "OBJECT", "MESSAGE")]
    rows += [(f"{e['time']:g}s", e["type"], e["reason"], e["object"], e["message"]) for e in result["events"]]
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    for r in rows:
        out.write("  ".join(c.ljust(w) for c, w in zip(r[:4], widths)) + "  " + r[4] + "\n")
    out.write("\n")
    prow = [("POD", "NODE", "IP", "STATUS", "READY")]
    for p in result["pods"]:
        status = "Terminating" if p["terminating"] else p["phase"]
        prow.append((f"{p['namespace']}/{p['name']}", p["node"] or "<none>", p["ip"] or "<none>", status,
                     "1/1" if p["ready"] else "0/1"))
    widths = [max(len(r[i]) for r in prow) for i in range(5)]
    for r in prow:
        out.write("  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() + "\n")
    pods, nodes = result["pods"], result["nodes"]
    # each pod in exactly one of the STATUS column's states (Terminating wins over its phase)
    live = [p for p in pods if not p["terminating"]]
    out.write(f"\nt={result['time']:g}s seed={result['seed']}: {len(nodes)} nodes "
              f"({sum(n['ready'] == 'True' for n in nodes)} Ready), {len(pods)} pods "
              f"({sum(p['phase'] == 'Running' for p in live)} Running, "
              f"{sum(p['phase'] == 'Pending' for p in live)} Pending, "
              f"{sum(p['terminating'] for p in pods)} Terminating; {sum(p['ready'] for p in pods)} Ready), "
              f"{len(result['events'])} events\n")


def handle(args: argparse.Namespace, out: TextIO | None = None, err: TextIO | None = None) -> int:
    out = out or sys.stdout
    err = err or sys.stderr
    from core.scenario import ScenarioError, load_model  # noqa: PLC0415

    try:
        model = load_model(args.file, seed=args.seed)
    except ScenarioError as exc:
        err.write(f"{exc}\n")
        return 1
    except OSError as exc:
        err.write(f"podpath run: cannot read {args.file}: {exc.strerror or exc}\n")
        return 1
    try:
        result = run_model(model, args.until, seed=args.seed, fails=args.fail, recovers=args.recover,
                           preset=args.preset)
    except UsageError as exc:
        err.write(f"podpath run: {exc}\n")
        return 2
    except ValueError as exc:  # an invalid timeline event in the file
        err.write(f"podpath run: {args.file}: {exc}\n")
        return 1
    if args.json:
        out.write(json.dumps(result, indent=2) + "\n")
    else:
        format_text(result, out)
    return 0


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "run", help="simulate a scenario over time and print the event log",
        description="Simulate FILE until --until seconds: print the event log (kubectl get events style), "
                    "the pods and a summary, or with --json one JSON object (docs/cli-run.md).")
    p.add_argument("file", metavar="FILE", help="scenario file (YAML)")
    p.add_argument("--until", type=sim_seconds, required=True, metavar="SECONDS",
                   help="simulated end time (at most one simulated day)")
    p.add_argument("--seed", type=seed, default=None, help="random seed, 0 or more (default: the scenario's)")
    p.add_argument("--json", action="store_true", help="print one JSON object instead of text")
    p.add_argument("--fail", action="append", default=[], metavar="NODE@SECONDS",
                   help="fail NODE at SECONDS (repeatable)")
    p.add_argument("--recover", action="append", default=[], metavar="NODE@SECONDS",
                   help="recover NODE at SECONDS (repeatable)")
    p.add_argument("--preset", choices=PRESETS, default=None,
                   help="control-plane timing preset (default: the scenario's timing)")
    p.set_defaults(handler=handle)

"""Cost of many Pending pods: ``podpath run`` with 4,000 unschedulable pods and a stream of cluster events.

5 nodes of 4 CPU; a Deployment of 4,000 replicas requesting 1 CPU each, so 20 run and 3,980 stay Pending;
a pod of the Deployment is deleted every 2 s from t=5 (each deletion frees 1 CPU once the pod is gone, and
its replacement takes the place), node-1 fails at 20 and recovers at 50. Runs the control plane to --until
(default 80 s) and prints the wall time, the scheduling attempts and the placements made.

    .venv/bin/python benchmarks/bench_pending.py [--until 80] [--replicas 4000] [--repeats 3]

With --compare REF (a directory holding another checkout of PodPath), runs that checkout too, interleaved
run by run, and prints the paired median ratio.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
from pathlib import Path

SCENARIO = """\
{nodes}
apiVersion: apps/v1
kind: Deployment
metadata: {{name: web}}
spec:
  replicas: {replicas}
  selector: {{matchLabels: {{app: web}}}}
  template:
    metadata: {{labels: {{app: web}}}}
    spec:
      containers: [{{name: web, image: nginx, resources: {{requests: {{cpu: "1"}}}}}}]
---
apiVersion: podpath.dev/v1alpha1
kind: Timeline
metadata: {{name: churn}}
spec:
  events:
{events}
"""


def scenario(replicas: int, until: float) -> str:
    nodes = "".join(f"apiVersion: v1\nkind: Node\nmetadata: {{name: node-{i}}}\n---\n" for i in range(1, 6))
    events = [f"  - {{at: {t}, action: deletePod, target: default/web}}" for t in range(5, int(until), 2)]
    events += ["  - {at: 20, action: failNode, target: node-1}", "  - {at: 50, action: recoverNode, target: node-1}"]
    return SCENARIO.format(nodes=nodes, replicas=replicas, events="\n".join(events))


CHILD = """
import sys, time
sys.path.insert(0, {root!r})
from core.scenario import load_model
from core.engine import Simulation
model = load_model({path!r})
t0 = time.perf_counter()
sim = Simulation(model, seed=0, dataplane=False)
sim.run({until})
wall = time.perf_counter() - t0
pending = sum(1 for p in sim.state.pods.values() if p.node is None)
print(wall, pending, len(sim.state.events))
"""


def run_once(root: Path, path: Path, until: float) -> tuple[float, int, int]:
    out = subprocess.run([sys.executable, "-c", CHILD.format(root=str(root), path=str(path), until=until)],
                         cwd=root, capture_output=True, text=True, check=True).stdout.split()
    return float(out[0]), int(out[1]), int(out[2])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--until", type=float, default=80.0)
    ap.add_argument("--replicas", type=int, default=4000)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--compare", type=Path, default=None, help="another checkout to run interleaved")
    args = ap.parse_args()
    here = Path(__file__).resolve().parent.parent
    path = Path("/tmp") / f"podpath-bench-pending-{args.replicas}.yaml"
    path.write_text(scenario(args.replicas, args.until))
    roots = [here] + ([args.compare.resolve()] if args.compare else [])
    walls: dict[Path, list[float]] = {r: [] for r in roots}
    for _ in range(args.repeats):
        for root in roots:
            wall, pending, events = run_once(root, path, args.until)
            walls[root].append(wall)
            print(f"{root}: {wall:.2f} s wall, {pending} Pending at {args.until:g} s, {events} events", flush=True)
    for root in roots:
        print(f"median {root}: {statistics.median(walls[root]):.2f} s")
    if args.compare:
        ratios = [b / a for a, b in zip(walls[here], walls[roots[1]])]
        print(f"paired median ratio (compare / this): {statistics.median(ratios):.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())

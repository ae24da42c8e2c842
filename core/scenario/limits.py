"""What PodPath simulates on one machine, and the build-time checks that refuse larger scenarios up front.

The limits are those the benchmarks measure (benchmarks/bench_control.py, bench_dataplane.py: 5,000 nodes,
150,000 pods); a scenario over them is a located validation error, never minutes of work or gigabytes of
memory. Times are bounded by one simulated day, as ``podpath run --until`` is.
"""

from __future__ import annotations

import math

from core.model import ClusterModel
from core.scenario.errors import format_value

MAX_SECONDS = 86400.0  # one simulated day
MAX_NODES = 5_000
MAX_PODS = 150_000
MIN_TICK = 0.01  # a smaller step makes a one-day run take many minutes of loop overhead


def seconds_problem(value: object) -> str | None:
    """Why ``value`` is not a time PodPath can simulate (a number, finite, 0 .. one day), or None."""
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return "must be a number of seconds"
    if not math.isfinite(value) or not 0 <= value <= MAX_SECONDS:
        return f"must be a finite number of seconds between 0 and {MAX_SECONDS:.0f} (one simulated day)"
    return None


def check_sizes(model: ClusterModel, rep, where: dict[int, int]) -> bool:
    """Nodes and pods beyond what one machine simulates: an error on the object that crosses the limit.
    False when the scenario is too large."""
    if len(model.nodes) > MAX_NODES:
        node = model.nodes[MAX_NODES]
        rep.for_entry(where[id(node)])(("metadata", "name"), f"Too many: {len(model.nodes)}: must have at most "
                                       f"{MAX_NODES} Nodes (what PodPath simulates on one machine)", node.name)
        return False
    total = len(model.pods)
    nodes = len(model.nodes)
    for w in model.workloads:
        count = nodes if w.kind == "DaemonSet" else w.replicas
        total += count
        if total > MAX_PODS and id(w) in where:
            path = ("metadata", "name") if w.kind == "DaemonSet" else ("spec", "replicas")
            rep.for_entry(where[id(w)])(path, f"Invalid value: {format_value(count)}: the scenario would have "
                                        f"{total:,} pods; PodPath simulates at most {MAX_PODS:,} on one machine",
                                        count)
            return False
    return True

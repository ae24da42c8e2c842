"""Careless numbers in a scenario are located validation errors, never a crash, a hang or unbounded memory
(issue 8 item 16). Limits: one simulated day, 5,000 nodes, 150,000 pods (core/scenario/limits.py)."""

import textwrap

import pytest

from core.cli import main
from core.scenario import ScenarioError, build_model, loads_document

TIMELINE = """\
apiVersion: v1
kind: Node
metadata: {name: node-1}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: %s
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: nginx}]
---
apiVersion: podpath.dev/v1alpha1
kind: Timeline
metadata: {name: t}
spec:
  events:
  - {at: %s, action: scale, target: default/web, value: %s}
"""


def errors(text: str) -> list[str]:
    with pytest.raises(ScenarioError) as info:
        build_model(loads_document(textwrap.dedent(text), "t.yaml"), seed=1)
    return [d.format() for d in info.value.errors]


def test_timeline_at_nan_is_a_located_error(tmp_path, capsys):
    assert errors(TIMELINE % (2, ".nan", 3)) == [
        "t.yaml:21:10: error: Timeline t: spec.events[0].at: Invalid value: nan: must be a finite number of seconds "
        "between 0 and 86400 (one simulated day)"]
    path = tmp_path / "nan.yaml"
    path.write_text(TIMELINE % (2, ".nan", 3))
    for argv in (["route", str(path), "--until", "1"], ["rules", str(path), "--node", "node-1"]):
        assert main(argv) == 1
        assert "Traceback" not in capsys.readouterr().err


def test_timeline_at_infinity_and_past_one_day_refused():
    assert errors(TIMELINE % (2, ".inf", 3))[0].endswith(
        "spec.events[0].at: Invalid value: inf: must be a finite number of seconds between 0 and 86400 (one "
        "simulated day)")
    assert "Invalid value: 86401" in errors(TIMELINE % (2, 86401, 3))[0]


def test_timeline_scale_to_100000000_is_refused_at_validation():
    assert errors(TIMELINE % (2, 10, 100000000)) == [
        "t.yaml:21:57: error: Timeline t: spec.events[0].value: Invalid value: 100000000: PodPath simulates at "
        "most 150,000 pods on one machine"]


@pytest.mark.parametrize("kind", ["Deployment", "StatefulSet"])
def test_replicas_100000000_refused_without_building_them(kind):
    # a StatefulSet's pods each get their own labels: building 10^8 label sets would take gigabytes
    text = (TIMELINE % (100000000, 10, 3)).replace("kind: Deployment", f"kind: {kind}")
    assert errors(text) == [
        f"t.yaml:9:13: error: {kind} default/web: spec.replicas: Invalid value: 100000000: PodPath simulates at "
        "most 150,000 pods on one machine"]


def test_pods_of_all_workloads_together_are_bounded():
    one = (TIMELINE % (100000, 10, 3)).split("---\napiVersion: podpath.dev")[0]
    two = one.split("---\n", 1)[1].replace("name: web}", "name: api}")
    # 100,000 + 100,000 = 200,000 pods > 150,000: the second Deployment is where the limit is crossed
    assert errors(one + "---\n" + two) == [
        "t.yaml:20:13: error: Deployment default/api: spec.replicas: Invalid value: 100000: the scenario would have "
        "200,000 pods; PodPath simulates at most 150,000 on one machine"]


def test_more_than_5000_nodes_refused_at_the_first_extra_node():
    nodes = "".join(f"apiVersion: v1\nkind: Node\nmetadata: {{name: n{i}}}\n---\n" for i in range(5001))
    found = errors(nodes)
    assert found == ["t.yaml:20003:18: error: Node n5000: metadata.name: Too many: 5001: must have at most 5000 "
                     "Nodes (what PodPath simulates on one machine)"]


SIM = """\
apiVersion: podpath.dev/v1alpha1
kind: Simulation
metadata: {name: s}
spec:
  %s
"""


def test_simulation_tick_and_timing_bounded():
    assert errors(SIM % "tick: 0.000001") == [
        "t.yaml:5:9: error: Simulation s: spec.tick: Invalid value: 1e-06: must be between 0.01 and 60 seconds"]
    assert errors(SIM % "tick: .nan") == [
        "t.yaml:5:9: error: Simulation s: spec.tick: Invalid value: nan: must be between 0.01 and 60 seconds"]
    assert errors(SIM % "timing: {podStartup: .nan}") == [
        "t.yaml:5:24: error: Simulation s: spec.timing.podStartup: Invalid value: nan: must be a finite number of "
        "seconds between 0 and 86400 (one simulated day)"]


TRAFFIC = """\
apiVersion: podpath.dev/v1alpha1
kind: Client
metadata: {name: c}
---
apiVersion: podpath.dev/v1alpha1
kind: Traffic
metadata: {name: t}
spec: {client: c, target: "http://x.example.com/", %s}
"""


def test_traffic_times_and_requests_per_connection_bounded():
    assert errors(TRAFFIC % "start: .nan") == [
        't.yaml:8:59: error: Traffic t: spec.start: Invalid value: nan: must be a finite number of seconds between '
        '0 and 86400 (one simulated day)']
    assert errors(TRAFFIC % "requestsPerConnection: 9223372036854775808") == [
        "t.yaml:8:75: error: Traffic t: spec.requestsPerConnection: Invalid value: 9223372036854775808: must be "
        "between 1 and 1000000"]


NODE = """\
apiVersion: v1
kind: Node
metadata: {name: n1}
status:
  capacity: {cpu: %s, memory: 8Gi, pods: %s}
"""


def test_node_capacity_too_large_or_negative_is_refused_not_an_overflow():
    # "1e30" CPUs used to end in OverflowError inside the scheduler's int64 arrays
    assert errors(NODE % ('"1e30"', '"110"')) == [
        't.yaml:5:19: error: Node n1: status.capacity.cpu: Invalid value: "1e30": PodPath simulates at most 1000000 '
        "CPUs (1e9 millicores)"]
    assert errors(NODE % ('"4"', '"-1"')) == [
        't.yaml:5:43: error: Node n1: status.capacity.pods: Invalid value: "-1": must be greater than or equal to 0']

"""``podpath route``: the JSON schema the README documents, what-ifs, determinism and exit codes."""

import json

import pytest

from core.cli import main
from core.scenario import DEMO_SCENARIO


def _json(capsys, *args):
    assert main(["route", str(DEMO_SCENARIO), "--json", *args]) == 0
    return json.loads(capsys.readouterr().out)


def test_route_json_schema_and_conservation(capsys):
    r = _json(capsys, "--until", "15", "--trace", "3")
    assert set(r) >= {"requests", "delivered", "dropped", "endpoints", "latency_ms", "traces", "new_connections"}
    assert r["requests"] == r["delivered"] + sum(r["dropped"].values()) > 0
    assert set(r["latency_ms"]) == {"p50", "p90", "p99"}
    assert r["latency_ms"]["p50"] <= r["latency_ms"]["p90"] <= r["latency_ms"]["p99"]
    for e in r["endpoints"]:
        assert set(e) == {"service", "namespace", "pod", "ip", "port", "node", "count"}
    assert sum(e["count"] for e in r["endpoints"]) == r["delivered"]
    assert len(r["traces"]) == 3
    for t in r["traces"]:
        assert set(t) >= {"client", "target", "outcome", "hops"}
        for h in t["hops"]:
            assert set(h) == {"node", "src", "dst", "src_after", "dst_after", "rule", "latency_ms"}


def test_route_what_if_with_overrides(capsys):
    r = _json(capsys, "--to", "default/web-clusterip:80", "--from", "node-1", "--requests", "3000", "--clients", "30",
              "--mode", "ipvs", "--scheduler", "rr")
    assert r["requests"] == 3000 and r["delivered"] == 3000
    counts = sorted(e["count"] for e in r["endpoints"])
    # one node's IPVS rr over three real servers: an exact 1000/1000/1000 split
    assert counts == [1000, 1000, 1000]
    assert r["new_connections"] == 3000
    k = _json(capsys, "--to", "default/web-clusterip:80", "--from", "node-1", "--requests", "3000", "--keepalive", "10")
    assert k["new_connections"] == 300


def test_route_is_deterministic(capsys):
    a = _json(capsys, "--until", "5", "--seed", "3", "--trace", "5")
    b = _json(capsys, "--until", "5", "--seed", "3", "--trace", "5")
    assert a == b
    c = _json(capsys, "--until", "5", "--seed", "4")
    assert c["endpoints"] != a["endpoints"] or c["requests"] != a["requests"]


@pytest.mark.parametrize("args,code,text", [
    (["--to", "default/nope:80"], 0, None),
    (["--to", "::bad::"], 2, "target"),
    (["--to", "default/web-clusterip:80", "--from", "node-9"], 2, "node-9"),
    (["--requests", "0"], 2, "--requests must be at least 1"),
    (["--mode", "bogus"], 2, None),
])
def test_route_usage_errors(capsys, args, code, text):
    assert main(["route", str(DEMO_SCENARIO), *args]) == code
    err = capsys.readouterr().err
    if text:
        assert text in err
    assert "Traceback" not in err


def test_route_invalid_scenario_exits_1(tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text("apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec:\n  type: Foo\n")
    assert main(["route", str(bad)]) == 1
    err = capsys.readouterr().err
    assert "bad.yaml" in err and "spec.type" in err and "Traceback" not in err


def test_unknown_service_is_a_named_drop(capsys):
    r = _json(capsys, "--to", "default/nope:80", "--requests", "10")
    assert r["dropped"] == {"nxdomain": 10}


@pytest.mark.parametrize("args,text", [
    (["--until", "inf"], "--until must be more than 0 and at most 3600"),
    (["--until", "1e9"], "--until must be more than 0 and at most 3600"),
    (["--to", "default/api:80", "--rate", "1e-9", "--requests", "2"], "at most 3600"),
    (["--to", "default/api:80", "--rate", "inf"], "--rate must be a positive number"),
    (["--seed", "-1"], "--seed"),
    (["--to", "999.1.1.1:80"], "not a valid IPv4 address"),
])
def test_route_refuses_unbounded_or_bad_values(capsys, args, text):
    assert main(["route", str(DEMO_SCENARIO), *args]) == 2
    err = capsys.readouterr().err
    assert text in err and "Traceback" not in err


@pytest.mark.parametrize("argv", [
    ["run", str(DEMO_SCENARIO), "--until", "inf"],
    ["run", str(DEMO_SCENARIO), "--until", "1e9"],
    ["run", str(DEMO_SCENARIO), "--until", "1", "--seed", "-1"],
    ["rules", str(DEMO_SCENARIO), "--node", "node-1", "--at", "inf"],
    ["rules", str(DEMO_SCENARIO), "--node", "node-1", "--seed", "x"],
])
def test_unbounded_times_and_bad_seeds_are_usage_errors(capsys, argv):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and ("seconds" in err or "seed" in err)


def test_rules_unknown_node_is_reported_before_simulating(capsys, monkeypatch):
    import core.engine

    def boom(*a, **k):
        raise AssertionError("simulated although the node does not exist")

    monkeypatch.setattr(core.engine.Simulation, "run", boom)
    assert main(["rules", str(DEMO_SCENARIO), "--node", "node-9"]) == 2
    assert "node-1, node-2, node-3" in capsys.readouterr().err


def test_run_summary_counts_each_pod_once(capsys):
    assert main(["run", str(DEMO_SCENARIO), "--until", "120", "--fail", "node-3@30"]) == 0
    out = capsys.readouterr().out
    summary = out.strip().splitlines()[-1]
    import re

    total = int(re.search(r"(\d+) pods", summary).group(1))
    running, pending, terminating = (int(re.search(rf"(\d+) {w}", summary).group(1))
                                     for w in ("Running", "Pending", "Terminating"))
    assert running + pending + terminating == total


def test_route_what_if_on_a_scenario_without_nodes_is_a_usage_error(tmp_path, capsys):
    f = tmp_path / "svc.yaml"
    f.write_text("apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec:\n  selector: {app: a}\n"
                 "  ports: [{port: 80}]\n")
    assert main(["route", str(f), "--to", "default/s:80"]) == 2
    err = capsys.readouterr().err
    assert "no Node objects" in err and "Traceback" not in err


def test_route_huge_rate_still_sends_every_request(capsys):
    # the highest rate allowed (1,000,000/s: 50 requests in 50 µs) still sends every request; above it, refused
    r = _json(capsys, "--to", "default/web-clusterip:80", "--rate", "1e6", "--requests", "50")
    assert r["requests"] == 50
    assert main(["route", str(DEMO_SCENARIO), "--to", "default/web-clusterip:80", "--rate", "1e20"]) == 2


def test_export_to_stdout_and_fail_at_infinity(capsys):
    assert main(["export", str(DEMO_SCENARIO), "-o", "-"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("apiVersion: ") and "podpath.dev" not in out
    assert main(["run", str(DEMO_SCENARIO), "--until", "5", "--fail", "node-3@inf"]) == 2
    assert "finite" in capsys.readouterr().err


def test_route_reports_the_same_without_the_desktops_chart_series(capsys, monkeypatch):
    """``podpath route`` turns the chart series off (they feed the desktop's charts; the report reads
    Metrics): about a third of its time. Its report is the one a run with the series on gives."""
    from core.dataplane import plane as plane_mod

    args = ["--to", "default/web-clusterip:80", "--from", "node-1", "--requests", "20000", "--rate", "10000"]
    without = _json(capsys, *args)
    closed = []
    real_close = plane_mod.ChartSeries.close
    monkeypatch.setattr(plane_mod.ChartSeries, "close", lambda self, t: closed.append(t) or real_close(self, t))
    assert _json(capsys, *args) == without and closed == []  # no series were computed
    # the same run with the series kept on, as the desktop runs it: setting the attribute to None is ignored
    real_setattr = plane_mod.DataPlane.__setattr__

    def keep_series(self, name, value):
        if name == "series" and value is None:
            return
        real_setattr(self, name, value)

    monkeypatch.setattr(plane_mod.DataPlane, "__setattr__", keep_series)
    assert _json(capsys, *args) == without and closed  # series computed this time, same report

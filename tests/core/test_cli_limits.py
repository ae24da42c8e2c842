"""Careless numbers on the command line are refused up front with one line and exit 2 (issue 8 items 16, 17)."""

import pytest

from core.cli import main
from core.scenario import DEMO_SCENARIO

DEMO = str(DEMO_SCENARIO)
TO = ["--to", "default/web-clusterip:80"]


def refused(capsys, *argv) -> str:
    assert main(list(argv)) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and err.count("\n") == 1, err  # one line
    return err.strip()


def test_keepalive_9223372036854775808_is_refused_not_an_overflow(capsys):
    assert refused(capsys, "route", DEMO, *TO, "--keepalive", "9223372036854775808") == (
        "podpath route: --keepalive must be at most 1,000,000 (what PodPath can simulate on one machine), got "
        "9,223,372,036,854,775,808")


def test_clients_1000000000_is_refused_before_any_work(capsys):
    assert refused(capsys, "route", DEMO, *TO, "--clients", "1000000000") == (
        "podpath route: --clients must be at most 65,536 (what PodPath can simulate on one machine), got "
        "1,000,000,000")


def test_requests_1e8_at_rate_1e9_is_refused_before_any_work(capsys):
    assert refused(capsys, "route", DEMO, *TO, "--requests", "100000000", "--rate", "1e9") == (
        "podpath route: --requests must be at most 10,000,000 (what PodPath can simulate on one machine), got "
        "100,000,000")
    assert refused(capsys, "route", DEMO, *TO, "--requests", "1000", "--rate", "1e9") == (
        "podpath route: --rate must be at most 1,000,000 (what PodPath can simulate on one machine), got "
        "1,000,000,000")
    # --rate x --until is a request count too: 1,000,000/s for 3600 s is 3.6e9 requests
    assert refused(capsys, "route", DEMO, *TO, "--rate", "1000000", "--until", "3600") == (
        "podpath route: requests (--rate x --until) must be at most 10,000,000 (what PodPath can simulate on one "
        "machine), got 3,600,000,000")


def test_trace_is_bounded(capsys):
    assert refused(capsys, "route", DEMO, *TO, "--trace", "10001").startswith(
        "podpath route: --trace must be at most 10,000")


def test_3600001_requests_at_1000_per_second_round_up_not_down(capsys):
    # 3,600,001 / 1000 = 3600.001 s: over the limit, and it must not print as "3600"
    assert refused(capsys, "route", DEMO, *TO, "--requests", "3600001") == (
        "podpath route: 3600001 requests at --rate 1000/s would take 3600.001 simulated seconds; at most 3600 are "
        "allowed (raise --rate)")


def test_route_without_to_says_when_its_traffic_cannot_reach_the_requests(capsys):
    # the demo's Traffic: browser 5/s from 0 s, batch-web 20/s from 2 s to 60 s, ... (resources/scenarios/demo.yaml)
    err = refused(capsys, "route", DEMO, "--requests", "9000000")
    assert err.startswith("podpath route: the scenario's Traffic sends about ")
    assert err.endswith("in the first 3600 simulated seconds (the limit); --requests 9000000 cannot be reached: "
                        "ask for fewer, or use --until")


@pytest.mark.parametrize("command", ["info", "validate"])
def test_seed_minus_one_is_a_usage_error_everywhere(capsys, command):
    assert main([command, DEMO, "--seed", "-1"]) == 2
    err = capsys.readouterr().err
    assert "argument --seed: -1 is not in 0..2^63-1" in err and "could not build" not in err


def test_route_without_to_says_so_when_it_stops_at_the_time_limit(capsys, monkeypatch):
    # if the Traffic's rates promise more than it delivers in time, the run ends at the limit and says so
    import core.cli.route as route  # noqa: PLC0415

    monkeypatch.setattr(route, "MAX_ROUTE_SECONDS", 2.0)
    monkeypatch.setattr(route, "_traffic_requests", lambda model, horizon: float("inf"))
    assert main(["route", DEMO, "--requests", "1000000", "--json"]) == 0
    err = capsys.readouterr().err
    assert err.startswith("podpath route: note: stopped at the 2-second limit after ")
    assert err.endswith(" of 1000000 requests\n")


def test_scenario_traffic_over_ten_million_requests_is_refused_up_front(tmp_path, capsys):
    # 1,000,000 requests/s (the highest rate a Traffic may have) for 3600 s is 3.6e9 requests
    text = DEMO_SCENARIO.read_text() + (
        "---\napiVersion: podpath.dev/v1alpha1\nkind: Traffic\nmetadata: {name: flood}\n"
        "spec: {client: browser, target: \"http://shop.example.com/\", rate: 1000000}\n")
    path = tmp_path / "flood.yaml"
    path.write_text(text)
    err = refused(capsys, "route", str(path), "--until", "3600")
    assert err.startswith("podpath route: the scenario's Traffic would send about 3,600,")
    assert err.endswith("requests in 3600 simulated seconds; at most 10,000,000 are simulated on one machine (lower "
                        "--until or the Traffic rates)")

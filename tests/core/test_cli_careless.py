"""Careless command lines typed by hand (issue 8 items 16, 17): every usage error is one line and exit 2, never
argparse's usage block or a traceback; counts written as ``1e8`` are read as the whole numbers they are, so the
message names the bound; and ``podpath info`` keeps its columns in line with long real names."""

import pytest

from core.cli import main
from core.scenario import DEMO_SCENARIO
from tests.conftest import MANIFESTS

DEMO = str(DEMO_SCENARIO)
TO = ["--to", "default/web-clusterip:80"]


def one_line(capsys, *argv) -> str:
    assert main(list(argv)) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and "usage:" not in err and err.count("\n") == 1, err
    return err.strip()


def test_requests_1e8_written_in_e_notation_names_the_bound(capsys):
    assert one_line(capsys, "route", DEMO, *TO, "--requests", "1e8", "--rate", "1e9") == (
        "podpath route: --requests must be at most 10,000,000 (what PodPath can simulate on one machine), got "
        "100,000,000")
    assert one_line(capsys, "route", DEMO, *TO, "--trace", "1e12").startswith("podpath route: --trace must be at most")


@pytest.mark.parametrize(("value", "said"), [("nan", "'nan' is not a whole number"), ("2.5", "'2.5' is not a whole number"),
                                             ("inf", "'inf' is not a whole number"),
                                             ("1e999999999", "1e999999999 is far beyond what PodPath can simulate on "
                                              "one machine")])
def test_requests_nan_fraction_infinity_and_a_billion_digit_number_one_line(capsys, value, said):
    assert one_line(capsys, "route", DEMO, *TO, "--requests", value) == (
        f"podpath route: error: argument --requests: {said} (see podpath route --help)")


@pytest.mark.parametrize("command", ["info", "validate", "run", "rules", "route", "export", "snapshot"])
def test_seed_minus_one_and_missing_arguments_one_line_in_every_command(capsys, command):
    assert one_line(capsys, command, DEMO, "--seed", "-1").startswith(f"podpath {command}: error: ")
    assert one_line(capsys, command).startswith(f"podpath {command}: error: the following arguments are required")


def test_unknown_option_and_keepalive_nan_one_line(capsys):
    assert one_line(capsys, "--bogus") == "podpath: error: unrecognized arguments: --bogus (see podpath --help)"
    assert one_line(capsys, "route", DEMO, *TO, "--keepalive", "nan") == (
        "podpath route: error: argument --keepalive: 'nan' is not a whole number (see podpath route --help)")


def test_info_columns_stay_in_line_with_argocds_longest_service_name(capsys):
    # default/argocd-notifications-controller-metrics is 47 characters: it pushed its row out of the
    # 40-character column; every Service row's type column now starts at the same offset
    assert main(["info", str(MANIFESTS / "argocd-install-no-crds.yaml")]) == 0
    out = capsys.readouterr().out.splitlines()
    rows = out[out.index("Services:") + 1:]
    assert "  default/argocd-notifications-controller-metrics  ClusterIP  " in [r[:62] for r in rows]
    starts = {r.index(" ClusterIP ") for r in rows}
    assert len(rows) == 9 and len(starts) == 1, rows  # default/kubernetes and argo-cd's eight Services


def test_app_option_before_any_file_opens_the_app(monkeypatch):
    """`podpath --quit-after 2` is the desktop app's option, not an unknown subcommand (found driving the app)."""
    import core.cli.app as app

    seen = []
    monkeypatch.setattr(app, "launch_default", lambda argv: seen.append(list(argv)) or 0)
    assert main(["--quit-after", "2"]) == 0
    assert main(["--quit-after=2", "demo.yaml"]) == 0
    assert seen == [["--quit-after", "2"], ["--quit-after=2", "demo.yaml"]]

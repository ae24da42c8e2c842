"""podpath validate / info / export through core.cli.main."""

import json

from core.cli import main
from core.scenario import DEMO_SCENARIO


def test_validate_exit_codes(tmp_path, capsys):
    assert main(["validate", str(DEMO_SCENARIO)]) == 0
    bad = tmp_path / "bad.yaml"
    bad.write_text("apiVersion: v1\nkind: Service\nmetadata: {name: a}\nspec:\n  type: Foo\n  ports: [{port: 80}]\n")
    assert main(["validate", str(bad)]) == 1
    assert f"{bad}:5:9: error" in capsys.readouterr().err
    assert main(["validate"]) == 2


def test_validate_warnings_exit_zero(shared_manifests, capsys):
    assert main(["validate", str(shared_manifests / "tensorflow-serving.yaml")]) == 0
    assert "warning" in capsys.readouterr().out


def test_info_json(capsys):
    assert main(["info", str(DEMO_SCENARIO), "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert [n["podCIDR"] for n in info["nodes"]] == ["10.244.0.0/24", "10.244.1.0/24", "10.244.2.0/24"]
    svc = {s["name"]: s for s in info["services"]}
    assert svc["kubernetes"]["clusterIP"] == "10.96.0.1"
    assert svc["web-nodeport"]["ports"][0]["nodePort"] == 30080
    assert info["ingresses"][0]["rules"][0]["host"] == "shop.example.com"


def test_export_refuses_input_and_writes_output(tmp_path, capsys):
    src = tmp_path / "demo.yaml"
    src.write_text(DEMO_SCENARIO.read_text())
    before = src.read_text()
    assert main(["export", str(src), "-o", str(src)]) == 2
    assert src.read_text() == before
    out = tmp_path / "out.yaml"
    assert main(["export", str(src), "-o", str(out)]) == 0
    assert "kind: Deployment" in out.read_text() and "podpath.dev" not in out.read_text()


def test_export_with_nothing_to_export_writes_nothing(tmp_path, capsys):
    src = tmp_path / "nodes.yaml"
    src.write_text("apiVersion: v1\nkind: Node\nmetadata: {name: n1}\n")
    out = tmp_path / "out.yaml"
    assert main(["export", str(src), "-o", str(out)]) == 1
    assert not out.exists()
    assert capsys.readouterr().err == (f"podpath export: {src} has no Kubernetes objects to export (Nodes are left "
                                       "out; --include-nodes exports them); nothing written\n")
    assert main(["export", str(src), "-o", str(out), "--include-nodes"]) == 0
    assert "kind: Node" in out.read_text()

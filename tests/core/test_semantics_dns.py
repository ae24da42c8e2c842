"""Issue 8 items 6 and 7: StatefulSet pod DNS names, and URLs whose host is a Service name."""

import json
from pathlib import Path

import pytest

from core.cli import main
from core.dataplane.targets import cluster_dns_names

DATA = Path(__file__).resolve().parent.parent / "data" / "manifests"
NODES = "".join(f"apiVersion: v1\nkind: Node\nmetadata: {{name: node-{i}}}\n---\n" for i in (1, 2, 3))


@pytest.fixture
def manifests(request) -> Path:
    if (DATA / "cassandra.yaml").is_file():
        return DATA
    return request.getfixturevalue("shared_manifests")


def _route(capsys, path, *args):
    code = main(["route", str(path), *args, "--json"])
    out = capsys.readouterr().out
    assert code == 0, out
    return json.loads(out)


def test_cluster_dns_name_search_path():
    # resolv.conf of a pod in "default": search default.svc.cluster.local svc.cluster.local cluster.local
    assert cluster_dns_names("reviews") == [("reviews", "default")]
    assert cluster_dns_names("reviews", "shop") == [("reviews", "shop")]
    # two labels: first <a>.<b>.default.svc.cluster.local (pod a of headless b), then b as a namespace
    assert cluster_dns_names("reviews.prod") == [("reviews", "prod", "default"), ("reviews", "prod")]
    assert cluster_dns_names("reviews.prod.svc") == [("reviews", "prod")]
    assert cluster_dns_names("reviews.prod.svc.cluster.local.") == [("reviews", "prod")]
    assert cluster_dns_names("cassandra-0.cassandra.default.svc.cluster.local") == [
        ("cassandra-0", "cassandra", "default")]
    assert cluster_dns_names("shop.example.com") == []  # three labels, no .svc: not a cluster name


def test_statefulset_pod_dns_names_resolve(manifests, tmp_path, capsys):
    path = tmp_path / "cassandra.yaml"
    path.write_text(NODES + (manifests / "cassandra.yaml").read_text())
    # <pod>.<serviceName>.<ns>.svc.cluster.local is that pod's own A record: every request reaches it
    for name, pod in (("cassandra-0.cassandra.default.svc.cluster.local", "cassandra-0"),
                      ("cassandra-2.cassandra.default.svc", "cassandra-2"),
                      ("cassandra-1.cassandra", "cassandra-1")):  # through the search path
        out = _route(capsys, path, "--to", f"{name}:9042", "--from", "node-1", "--requests", "30")
        assert out["delivered"] == 30, name
        assert [(e["pod"], e["port"], e["count"]) for e in out["endpoints"]] == [(pod, 9042, 30)], name
    # the headless Service name itself returns every ready pod
    out = _route(capsys, path, "--to", "cassandra.default.svc.cluster.local:9042", "--from", "node-1",
                 "--requests", "300")
    assert sorted(e["pod"] for e in out["endpoints"]) == ["cassandra-0", "cassandra-1", "cassandra-2"]
    # an ordinal that does not exist has no record
    out = _route(capsys, path, "--to", "cassandra-3.cassandra.default.svc.cluster.local:9042", "--from", "node-1",
                 "--requests", "5")
    assert out["dropped"] == {"nxdomain": 5}


def test_url_with_service_name_host_goes_to_the_service(manifests, tmp_path, capsys):
    path = tmp_path / "bookinfo.yaml"
    path.write_text(NODES + (manifests / "bookinfo.yaml").read_text())
    # bookinfo has no Ingress: http://reviews:9080/ from a pod is the Service reviews (3 versions, 1 pod each)
    for url in ("http://reviews:9080/", "http://reviews.default:9080/reviews/0",
                "http://reviews.default.svc.cluster.local:9080/"):
        out = _route(capsys, path, "--to", url, "--from", "node-2", "--requests", "300")
        assert out["delivered"] == 300, url
        assert {e["service"] for e in out["endpoints"]} == {"default/reviews:http"}, url
        assert sorted(e["pod"].rsplit("-", 2)[0] for e in out["endpoints"]) == ["reviews-v1", "reviews-v2",
                                                                                "reviews-v3"]
    # a host that is no cluster name is still an Ingress host, and bookinfo runs no controller
    out = _route(capsys, path, "--to", "http://bookinfo.example.com/", "--from", "node-2", "--requests", "5")
    assert out["dropped"] == {"no_ingress_controller": 5}


def test_pod_hostname_and_subdomain_dns_name(tmp_path, capsys):
    # a bare Pod with spec.hostname db-a and spec.subdomain dbs, selected by headless Service dbs:
    # db-a.dbs.default.svc.cluster.local is its A record; a pod without hostname/subdomain has none
    path = tmp_path / "pods.yaml"
    path.write_text(NODES + """\
apiVersion: v1
kind: Pod
metadata: {name: db-a, labels: {app: db}}
spec:
  hostname: db-a
  subdomain: dbs
  containers: [{name: db, image: postgres, ports: [{containerPort: 5432}]}]
---
apiVersion: v1
kind: Pod
metadata: {name: db-b, labels: {app: db}}
spec:
  containers: [{name: db, image: postgres, ports: [{containerPort: 5432}]}]
---
apiVersion: v1
kind: Service
metadata: {name: dbs}
spec:
  clusterIP: None
  selector: {app: db}
  ports: [{port: 5432}]
""")
    out = _route(capsys, path, "--to", "db-a.dbs.default.svc.cluster.local:5432", "--from", "node-1",
                 "--requests", "10")
    assert [(e["pod"], e["count"]) for e in out["endpoints"]] == [("db-a", 10)]
    out = _route(capsys, path, "--to", "db-b.dbs.default.svc.cluster.local:5432", "--from", "node-1",
                 "--requests", "4")
    assert out["dropped"] == {"nxdomain": 4}

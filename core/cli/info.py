"""``podpath info FILE [--json]``: nodes with IPs and podCIDRs, Services with ClusterIPs and ports, Ingress rules."""

from __future__ import annotations

import argparse
import json
import sys

from core.cli.options import seed
from core.model import ClusterModel
from core.scenario import ScenarioError, load_model_with_warnings


def register(subparsers) -> None:
    p = subparsers.add_parser("info", help="show what a scenario builds: addresses, ports, rules")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.add_argument("--seed", type=seed, default=None,
                   help="seed for automatic allocations, 0 or more (default: the scenario's)")
    p.set_defaults(handler=run)


def summary(model: ClusterModel) -> dict:
    return {
        "nodes": [{"name": n.name, "internalIP": n.internal_ip, "podCIDR": n.pod_cidr, "zone": n.zone,
                   "unschedulable": n.unschedulable} for n in model.nodes],
        "services": [{"namespace": s.namespace, "name": s.name, "type": s.type, "clusterIP": s.cluster_ip,
                      "loadBalancerIP": s.load_balancer_ip, "externalName": s.external_name,
                      "implicit": s.implicit, "healthCheckNodePort": s.health_check_node_port,
                      "ports": [{"name": p.name, "protocol": p.protocol, "port": p.port,
                                 "targetPort": p.effective_target_port, "nodePort": p.node_port} for p in s.ports]}
                     for s in model.services],
        "ingresses": [{"namespace": i.namespace, "name": i.name, "class": i.class_name,
                       "rules": [{"host": r.host, "paths": [{"path": p.path, "pathType": p.path_type,
                                                             "service": p.backend.service_name,
                                                             "port": p.backend.port} for p in r.paths]}
                                 for r in i.rules],
                       "defaultBackend": None if i.default_backend is None else
                       {"service": i.default_backend.service_name, "port": i.default_backend.port}}
                      for i in model.ingresses],
        "workloads": [{"kind": w.kind, "namespace": w.namespace, "name": w.name, "replicas": w.replicas}
                      for w in model.workloads],
        "proxy": {"mode": model.proxy.mode, "ipvsScheduler": model.proxy.ipvs_scheduler},
        "clients": [{"name": c.name, "location": c.location, "ip": c.ip, "node": c.node} for c in model.clients],
    }


def run(args: argparse.Namespace) -> int:
    try:
        model, warnings = load_model_with_warnings(args.file, seed=args.seed)
    except ScenarioError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    info = summary(model)
    if args.json:
        info["warnings"] = [w.to_dict() for w in warnings]
        print(json.dumps(info, indent=2))
        return 0
    for w in warnings:
        print(w.format(), file=sys.stderr)
    print("Nodes:")
    _table([[n["name"], n["internalIP"] or "-", f"podCIDR {n['podCIDR']}", f"zone {n['zone'] or '-'}"]
            for n in info["nodes"]])
    print("Services:")
    rows = []
    for s in info["services"]:
        ports = ", ".join(f"{p['port']}/{p['protocol']}" + (f":{p['nodePort']}" if p["nodePort"] else "")
                          + f"->{p['targetPort']}" for p in s["ports"])
        addr = s["clusterIP"] or s["externalName"] or "-"
        lb = f"LB {s['loadBalancerIP']}" if s["loadBalancerIP"] else ""
        rows.append([f"{s['namespace']}/{s['name']}", s["type"], addr, lb, ports])
    _table(rows)
    if info["ingresses"]:
        print("Ingresses:")
    for i in info["ingresses"]:
        print(f"  {i['namespace']}/{i['name']} (class {i['class'] or '-'})")
        for r in i["rules"]:
            for p in r["paths"]:
                print(f"    {r['host'] or '*'}{p['path']} [{p['pathType']}] -> {p['service']}:{p['port']}")
    return 0


def _table(rows: list[list[str]]) -> None:
    """Print rows as columns as wide as their widest cell, two spaces apart (a long Service name such as
    argo-cd's ``default/argocd-notifications-controller-metrics`` pushed its row out of line with fixed widths);
    an empty column takes no room."""
    if not rows:
        return
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for r in rows:
        print("  " + "  ".join(c.ljust(w) for c, w in zip(r, widths) if w).rstrip())

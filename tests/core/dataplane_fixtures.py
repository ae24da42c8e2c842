"""A small hand-built cluster for data-plane tests: 3 nodes, a 3-replica web Deployment, one Service of
each kind, an ingress-nginx controller, clients. Addresses are fixed so expected values can be worked
out by hand."""

from __future__ import annotations

from core.engine import Simulation
from core.model import (
    ClientSpec,
    ClusterModel,
    Container,
    ContainerPort,
    IngressBackend,
    IngressClassSpec,
    IngressPath,
    IngressRule,
    IngressSpec,
    NodeSpec,
    PodTemplate,
    Resources,
    ServicePort,
    ServiceSpec,
    SimulationSettings,
    Timing,
    TrafficSpec,
    WorkloadSpec,
)

WEB_LABELS = {"app": "web"}


def web_template(labels=None) -> PodTemplate:
    return PodTemplate(labels=dict(labels or WEB_LABELS),
                       containers=(Container("web", "nginx:1.27", (ContainerPort(8080, "http"),),
                                             Resources(100, 128 * 1024**2)),),
                       readiness_delay=1.0)


def cluster(replicas: int = 3, *, mode: str = "iptables", scheduler: str = "rr", etp: str = "Cluster",
            itp: str = "Cluster", affinity: bool = False, ingress: bool = True, traffic=()) -> ClusterModel:
    nodes = [NodeSpec(f"node-{i + 1}", {"kubernetes.io/hostname": f"node-{i + 1}",
                                        "topology.kubernetes.io/zone": "zone-a" if i < 2 else "zone-b"},
                      internal_ip=f"192.168.0.{10 + i}", pod_cidr=f"10.244.{i}.0/24") for i in range(3)]
    model = ClusterModel(nodes=nodes)
    model.workloads.append(WorkloadSpec("Deployment", "default", "web", replicas, dict(WEB_LABELS), web_template()))
    http = ServicePort(80, "TCP", "http", "http")
    model.services += [
        ServiceSpec("default", "web", "ClusterIP", "10.96.100.10", (http,), dict(WEB_LABELS),
                    session_affinity="ClientIP" if affinity else "None", internal_traffic_policy=itp),
        ServiceSpec("default", "web-np", "NodePort", "10.96.100.11", (ServicePort(80, "TCP", "http", "http", 30080),),
                    dict(WEB_LABELS), external_traffic_policy=etp),
        ServiceSpec("default", "web-lb", "LoadBalancer", "10.96.100.12",
                    (ServicePort(80, "TCP", "http", "http", 30081),), dict(WEB_LABELS),
                    external_traffic_policy=etp, load_balancer_ip="203.0.113.10"),
        ServiceSpec("default", "web-headless", "ClusterIP", "None", (http,), dict(WEB_LABELS)),
        ServiceSpec("default", "docs", "ExternalName", None, (), None, external_name="docs.example.org"),
    ]
    if ingress:
        ctrl_labels = {"app.kubernetes.io/name": "ingress-nginx"}
        ctrl = PodTemplate(labels=ctrl_labels, containers=(Container(
            "controller", "registry.k8s.io/ingress-nginx/controller:v1.11.2",
            (ContainerPort(80, "http"),), Resources(100, 90 * 1024**2)),), readiness_delay=1.0)
        model.workloads.append(WorkloadSpec("Deployment", "ingress-nginx", "ingress-nginx-controller", 1,
                                            dict(ctrl_labels), ctrl))
        model.services.append(ServiceSpec("ingress-nginx", "ingress-nginx-controller", "NodePort", "10.96.100.20",
                                          (ServicePort(80, "TCP", "http", "http", 30090),), dict(ctrl_labels)))
        model.ingress_classes.append(IngressClassSpec("nginx", "k8s.io/ingress-nginx", True))
        model.ingresses.append(IngressSpec("default", "shop", "nginx", rules=(
            IngressRule("shop.example.com", (IngressPath("/", "Prefix", IngressBackend("web", 80)),)),)))
    model.proxy.mode = mode
    model.proxy.ipvs_scheduler = scheduler
    model.clients += [ClientSpec("pod-client", "internal", None, "node-1"),
                      ClientSpec("laptop", "external", "198.51.100.7")]
    model.traffic += list(traffic)
    model.simulation = SimulationSettings(seed=7, tick=0.1, preset="classroom", timing=Timing.preset("classroom"))
    return model


def settled(model: ClusterModel, seed: int = 7, until: float = 10.0) -> Simulation:
    """A simulation whose pods are Ready and whose kube-proxies have synced, with traffic not yet started."""
    sim = Simulation(model, seed)
    sim.dataplane.enabled = False
    sim.run(until)
    sim.dataplane.enabled = True
    return sim


def web_pod_ips(sim) -> dict[str, str]:
    return {p.name: p.ip for p in sim.state.pods.values() if p.labels.get("app") == "web" and p.ip}


def traffic(name, client, target, rate=1000.0, **kw) -> TrafficSpec:
    return TrafficSpec(name, client, target, rate=rate, **kw)

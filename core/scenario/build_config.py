"""Builders for the cluster-wide configuration kinds and PodPath's Simulation and Timeline objects."""

from __future__ import annotations

import ipaddress
import re

from core.model import IPVS_SCHEDULERS, ClusterModel, SimulationSettings, TimelineEvent, Timing
from core.scenario.build_objects import Report, d, lst
from core.scenario.errors import format_value
from core.scenario.kinds import ANN_STRATEGY
from core.scenario.limits import MAX_PODS, MIN_TICK, seconds_problem
from core.scenario.units import parse_duration

STRATEGIES = ("kube-scheduler", "RoundRobin", "Random")
SCORING = ("LeastAllocated", "MostAllocated", "RequestedToCapacityRatio")
TIMING_FIELDS = {
    "nodeMonitorPeriod": "node_monitor_period", "nodeMonitorGracePeriod": "node_monitor_grace_period",
    "heartbeatInterval": "heartbeat_interval", "tolerationSeconds": "toleration_seconds",
    "proxySyncDelay": "proxy_sync_delay", "endpointSliceDelay": "endpoint_slice_delay",
    "podStartup": "pod_startup", "terminationGrace": "termination_grace",
}


def _cidr(report: Report, path: tuple, value: object, example: str) -> str | None:
    try:
        return str(ipaddress.IPv4Network(str(value), strict=True))
    except ValueError:
        report(path, f"Invalid value: {format_value(value)}: must be a valid IPv4 CIDR with no host bits set "
               f"(e.g. {example})", value)
        return None


def check_pod_cidr_mask(model: ClusterModel, rep, configs: list[tuple[int, dict]]) -> None:
    """The pod subnet must hold at least one node CIDR: kube-controller-manager refuses to start otherwise."""
    try:
        prefix = ipaddress.IPv4Network(model.cluster.pod_subnet).prefixlen
    except ValueError:
        return
    mask = model.cluster.node_cidr_mask_size
    if prefix <= mask:
        return
    where = [i for i, raw in configs if d(raw.get("networking")).get("podSubnet") is not None]
    if where:
        rep.for_entry(where[-1])(("networking", "podSubnet"), f"Invalid value: {format_value(model.cluster.pod_subnet)}"
                                 f": the pod subnet (cluster CIDR) is smaller than one node CIDR /{mask}; its mask "
                                 f"size must be less than or equal to the node CIDR mask size {mask} (kube-controller-"
                                 "manager: Invalid --cluster-cidr, mask size of cluster CIDR must be less than or "
                                 "equal to --node-cidr-mask-size)", model.cluster.pod_subnet)


def _extra_arg(raw: object, name: str) -> tuple[object, tuple] | None:
    """Value and path suffix of an API-server argument: v1beta4 list of {name, value}, or v1beta3 map."""
    if isinstance(raw, list):
        for i, item in enumerate(raw):
            if isinstance(item, dict) and item.get("name") == name:
                return item.get("value"), (i, "value")
    elif isinstance(raw, dict) and name in raw:
        return raw[name], (name,)
    return None


def _enum(report: Report, path: tuple, value: object, allowed: tuple[str, ...]) -> bool:
    if value not in allowed:
        report(path, f"Unsupported value: {format_value(value)}: supported values: "
               + ", ".join(f'"{a}"' for a in allowed), value)
        return False
    return True


def _object_event(report: Report, path: tuple, action: str, target: str, value: object) -> bool:
    """applyObject: ``value`` is the whole manifest and ``target`` its ``Kind/namespace/name``;
    deleteObject: ``target`` names the object (cluster-scoped kinds: ``Kind//name`` or ``Kind/name``)."""
    parts = str(target).split("/")
    if len(parts) not in (2, 3) or not parts[0] or not parts[-1]:
        report((*path, "target"), f"Invalid value: {format_value(target)}: {action} needs a target "
               "Kind/namespace/name (e.g. Service/default/web)", target)
        return False
    if action == "deleteObject":
        return True
    if not isinstance(value, dict):
        report((*path, "value"), f"Invalid value: {format_value(value)}: applyObject needs the object's manifest "
               "as a mapping (apiVersion, kind, metadata.name, ...)", value)
        return False
    meta = value.get("metadata") if isinstance(value.get("metadata"), dict) else {}
    if value.get("kind") != parts[0] or meta.get("name") != parts[-1] or not value.get("apiVersion"):
        report((*path, "value"), f"Invalid value: the manifest is {value.get('kind')!s}/{meta.get('name')!s}: "
               f"applyObject's value must be the object its target names ({target}), with an apiVersion", None)
        return False
    return True


def apply_config(model: ClusterModel, raw: dict, report: Report, network: dict[str, str]) -> None:
    kind = raw.get("kind")
    if kind == "ClusterConfiguration":
        net = d(raw.get("networking"))
        if net.get("serviceSubnet") is not None:
            model.cluster.service_subnet = _cidr(report, ("networking", "serviceSubnet"), net["serviceSubnet"],
                                                 "10.96.0.0/12") or model.cluster.service_subnet
        if net.get("podSubnet") is not None:
            model.cluster.pod_subnet = _cidr(report, ("networking", "podSubnet"), net["podSubnet"],
                                             "10.244.0.0/16") or model.cluster.pod_subnet
        found = _extra_arg(d(raw.get("apiServer")).get("extraArgs"), "service-node-port-range")
        if found:
            value, suffix = found
            m = re.fullmatch(r"\s*(\d+)\s*-\s*(\d+)\s*", str(value))
            lo, hi = (int(m.group(1)), int(m.group(2))) if m else (0, 0)
            if not m or not 1 <= lo <= hi <= 65535:
                report(("apiServer", "extraArgs", *suffix), f"Invalid value: {format_value(value)}: must be a "
                       "port range \"LOW-HIGH\" with 1 <= LOW <= HIGH <= 65535 (default 30000-32767)", value)
            else:
                model.cluster.node_port_range = (lo, hi)
        found = _extra_arg(d(raw.get("controllerManager")).get("extraArgs"), "node-cidr-mask-size")
        if found:
            value, suffix = found
            pod_prefix = ipaddress.IPv4Network(model.cluster.pod_subnet).prefixlen
            if not str(value).isdigit() or not pod_prefix <= int(value) <= 30:
                report(("controllerManager", "extraArgs", *suffix), f"Invalid value: {format_value(value)}: must "
                       f"be a prefix length between {pod_prefix} (the pod subnet) and 30", value)
            else:
                model.cluster.node_cidr_mask_size = int(value)
    elif kind == "KubeProxyConfiguration":
        proxy = model.proxy
        proxy.mode = raw.get("mode") or "iptables"
        proxy.ipvs_scheduler = d(raw.get("ipvs")).get("scheduler") or "rr"
        if raw.get("clusterCIDR"):
            proxy.cluster_cidr = _cidr(report, ("clusterCIDR",), raw["clusterCIDR"], "10.244.0.0/16")
        proxy.masquerade_all = bool(d(raw.get("iptables")).get("masqueradeAll")
                                    or d(raw.get("nftables")).get("masqueradeAll")
                                    or d(raw.get("linux")).get("masqueradeAll"))
        proxy.localhost_node_ports = d(raw.get("iptables")).get("localhostNodePorts") is not False
        section = {"ipvs": "ipvs", "nftables": "nftables"}.get(proxy.mode, "iptables")
        for field, attr in (("minSyncPeriod", "min_sync_period"), ("syncPeriod", "sync_period")):
            value = d(raw.get(section)).get(field)
            if value is None:
                continue
            try:
                seconds = parse_duration(value)
                if seconds < 0:
                    raise ValueError("must be greater than or equal to 0")
                setattr(proxy, attr, seconds)
            except ValueError as exc:
                report((section, field), f"Invalid value: {format_value(value)}: {exc}", value)
        if proxy.mode == "userspace":
            report(("mode",), "userspace mode was removed in Kubernetes 1.26; PodPath keeps it to show how "
                   "it worked", "userspace", severity="warning")
    elif kind == "KubeSchedulerConfiguration":
        _scheduler(model, raw, report)
    elif kind == "Simulation":
        _simulation(model, raw, report, network)


def _scheduler(model: ClusterModel, raw: dict, report: Report) -> None:
    sched = model.scheduler
    annotations = d(d(raw.get("metadata")).get("annotations"))
    if ANN_STRATEGY in annotations and _enum(report, ("metadata", "annotations", ANN_STRATEGY),
                                             annotations[ANN_STRATEGY], STRATEGIES):
        sched.strategy = annotations[ANN_STRATEGY]
    pct = raw.get("percentageOfNodesToScore")
    profiles = lst(raw.get("profiles"))
    if pct is None and profiles:
        pct = d(profiles[0]).get("percentageOfNodesToScore")
    if pct is not None:
        if not 0 <= pct <= 100:
            report(("percentageOfNodesToScore",), f"Invalid value: {pct}: not in valid range [0-100]", pct)
        else:
            sched.percentage_of_nodes_to_score = pct
    if not profiles:
        return
    for k, pc in enumerate(lst(d(profiles[0]).get("pluginConfig"))):
        if d(pc).get("name") != "NodeResourcesFit":
            continue
        base = ("profiles", 0, "pluginConfig", k, "args", "scoringStrategy")
        strategy = d(d(pc.get("args")).get("scoringStrategy"))
        stype = strategy.get("type", "LeastAllocated")
        if _enum(report, (*base, "type"), stype, SCORING):
            sched.scoring_strategy = stype
        weights = []
        for r, res in enumerate(lst(strategy.get("resources"))):
            res = d(res)
            name, weight = res.get("name"), res.get("weight", 1)
            if not isinstance(name, str) or not name:
                report((*base, "resources", r, "name"), "Required value")
            elif not isinstance(weight, int) or isinstance(weight, bool) or not 1 <= weight <= 100:
                report((*base, "resources", r, "weight"), f"Invalid value: {format_value(weight)}: resource "
                       "weight of must be in the range [1, 100]", weight)
            else:
                weights.append((name, weight))
        if weights:
            sched.resource_weights = tuple(weights)
        shape = []
        for s, point in enumerate(lst(d(strategy.get("requestedToCapacityRatio")).get("shape"))):
            point = d(point)
            u, sc = point.get("utilization"), point.get("score")
            if not isinstance(u, int) or not 0 <= u <= 100:
                report((*base, "requestedToCapacityRatio", "shape", s, "utilization"),
                       f"Invalid value: {format_value(u)}: utilization values must be between 0 and 100", u)
            elif not isinstance(sc, int) or not 0 <= sc <= 10:
                report((*base, "requestedToCapacityRatio", "shape", s, "score"),
                       f"Invalid value: {format_value(sc)}: score values must be between 0 and 10", sc)
            else:
                shape.append((u, sc))
        if shape:
            sched.shape = tuple(shape)
        elif stype == "RequestedToCapacityRatio" and strategy.get("requestedToCapacityRatio") is not None:
            report((*base, "requestedToCapacityRatio", "shape"), "Required value: at least one point")


def _simulation(model: ClusterModel, raw: dict, report: Report, network: dict[str, str]) -> None:
    spec = d(raw.get("spec"))
    preset = spec.get("preset") or "realistic"
    timing = Timing.preset(preset) if preset in ("realistic", "classroom") else Timing()
    for key, attr in TIMING_FIELDS.items():
        value = d(spec.get("timing")).get(key)
        if value is None:
            continue
        if seconds_problem(value):
            report(("spec", "timing", key), f"Invalid value: {format_value(value)}: {seconds_problem(value)}",
                   value)
        else:
            setattr(timing, attr, float(value))
    tick = spec.get("tick", 0.1)
    if not MIN_TICK <= tick <= 60:  # NaN fails too
        report(("spec", "tick"), f"Invalid value: {format_value(tick)}: must be between {MIN_TICK:g} and 60 "
               "seconds", tick)
        tick = 0.1
    seed = spec.get("seed", 0)
    if not 0 <= seed < 2**63:
        report(("spec", "seed"), f"Invalid value: {seed}: must be between 0 and 2^63-1", seed)
        seed = 0
    model.simulation = SimulationSettings(int(seed), float(tick), preset, timing)
    for key, example in (("nodeSubnet", "192.168.0.0/24"), ("loadBalancerPool", "203.0.113.0/24"),
                         ("externalClientPool", "198.51.100.0/24")):
        value = d(spec.get("network")).get(key)
        if value is not None:
            cidr = _cidr(report, ("spec", "network", key), value, example)
            if cidr:
                network[key] = cidr
                if key == "nodeSubnet":
                    model.cluster.node_subnet = cidr


def build_timeline(raw: dict, report: Report) -> list[TimelineEvent | None]:
    out: list[TimelineEvent | None] = []
    for k, ev in enumerate(lst(d(raw.get("spec")).get("events"))):
        ev = d(ev)
        path = ("spec", "events", k)
        at, action, target, value = ev.get("at"), ev.get("action"), ev.get("target") or "", ev.get("value")
        if seconds_problem(at):
            report((*path, "at"), f"Invalid value: {format_value(at)}: {seconds_problem(at)}", at)
            out.append(None)
            continue
        ok = True
        if action == "scale":
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                report((*path, "value"), f"Invalid value: {format_value(value)}: scale needs a replica count >= 0",
                       value)
                ok = False
            elif value > MAX_PODS:
                report((*path, "value"), f"Invalid value: {value}: PodPath simulates at most {MAX_PODS:,} pods on "
                       "one machine", value)
                ok = False
        elif action == "setProxyMode":
            ok = _enum(report, (*path, "value"), value, ("iptables", "ipvs", "nftables", "userspace"))
        elif action == "setIPVSScheduler":
            ok = _enum(report, (*path, "value"), value, IPVS_SCHEDULERS)
        elif action == "setScheduler":
            ok = _enum(report, (*path, "value"), value, STRATEGIES)
        elif action == "setTimingPreset":
            ok = _enum(report, (*path, "value"), value, ("classroom", "realistic"))
        elif action in ("applyObject", "deleteObject"):
            ok = _object_event(report, path, action, target, value)
        if action in ("scale", "setProxyMode", "setIPVSScheduler", "setScheduler") and isinstance(value, dict):
            report((*path, "value"), f"Invalid value: {format_value(value)}: {action} takes an integer or a string",
                   value)
            ok = False
        if action in ("failNode", "recoverNode", "deletePod", "scale", "cordon", "uncordon", "drain") \
                and not target:
            report((*path, "target"), f"Required value: {action} needs a target")
            ok = False
        out.append(TimelineEvent(float(at), action, str(target), value) if ok else None)
    return out

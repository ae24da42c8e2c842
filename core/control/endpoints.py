"""EndpointSlice controller and per-node kube-proxy views, both incremental (domain.md d.2, a.7, a.8).

The controller keeps, per Service, the set of pods its selector matches (pods are indexed by their label
set, so a pod change only touches the Services that select it) and republishes only "dirty" Services.
Every published change is appended to a change log; each node's ``ProxyView`` keeps a cursor into the log
and, at its sync (``proxy_sync_delay`` after a change, and only while the node is up), applies the changed
Services' endpoints and adopts the desired ``ProxyConfig``. Views in the same state share one ``slices``
dict (copy-on-write): readers must treat ``ProxyView.slices`` as read-only.
"""

from __future__ import annotations

from dataclasses import replace

from core.model import ServiceSpec
from core.state import ClusterState, Endpoint, EndpointSlice, PodState, ProxyView, ViewSlices

CONTROL_PLANE_LABELS = ("node-role.kubernetes.io/control-plane", "node-role.kubernetes.io/master")
APISERVER_PORT = 6443


def resolve_target_port(pod: PodState, target: int | str, protocol: str) -> int | None:
    """podutil.FindPort: a number is used as is; a name is looked up among the pod's container ports."""
    if isinstance(target, int):
        return target
    if isinstance(target, str) and target.isdigit():
        return int(target)
    for c in pod.template.containers:
        for p in c.ports:
            if p.name == target and p.protocol == protocol:
                return p.container_port
    return None


def pod_endpoint(svc: ServiceSpec, pod: PodState) -> Endpoint:
    """One pod as an endpoint of ``svc``, with the EndpointSlice controller's conditions."""
    serving = svc.publish_not_ready_addresses or pod.ready
    terminating = pod.deletion_timestamp is not None
    ready = svc.publish_not_ready_addresses or (serving and not terminating)
    ports = []
    for sp in svc.ports:
        num = resolve_target_port(pod, sp.effective_target_port, sp.protocol)
        if num is not None:
            ports.append((sp.name, num, sp.protocol))
    assert pod.ip is not None and pod.node is not None
    return Endpoint(pod.ip, pod.node, pod.key, ready, serving, terminating, tuple(ports))


class EndpointController:
    """Maintains ``state.slices`` incrementally and the change log the proxy views replay."""

    def __init__(self, state: ClusterState):
        self.state = state
        self.services: dict[tuple[str, str], ServiceSpec] = {}
        self.by_namespace: dict[str, list[tuple[str, str]]] = {}
        self.members: dict[tuple[str, str], set[tuple[str, str]]] = {}
        self.kubernetes_svc: ServiceSpec | None = None
        for svc in state.model.services:
            key = (svc.namespace, svc.name)
            if key == ("default", "kubernetes"):
                self.kubernetes_svc = svc
                continue
            if svc.type == "ExternalName" or svc.selector is None:
                continue
            self.services[key] = svc
            self.by_namespace.setdefault(svc.namespace, []).append(key)
            self.members[key] = set()
        self._label_cache: dict[tuple[str, frozenset], tuple[tuple[str, str], ...]] = {}
        # selector index: (namespace, key, value) of a Service's first selector item -> Services
        self._by_item: dict[tuple[str, str, str], list[tuple[str, str]]] = {}
        self._select_all: dict[str, list[tuple[str, str]]] = {}
        for key, svc in self.services.items():
            items = sorted((svc.selector or {}).items())
            if items:
                self._by_item.setdefault((svc.namespace, *items[0]), []).append(key)
            else:
                self._select_all.setdefault(svc.namespace, []).append(key)
        self.dirty: set[tuple[str, str]] = set(self.services)
        if self.kubernetes_svc is not None:
            self.dirty.add(("default", "kubernetes"))
        self.log: list[tuple[str, str]] = []  # service keys in publish order
        self.log_base = 0  # absolute index of log[0]

    def services_of(self, pod: PodState) -> tuple[tuple[str, str], ...]:
        """Services (in this controller) whose selector matches the pod's labels."""
        ck = (pod.namespace, frozenset(pod.labels.items()))
        hit = self._label_cache.get(ck)
        if hit is None:
            cands = list(self._select_all.get(pod.namespace, ()))
            for item in pod.labels.items():
                cands.extend(self._by_item.get((pod.namespace, *item), ()))
            hit = tuple(sorted(k for k in cands
                               if all(pod.labels.get(a) == b for a, b in (self.services[k].selector or {}).items())))
            self._label_cache[ck] = hit
        return hit

    def pod_added(self, pod: PodState) -> None:
        for k in self.services_of(pod):
            self.members[k].add(pod.key)
            self.dirty.add(k)

    def pod_changed(self, pod: PodState) -> None:
        self.dirty.update(self.services_of(pod))

    def pod_removed(self, pod: PodState) -> None:
        for k in self.services_of(pod):
            self.members[k].discard(pod.key)
            self.dirty.add(k)

    def control_plane_changed(self) -> None:
        if self.kubernetes_svc is not None:
            self.dirty.add(("default", "kubernetes"))

    def _kubernetes_endpoints(self) -> tuple[Endpoint, ...]:
        svc = self.kubernetes_svc
        assert svc is not None
        out = []
        nodes = [ns for ns in self.state.nodes.values()
                 if any(label in ns.spec.labels for label in CONTROL_PLANE_LABELS)]
        if not nodes:  # no node is labelled control-plane: the API server runs on the first node
            nodes = list(self.state.nodes.values())[:1]
        for ns in nodes:
            ready = ns.ready == "True"
            ports = tuple((sp.name, APISERVER_PORT, sp.protocol) for sp in svc.ports)
            out.append(Endpoint(ns.ip, ns.name, ("kube-system", f"kube-apiserver-{ns.name}"), ready, ready,
                                False, ports))
        return tuple(out)

    def flush(self) -> list[tuple[str, str]]:
        """Republish every dirty Service; returns the keys whose endpoints actually changed."""
        changed = []
        pods = self.state.pods
        for key in sorted(self.dirty):
            if key == ("default", "kubernetes"):
                eps = self._kubernetes_endpoints()
            else:
                svc = self.services[key]
                live = [pods[p] for p in self.members[key] if p in pods]
                live = [p for p in live if p.ip is not None and p.node is not None
                        and p.phase not in ("Succeeded", "Failed")]
                live.sort(key=lambda p: p.name)
                eps = tuple(pod_endpoint(svc, p) for p in live)
            old = self.state.slices.get(key)
            if old is not None and old.endpoints == eps:
                continue
            gen = old.generation + 1 if old is not None else 1
            self.state.slices[key] = EndpointSlice(key, eps, gen)
            self.log.append(key)
            changed.append(key)
        self.dirty.clear()
        if changed:
            self.state.version += 1
        return changed


class ProxyViews:
    """Every node's kube-proxy: what it has programmed, caught up to the change log at each sync."""

    def __init__(self, state: ClusterState, endpoints: EndpointController):
        self.state = state
        self.endpoints = endpoints
        self.cursor: dict[str, int] = {}
        config = replace(state.proxy_config)  # one copy for every view (views never edit it in place)
        for name in state.nodes:
            state.proxy_views[name] = ProxyView(node=name, config=config)
            self.cursor[name] = 0

    def sync(self, node: str, now: float) -> bool:
        """One kube-proxy sync on ``node`` (see ``sync_many``). Returns whether its view changed."""
        return bool(self.sync_many([node], now))

    def sync_many(self, nodes: list[str], now: float) -> list[str]:
        """kube-proxy syncs on ``nodes`` at ``now``: each adopts the desired config and applies the slice
        changes published since its last sync. Views that were identical stay shared: nodes syncing from the
        same snapshot get one new ``slices`` dict between them (copy-on-write), so 5,000 nodes x 10,000
        Services cost one dict, not 5,000. Returns the nodes whose view changed (their ``version`` bumped)."""
        ctl = self.endpoints
        end = ctl.log_base + len(ctl.log)
        groups: dict[tuple[int, int], list[str]] = {}
        for node in nodes:
            groups.setdefault((self.cursor[node], id(self.state.proxy_views[node].slices)), []).append(node)
        changed_nodes = []
        config = self.state.proxy_config
        shared = None  # one copy of the desired config for every view adopting it in this call
        same_as_desired: dict[int, bool] = {}  # id(view config) -> equal to ``config`` (a dataclass compare each)
        kept = []  # the configs compared, alive until the end so their ids stay theirs
        for (cursor, _), members in groups.items():
            old = self.state.proxy_views[members[0]].slices
            new = old
            for key in dict.fromkeys(ctl.log[cursor - ctl.log_base:]):
                sl = self.state.slices.get(key)
                eps = sl.endpoints if sl is not None else ()
                if new.get(key) != eps:
                    if new is old:
                        new = ViewSlices(old)
                        new.base = old
                        if isinstance(old, ViewSlices):
                            old.base = None  # one step of history: older views are not kept alive
                    new[key] = eps
                    new.changed.add(key)
            for node in members:
                view = self.state.proxy_views[node]
                changed = new is not old
                view.slices = new
                vc = view.config
                if vc is not shared:
                    same = same_as_desired.get(id(vc))
                    if same is None:
                        same = same_as_desired[id(vc)] = vc == config
                        kept.append(vc)
                    if not same:
                        if shared is None:
                            shared = replace(config)
                        view.config = shared
                        changed = True
                self.cursor[node] = end
                view.synced_at = now
                if changed:
                    view.version += 1
                    changed_nodes.append(node)
        return changed_nodes

    def initial_sync(self, now: float) -> None:
        """Every kube-proxy programs the initial slices (one shared dict)."""
        base = {k: sl.endpoints for k, sl in self.state.slices.items()}
        end = self.endpoints.log_base + len(self.endpoints.log)
        for name, view in self.state.proxy_views.items():
            view.slices = base
            view.synced_at = now
            view.version += 1
            self.cursor[name] = end

    def compact(self) -> None:
        """Drop log entries every view has already applied."""
        ctl = self.endpoints
        low = min(self.cursor.values(), default=ctl.log_base + len(ctl.log))
        drop = low - ctl.log_base
        if drop > 1024:
            del ctl.log[:drop]
            ctl.log_base = low

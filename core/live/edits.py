"""Edits while running: apply a changed scenario to a running simulation without restarting time.

``Simulation.edit(model)`` diffs the running scenario against ``model`` (typically rebuilt from the edited
``core.scenario.Document``, see ``edit_document``) and carries on the way Kubernetes would:

* Deployment / ReplicaSet / StatefulSet / DaemonSet added: its controller creates the pods (scheduled,
  started and made Ready with the usual delays); removed: its pods are deleted (cascading delete, graceful);
  ``replicas`` changed: scaled; pod template changed: the old pods are deleted and new ones created from the
  new template (a Deployment gets a new ReplicaSet name -- like strategy ``Recreate``).
* Pod added: created and scheduled; removed: deleted gracefully; labels changed: relabelled in place (the
  Services selecting it follow). Other Pod spec changes are refused, as the API server does.
* Service added, removed or changed (type, ports, selector, traffic policies, affinity): the EndpointSlice
  controller republishes and every kube-proxy syncs after its usual delay; the data plane recompiles its
  Service index (IPVS connection counters and affinity tables start afresh).
* Ingress, IngressClass, Client, Traffic: taken over at once (flows added, removed or restarted).
* kube-proxy and scheduler settings: the desired KubeProxyConfiguration changes and every kube-proxy syncs.

Adding, removing or changing a Node, and changing the cluster's networks, need a restart: ``check_edit``
refuses them with a message that says so. Each applied edit reports typed changes (``ObjectAdded``,
``ObjectRemoved``, ``ObjectChanged``) besides the pods' and endpoints' own.
"""

from __future__ import annotations

import copy
from dataclasses import replace

from core.control.endpoints import EndpointController
from core.control.workloads import replicaset_name
from core.live.actions import CLUSTER_SCOPED
from core.model import ClusterModel, ObjectRef


def _by_key(items, key):
    return {key(x): x for x in items}


def _svc_key(s):
    return (s.namespace, s.name)


def _wl_key(w):
    return (w.kind, w.namespace, w.name)


def _pod_key(p):
    return (p.namespace, p.name)


def _diff(old: dict, new: dict) -> tuple[list, list, list]:
    added = [k for k in new if k not in old]
    removed = [k for k in old if k not in new]
    changed = [k for k in new if k in old and new[k] != old[k]]
    return added, removed, changed


def check_edit(sim, model: ClusterModel) -> None:
    """Raise ValueError naming what cannot change while the simulation runs."""
    if not isinstance(model, ClusterModel):
        raise ValueError(f"edit: expected a ClusterModel, got {type(model).__name__}")
    old = sim.model
    a, r, c = _diff(_by_key(old.nodes, lambda n: n.name), _by_key(model.nodes, lambda n: n.name))
    if a or r or c:
        what = [f"add Node {n}" for n in a] + [f"remove Node {n}" for n in r] + [f"change Node {n}" for n in c]
        raise ValueError("edit: cannot " + ", ".join(what) + " while the simulation runs; "
                         "restart the simulation (Simulation(model)) to apply it")
    if model.cluster != old.cluster:
        raise ValueError("edit: the cluster's networks (pod subnet, service CIDR, node CIDR size) cannot change "
                         "while the simulation runs; restart the simulation to apply them")
    old_pods = _by_key(old.pods, _pod_key)
    for key, bp in _by_key(model.pods, _pod_key).items():
        before = old_pods.get(key)
        if before is not None and before != bp and replace(before.template, labels=bp.template.labels) != bp.template:
            raise ValueError(f"edit: Pod {key[0]}/{key[1]}: only its labels can change while it exists (the API "
                             "server refuses other Pod spec updates); delete it and add it again")
    names = [(w.kind, w.namespace, w.name) for w in model.workloads]
    if len(set(names)) != len(names):
        raise ValueError("edit: duplicate workload names")


def apply_model(sim, new: ClusterModel) -> None:
    """Carry the running simulation over to ``new`` (checked by ``check_edit``) at the current time."""
    control = sim.control
    state = control.state
    old = sim.model
    now = state.time

    def changed(kind: str, ref: ObjectRef, **detail) -> None:
        control.changed(kind, ref, **detail)

    sim.model = new
    control.model = new
    state.model = new

    # -- Services: a fresh EndpointSlice controller over the same pods, continuing the change log
    svc_a, svc_r, svc_c = _diff(_by_key(old.services, _svc_key), _by_key(new.services, _svc_key))
    if svc_a or svc_r or svc_c:
        prev = control.endpoints
        ctl = EndpointController(state)
        ctl.log, ctl.log_base = prev.log, prev.log_base
        for pod in state.pods.values():
            ctl.pod_added(pod)
        for key in svc_r:
            if key in state.slices:
                del state.slices[key]
                ctl.log.append(key)  # the views drop its endpoints at their next sync
        control.endpoints = ctl
        control.proxies.endpoints = ctl
        control._classes.clear()  # noqa: SLF001  (spread selectors follow the Services selecting a pod)
        for key in svc_a:
            changed("ObjectAdded", ObjectRef("Service", *key))
        for key in svc_r:
            changed("ObjectRemoved", ObjectRef("Service", *key))
        for key in svc_c:
            changed("ObjectChanged", ObjectRef("Service", *key))
        control.request_proxy_sync()
        control.touch()

    # -- workloads
    old_w, new_w = _by_key(old.workloads, _wl_key), _by_key(new.workloads, _wl_key)
    wl_a, wl_r, wl_c = _diff(old_w, new_w)
    for ref in wl_r:
        for key in sorted(control.owned.get(ref, {})):
            pod = state.pods.get(key)
            if pod is not None:
                control.delete_pod(pod)
        control.workloads.pop(ref, None)
        control.desired.pop(ref, None)
        changed("ObjectRemoved", ObjectRef(ref[0], ref[1], ref[2]))
    for ref in wl_a:
        w = new_w[ref]
        control.workloads[ref] = w
        control.desired[ref] = int(w.replicas)
        if w.kind == "Deployment":
            control.rs_names[ref] = replicaset_name(w)
            if w.replicas > 0:
                control.record("Normal", "ScalingReplicaSet", f"deployment/{ref[1]}/{ref[2]}",
                               f"Scaled up replica set {control.rs_names[ref]} to {int(w.replicas)} from 0")
        control.dirty_workloads.add(ref)
        changed("ObjectAdded", ObjectRef(ref[0], ref[1], ref[2]))
    for ref in wl_c:
        w, before = new_w[ref], old_w[ref]
        control.workloads[ref] = w
        if w.template != before.template or w.selector != before.selector:
            # a new template: the old pods go, the controller creates new ones from the new template
            for key in sorted(control.owned.get(ref, {})):
                pod = state.pods.get(key)
                if pod is not None:
                    control.delete_pod(pod)
            if w.kind == "Deployment":
                control.rs_names[ref] = replicaset_name(w)
            control.dirty_workloads.add(ref)
        if w.replicas != before.replicas and w.kind != "DaemonSet":
            control.scale(f"{ref[1]}/{ref[2]}", int(w.replicas))
        changed("ObjectChanged", ObjectRef(ref[0], ref[1], ref[2]))

    # -- bare pods
    old_p, new_p = _by_key(old.pods, _pod_key), _by_key(new.pods, _pod_key)
    p_a, p_r, p_c = _diff(old_p, new_p)
    for key in p_r:
        pod = state.pods.get(key)
        if pod is not None:
            control.delete_pod(pod)
    for key in p_a:
        if key in state.pods:
            raise ValueError(f"edit: Pod {key[0]}/{key[1]} still exists (Terminating); add it again once it is gone")
        bp = new_p[key]
        control.create_pod(bp.namespace, bp.name, bp.template, None, bp.template.labels)
    for key in p_c:
        pod = state.pods.get(key)
        if pod is not None:
            control.endpoints.pod_removed(pod)
            pod.labels = dict(new_p[key].template.labels)
            pod.template = new_p[key].template
            control.endpoints.pod_added(pod)
            control.touch()
    for key, kind in [(k, "ObjectRemoved") for k in p_r] + [(k, "ObjectAdded") for k in p_a] + [
            (k, "ObjectChanged") for k in p_c]:
        changed(kind, ObjectRef("Pod", *key))

    # -- cluster-wide settings
    if new.proxy != old.proxy:
        state.proxy_config = replace(new.proxy)
        control.request_proxy_sync()
        changed("ObjectChanged", ObjectRef("KubeProxyConfiguration", "", ""))
    if new.scheduler != old.scheduler:
        state.scheduler_config = replace(new.scheduler)
        changed("ObjectChanged", ObjectRef("KubeSchedulerConfiguration", "", ""))

    # -- the data plane
    plane = sim.dataplane
    if plane is not None:
        _update_plane(sim, plane, old, new, bool(svc_a or svc_r or svc_c), changed)
    control.touch()
    control._settle()  # noqa: SLF001
    assert state.time == now


def _update_plane(sim, plane, old: ClusterModel, new: ClusterModel, services_changed: bool, changed) -> None:
    from core.dataplane.proxystage import NodeProxies  # noqa: PLC0415
    from core.dataplane.tables import ServiceIndex  # noqa: PLC0415
    from core.dataplane.targets import find_ingress_controller  # noqa: PLC0415
    from core.model import ClientSpec  # noqa: PLC0415

    plane.model = new
    ing_a, ing_r, ing_c = _diff(_by_key(old.ingresses, _svc_key), _by_key(new.ingresses, _svc_key))
    for key, kind in [(k, "ObjectAdded") for k in ing_a] + [(k, "ObjectRemoved") for k in ing_r] + [
            (k, "ObjectChanged") for k in ing_c]:
        changed(kind, ObjectRef("Ingress", *key))
    plane._ingress = find_ingress_controller(new)  # noqa: SLF001
    plane._resolution_cache.clear()  # noqa: SLF001
    if services_changed:
        plane.services = ServiceIndex(new)
        plane.proxies = NodeProxies(plane)
        plane._lb_health.clear()  # noqa: SLF001
    # flows: Traffic by name; a changed Traffic or Client restarts its flow
    old_c, new_c = _by_key(old.clients, lambda c: c.name), _by_key(new.clients, lambda c: c.name)
    c_a, c_r, c_c = _diff(old_c, new_c)
    for name, kind in [(k, "ObjectAdded") for k in c_a] + [(k, "ObjectRemoved") for k in c_r] + [
            (k, "ObjectChanged") for k in c_c]:
        changed(kind, ObjectRef("Client", "", name))
    old_t, new_t = _by_key(old.traffic, lambda t: t.name), _by_key(new.traffic, lambda t: t.name)
    t_a, t_r, t_c = _diff(old_t, new_t)
    restart = set(t_r) | set(t_c) | {t.name for t in new.traffic if t.client in set(c_c) | set(c_r)}
    plane.flows = [f for f in plane.flows if f.name not in restart or f.name not in old_t]
    for name in [t.name for t in new.traffic if t.name in restart | set(t_a)]:
        spec = new_t[name]
        client = new_c.get(spec.client) or ClientSpec(spec.client)
        plane.add_flow(spec, client)
    for name, kind in [(k, "ObjectAdded") for k in t_a] + [(k, "ObjectRemoved") for k in t_r] + [
            (k, "ObjectChanged") for k in t_c]:
        changed(kind, ObjectRef("Traffic", "", name))


def _objects_of(doc) -> dict:
    out = {}
    for o in doc.objects():
        meta = o.get("metadata") or {}
        out[(o.get("kind"), meta.get("namespace", ""), meta.get("name"))] = o
    return out


def _copy_document(doc):
    from core.scenario import Document  # noqa: PLC0415

    return Document(doc.filename, [copy.deepcopy(e) for e in doc.entries])


def track_document(sim, doc) -> None:
    """Remember ``doc`` (a copy) as the running scenario's source: ``edit_document`` then logs the changed
    manifests, and Timeline ``applyObject`` / ``deleteObject`` events can rebuild the scenario."""
    sim._document_objects = _objects_of(doc)  # noqa: SLF001
    sim.document = _copy_document(doc)


def apply_timeline_object(sim, event) -> None:
    """Apply a Timeline ``applyObject`` (add or replace the manifest ``event.value``) or ``deleteObject``
    (``event.target`` = Kind/namespace/name or Kind/name) to the tracked document, rebuild the scenario and
    carry the simulation over to it."""
    from core.scenario import build_model  # noqa: PLC0415

    if sim.document is None and getattr(sim.model, "source", None) is not None:
        track_document(sim, sim.model.source)  # a scenario file's own Timeline (podpath run/route, lessons)
    if sim.document is None:
        raise ValueError(f"{event.action}: the simulation has no scenario document "
                         "(core.live.edits.track_document(sim, doc) after creating it)")
    doc = _copy_document(sim.document)
    if event.action == "applyObject":
        raw = copy.deepcopy(event.value)
        want = _ref_of(raw.get("kind", ""), (raw.get("metadata") or {}).get("namespace", ""),
                       (raw.get("metadata") or {}).get("name", ""))
        ref = next((r for r in doc.refs() if _ref_of(r.kind, r.namespace, r.name) == want), None)
        if ref is None:
            doc.add(raw)
        else:
            doc.replace(ref, raw)
    else:
        parts = str(event.target).split("/")
        kind, ns, name = (parts[0], "", parts[1]) if len(parts) == 2 else (parts[0], parts[1], parts[2])
        ref = next((r for r in doc.refs() if _ref_of(r.kind, r.namespace, r.name) == _ref_of(kind, ns, name)), None)
        if ref is None:
            raise ValueError(f"deleteObject: no {kind} {event.target!r} in the scenario")
        doc.remove(ref)
    model, _warnings = build_model(doc, seed=sim.model.simulation.seed)
    check_edit(sim, model)
    apply_model(sim, model)
    sim.document = doc
    sim._document_objects = _objects_of(doc)  # noqa: SLF001


def _ref_of(kind: str, ns: str, name: str) -> tuple[str, str, str]:
    return (kind, ns or ("" if kind in CLUSTER_SCOPED else "default"), name)



def edit_document(sim, doc, *, seed: int | None = None) -> list:
    """Rebuild the scenario from ``doc`` (a ``core.scenario.Document``) and apply it to ``sim`` now; returns
    the build warnings. Raises ``core.scenario.ScenarioError`` for an invalid document (nothing changes) and
    ValueError for an edit that needs a restart. The changed manifests are logged for the Timeline."""
    from core.scenario import build_model  # noqa: PLC0415

    model, warnings = build_model(doc, seed=sim.model.simulation.seed if seed is None else seed)
    before = getattr(sim, "_document_objects", None)
    after = _objects_of(doc)
    objects: list[tuple[str, dict]] = []
    if before is not None:
        for key, raw in after.items():
            if before.get(key) != raw:
                objects.append(("apply", raw))
        for key in before:
            if key not in after:
                objects.append(("delete", {"kind": key[0], "metadata": {"namespace": key[1], "name": key[2]}}))
    sim.edit(model, objects=tuple(objects))
    sim._document_objects = after  # noqa: SLF001
    sim.document = _copy_document(doc)
    return warnings

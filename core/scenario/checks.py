"""Cross-object checks after build: references (errors, naming the closest name) and likely mistakes (warnings)."""

from __future__ import annotations

from core.control.workloads import pod_label_sets
from core.ipam import first_free_pod_ip, pinned_pod_ip_problem
from core.model import BarePodSpec, ClusterModel, PodTemplate, TimelineEvent
from core.scenario.build_objects import d, lst
from core.scenario.kinds import WORKLOAD_KINDS
from core.scenario.targets import parse_target
from core.scenario.validate import closest


def _matches(selector: dict[str, str], labels: dict[str, str]) -> bool:
    return all(labels.get(k) == v for k, v in selector.items())


def _did_you_mean(name: str, candidates: list[str], what: str) -> str:
    guess = closest(name, candidates)
    if guess:
        return f'; did you mean "{guess}"?'
    return f"; known {what}: {', '.join(candidates)}" if candidates else f"; the scenario has no {what}"


def _controller_present(doc, controller: str) -> bool:
    tokens = {controller.lower()}
    host, _, last = controller.lower().partition("/")
    if last:
        tokens.add(last)
    first = host.split(".")[0]
    if first not in ("k8s", "kubernetes", "") and "." in host:
        tokens.add(first)
    for raw in doc:
        if raw.get("kind") not in (*WORKLOAD_KINDS, "Pod"):
            continue
        spec = d(raw.get("spec"))
        pod = d(d(spec.get("template")).get("spec")) if raw.get("kind") != "Pod" else spec
        for c in lst(pod.get("containers")):
            c = d(c)
            texts = [str(c.get("image") or "")] + [str(a) for a in lst(c.get("args")) + lst(c.get("command"))]
            if any(t in text.lower() for t in tokens for text in texts):
                return True
    return False


def cross_checks(model: ClusterModel, rep, where: dict[int, int], events: list[tuple[TimelineEvent, int, int]]) -> None:
    # the labels the pods will really carry (pod-template-hash, statefulset.kubernetes.io/pod-name), so that
    # "will have no endpoints" says what the simulation does
    labelled: list[tuple[str, dict[str, str], PodTemplate]] = [
        (w.namespace, labels, w.template) for w in model.workloads for labels in pod_label_sets(w)]
    labelled += [(p.namespace, p.template.labels, p.template) for p in model.pods]
    node_names = [n.name for n in model.nodes]

    for svc in model.services:
        if svc.implicit or id(svc) not in where:
            continue
        report = rep.for_entry(where[id(svc)])
        if svc.selector:
            chosen = [t for ns, labels, t in labelled if ns == svc.namespace and _matches(svc.selector, labels)]
            if not chosen:
                report(("spec", "selector"), "selector matches no pod template in the scenario; the Service will "
                       "have no endpoints", svc.selector, severity="warning")
            for k, p in enumerate(svc.ports):
                if isinstance(p.target_port, str) and chosen:
                    declared = {cp.name for t in chosen for c in t.containers for cp in c.ports}
                    if p.target_port not in declared:
                        report(("spec", "ports", k, "targetPort"), f'named targetPort "{p.target_port}" is not '
                               "declared by any container of the selected pods", p.target_port, severity="warning")

    classes = {c.name: c for c in model.ingress_classes}
    default_classes = [c for c in model.ingress_classes if c.is_default]
    for ing in model.ingresses:
        report = rep.for_entry(where[id(ing)])
        if ing.class_name is None:
            cls = default_classes[0] if len(default_classes) == 1 else None
            if cls is None:
                report(("spec", "ingressClassName"), "no ingressClassName and no default IngressClass: no "
                       "controller will serve this Ingress", None, severity="warning")
        else:
            cls = classes.get(ing.class_name)
            if cls is None:
                report(("spec", "ingressClassName"), f'IngressClass "{ing.class_name}" is not in the scenario: no '
                       "controller will serve this Ingress" + _did_you_mean(ing.class_name, list(classes),
                                                                             "IngressClasses"),
                       ing.class_name, severity="warning")
        if cls is not None and cls.controller and not _controller_present(rep.doc, cls.controller):
            report(("spec", "ingressClassName"), f'IngressClass "{cls.name}" names controller "{cls.controller}" '
                   "but no controller Deployment or pod for it is in the scenario; the Ingress has no effect",
                   cls.name, severity="warning")
        backends = [(("spec", "defaultBackend"), ing.default_backend)] if ing.default_backend else []
        for ri, rule in enumerate(ing.rules):
            for pi, path in enumerate(rule.paths):
                backends.append((("spec", "rules", ri, "http", "paths", pi, "backend"), path.backend))
        for path, backend in backends:
            try:
                svc = model.service(ing.namespace, backend.service_name)
            except KeyError:
                names = [s.name for s in model.services if s.namespace == ing.namespace and not s.implicit]
                report((*path, "service", "name"), f'Service "{ing.namespace}/{backend.service_name}" is not in '
                       "the scenario" + _did_you_mean(backend.service_name, names, "Services"),
                       backend.service_name, severity="warning")
                continue
            if isinstance(backend.port, int):
                ok = any(p.port == backend.port for p in svc.ports)
            else:
                ok = any(p.name == backend.port for p in svc.ports)
            if not ok and svc.type != "ExternalName":
                report((*path, "service", "port"), f"Service {svc.namespace}/{svc.name} has no port "
                       f"{backend.port!r}", backend.port, severity="warning")

    for owner, template in [(w, w.template) for w in model.workloads] + [(p, p.template) for p in model.pods]:
        report = rep.for_entry(where[id(owner)])
        prefix = ("spec",) if isinstance(owner, BarePodSpec) else ("spec", "template", "spec")
        if template.node_name and template.node_name not in node_names:
            report((*prefix, "nodeName"), f'node "{template.node_name}" is not in the scenario; the pod stays '
                   "Pending" + _did_you_mean(template.node_name, node_names, "nodes"), template.node_name,
                   severity="warning")
    _check_pinned_pod_ips(model, rep, where, node_names)

    client_names = [c.name for c in model.clients]
    for c in model.clients:
        if c.location == "internal" and c.node and c.node not in node_names:
            rep.for_entry(where[id(c)])(("spec", "node"), f'node "{c.node}" is not in the scenario'
                                        + _did_you_mean(c.node, node_names, "nodes"), c.node)
    for t in model.traffic:
        report = rep.for_entry(where[id(t)])
        if t.client not in client_names:
            report(("spec", "client"), f'client "{t.client}" is not in the scenario'
                   + _did_you_mean(t.client, client_names, "clients"), t.client)
        try:
            target = parse_target(t.target)
        except ValueError:
            continue
        if target.service is not None and target.kind == "host" and (target.scheme == "" or ".svc" in target.host):
            ns, name = target.service
            names = [s.name for s in model.services if s.namespace == ns]
            if name not in names:
                report(("spec", "target"), f'Service "{ns}/{name}" is not in the scenario'
                       + _did_you_mean(name, names, f"Services in namespace {ns}"), t.target)

    workloads = {f"{w.namespace}/{w.name}": w for w in model.workloads}
    for ev, index, k in events:
        report = rep.for_entry(index)
        path = ("spec", "events", k, "target")
        if ev.action in ("failNode", "recoverNode", "cordon", "uncordon", "drain"):
            if ev.target not in node_names:
                report(path, f'node "{ev.target}" is not in the scenario'
                       + _did_you_mean(ev.target, node_names, "nodes"), ev.target)
        elif ev.action == "scale":
            key = ev.target if "/" in ev.target else f"default/{ev.target}"
            if key not in workloads:
                report(path, f'workload "{key}" is not in the scenario'
                       + _did_you_mean(key, list(workloads), "workloads"), ev.target)
        elif ev.action == "deletePod":
            key = ev.target if "/" in ev.target else f"default/{ev.target}"
            ns, _, name = key.partition("/")
            known = any(p.namespace == ns and p.name == name for p in model.pods) or any(
                w.namespace == ns and name.startswith(w.name + "-") for w in model.workloads)
            if not known:
                report(path, f'no bare pod or workload pod "{key}" in the scenario (workload pods are named '
                       '"<workload>-<suffix>")', ev.target, severity="warning")


def _check_pinned_pod_ips(model: ClusterModel, rep, where: dict[int, int], node_names) -> None:
    """A Pod pinned to a node (``spec.nodeName``) keeps its ``status.podIP`` when the address is inside the
    node's podCIDR and no earlier Pod pins it -- ``.1`` included (only bridge CNIs reserve it). Otherwise a
    warning says which address it gets instead and why, and that address is pinned in its place: the first
    from ``.2`` up that no other Pod on the node pins (host-local's first pick)."""
    holder: dict[tuple[str, str], BarePodSpec] = {}  # (node, ip) -> the pod keeping it
    pinned = [p for p in model.pods if p.pod_ip and p.template.node_name in node_names
              and model.node(p.template.node_name).pod_cidr]
    bad: list[tuple[BarePodSpec, str]] = []
    for pod in pinned:
        node = model.node(pod.template.node_name)
        why = pinned_pod_ip_problem(pod.pod_ip, node.pod_cidr)
        if why is None and (node.name, pod.pod_ip) in holder:
            other = holder[(node.name, pod.pod_ip)]
            line = rep.doc.mark_of(where[id(other)], ())[0]
            why = f"Pod {other.namespace}/{other.name}" + (f" (line {line})" if line else "") + " already has it"
        if why is None:
            holder[(node.name, pod.pod_ip)] = pod
        else:
            bad.append((pod, why))
    for pod, why in bad:
        node = model.node(pod.template.node_name)
        taken = {ip for (n, ip) in holder if n == node.name}
        new = first_free_pod_ip(node.pod_cidr, taken)
        instead = f"the pod gets {new} instead (the first free address from .2 on {node.name})" if new \
            else "the pod gets no address: the podCIDR is full"
        rep.for_entry(where[id(pod)])(("status", "podIP"), f"pod IP {pod.pod_ip} cannot be kept: {why}; {instead}",
                                      pod.pod_ip, severity="warning")
        pod.pod_ip = new
        if new:
            holder[(node.name, new)] = pod

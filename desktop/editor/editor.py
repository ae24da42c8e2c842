"""Edits as the user names them — create, delete, move, connect, rename, paste — each one undo step.

``Editor`` turns a user action into a ``DocCommand`` (ObjectRefs + serialized dicts), applies it (a refused
edit raises ScenarioError or ValueError and changes nothing) and pushes it on the session's undo stack.
It holds no Qt widgets; the canvas, the palette and the inspector call it.
"""

from __future__ import annotations

import copy

from PySide6.QtCore import QCoreApplication, QObject

from core.model import ObjectRef
from core.scenario.build import build_model
from core.scenario.document import split_path
from core.scenario.errors import ScenarioError
from core.scenario.files import loads_document
from core.scenario.kinds import ANN_POSITION, CLUSTER_SCOPED, object_ref
from core.scenario.yaml_io import dump_documents
from desktop.editor.commands import DocCommand, replace_op
from desktop.editor.kinds import BY_ID, WORKLOAD_KINDS, names_of_kind, unique_name


def tr(text: str) -> str:
    return QCoreApplication.translate("Editor", text)


class EditRefused(ValueError):
    """A connection or edit that makes no sense (the message says why, for the status bar)."""


def _set_annotation(raw: dict, key: str, value: str | None) -> None:
    meta = raw.setdefault("metadata", {})
    ann = meta.get("annotations")
    if value is None:
        if isinstance(ann, dict):
            ann.pop(key, None)
            if not ann:
                meta.pop("annotations")
        return
    if not isinstance(ann, dict):
        ann = meta["annotations"] = {}
    ann[key] = value


def set_path(raw: dict, path: str, value: object) -> None:
    """Set (``None``: delete) a field by path in a raw dict, creating mappings on the way."""
    keys = split_path(path)
    cursor: object = raw
    for key, nxt in zip(keys, keys[1:]):
        if isinstance(key, int):
            cursor = cursor[key]  # type: ignore[index]
        else:
            if not isinstance(cursor.get(key), (dict, list)):  # type: ignore[union-attr]
                cursor[key] = [] if isinstance(nxt, int) else {}  # type: ignore[index]
            cursor = cursor[key]  # type: ignore[index]
    last = keys[-1]
    if isinstance(last, int):
        cursor[last] = value  # type: ignore[index]
    elif value is None:
        cursor.pop(last, None)  # type: ignore[union-attr]
    else:
        cursor[last] = value  # type: ignore[index]


def get_path(raw: object, path: str) -> object:
    cursor = raw
    for key in split_path(path):
        if isinstance(key, int):
            if not isinstance(cursor, list) or not -len(cursor) <= key < len(cursor):
                return None
            cursor = cursor[key]
        else:
            if not isinstance(cursor, dict):
                return None
            cursor = cursor.get(key)
    return cursor


def strip_positions(raw: dict) -> dict:
    raw = copy.deepcopy(raw)
    _set_annotation(raw, ANN_POSITION, None)
    return raw


class Editor(QObject):
    def __init__(self, session, parent: QObject | None = None):
        super().__init__(parent)
        self.session = session

    @property
    def doc(self):
        return self.session.document

    def push(self, text: str, ops: list[tuple], merge_key: object = None) -> DocCommand | None:
        if not ops:
            return None
        cmd = DocCommand(self.session, text, ops, merge_key)
        cmd.apply()
        self.session.undo_stack.push(cmd)
        return cmd

    # -- create ----------------------------------------------------------------------------------------------
    def create(self, kind_id: str, position: tuple[float, float] | None = None, node: str | None = None,
               namespace: str = "default") -> list[ObjectRef]:
        """Create a palette kind (unique name; ``position`` stored on the main object unless it is a Node or a
        Pod, which live in their zone row / node; a Pod with ``node`` is pinned there)."""
        kind = BY_ID[kind_id]
        objects = kind.create(self.doc.objects(), namespace)
        main = objects[0]
        if position is not None and kind.kind not in ("Node", "Pod"):
            placer = getattr(self.session, "placer", None)
            if placer is not None:  # dropped onto another box: the nearest spot where it covers none
                position = placer(kind.kind, position)
            _set_annotation(main, ANN_POSITION, f"{round(position[0])},{round(position[1])}")
        if node and kind.kind == "Pod":
            main["spec"]["nodeName"] = node
        ops = [("add", None, o) for o in objects]
        label = QCoreApplication.translate("Kinds", kind.label)
        self.push(tr("Add %1").replace("%1", label), ops)
        return [object_ref(o) for o in objects]

    def add_objects(self, objects: list[dict], text: str, offset: tuple[float, float] | None = None,
                    place: str | None = None) -> list[ObjectRef]:
        """Add objects (paste, import), renaming the ones whose identity is taken; returns their refs. With
        ``place`` ("paste" or "duplicate") each new box gets a stored position at a free spot (the session's
        ``group_placer``), in the same undo step, so it covers nothing and does not move later."""
        taken: dict[tuple[str, str], set[str]] = {}
        ops, refs = [], []
        existing = self.doc.objects()
        sources = [object_ref(raw) for raw in objects]
        for raw in objects:
            raw = copy.deepcopy(raw)
            ref = object_ref(raw)
            ns = "" if ref.kind in CLUSTER_SCOPED else ref.namespace
            names = taken.setdefault((ref.kind, ns), names_of_kind(existing, ref.kind, ns))
            if ref.name:
                name = unique_name(ref.name, names)
                raw.setdefault("metadata", {})["name"] = name
                names.add(name)
            if offset is not None:
                pos = get_path(raw, f'metadata.annotations["{ANN_POSITION}"]')
                if isinstance(pos, str):
                    try:
                        x, y = (float(v) for v in pos.split(","))
                        _set_annotation(raw, ANN_POSITION, f"{round(x + offset[0])},{round(y + offset[1])}")
                    except ValueError:
                        pass
            ops.append(("add", None, raw))
            refs.append(object_ref(raw))
        placer = getattr(self.session, "group_placer", None)
        if place and placer is not None:
            items = []
            for (_a, _i, raw), src in zip(ops, sources):
                kind = raw.get("kind")
                if kind == "Client" and get_path(raw, "spec.location") == "internal":
                    kind = None  # drawn as a pod of its node
                at = None
                pos = get_path(raw, f'metadata.annotations["{ANN_POSITION}"]')
                if isinstance(pos, str):
                    try:
                        at = tuple(float(v) for v in pos.split(","))
                    except ValueError:
                        at = None
                items.append((kind, src if src in self.doc else None, at if at and len(at) == 2 else None))
            for (_a, _i, raw), spot in zip(ops, placer(items, place)):
                if spot is not None:
                    _set_annotation(raw, ANN_POSITION, f"{round(spot[0])},{round(spot[1])}")
        self.push(text, ops)
        return refs

    # -- delete ---------------------------------------------------------------------------------------------
    def delete(self, refs: list[ObjectRef]) -> None:
        """Delete objects (one step); a Client's Traffic goes with it."""
        present = [r for r in refs if r in self.doc]
        gone = set(present)
        clients = {r.name for r in present if r.kind == "Client"}
        for raw in self.doc:
            ref = object_ref(raw)
            if ref.kind == "Traffic" and get_path(raw, "spec.client") in clients:
                gone.add(ref)
        # remove from the end so the stored indexes put objects back in place
        ordered = sorted(gone, key=self.doc.index_of, reverse=True)
        ops = []
        for ref in ordered:
            ops.append(("remove", ref, self.doc.index_of(ref), self.doc.get(ref)))
        n = len(ops)
        text = tr("Delete %1").replace("%1", str(present[0])) if len(present) == 1 else \
            tr("Delete %n objects").replace("%n", str(n))
        self.push(text, ops)

    # -- fields -------------------------------------------------------------------------------------------------
    def set_field(self, ref: ObjectRef, path: str, value: object, text: str | None = None) -> None:
        old = self.doc.get(ref)
        new = copy.deepcopy(old)
        set_path(new, path, value)
        if new == old:
            return
        self.push(text or tr("Change %1").replace("%1", path), [replace_op(ref, old, new)])

    def replace(self, ref: ObjectRef, new: dict, text: str | None = None) -> None:
        old = self.doc.get(ref)
        if new == old:
            return
        self.push(text or tr("Edit %1").replace("%1", str(ref)), [replace_op(ref, old, new)])

    def move(self, positions: dict[ObjectRef, tuple[float, float]], nudge: bool = False) -> None:
        """Store positions (one step; arrow-key nudges of the same objects merge into one)."""
        ops = []
        for ref, (x, y) in sorted(positions.items()):
            if ref not in self.doc:
                continue
            old = self.doc.get(ref)
            new = copy.deepcopy(old)
            _set_annotation(new, ANN_POSITION, f"{round(x)},{round(y)}")
            if new != old:
                ops.append(replace_op(ref, old, new))
        text = tr("Move %1").replace("%1", str(ops[0][1])) if len(ops) == 1 else \
            tr("Move %n objects").replace("%n", str(len(ops)))
        self.push(text, ops, merge_key=tuple(sorted(positions)) if nudge else None)

    def rename(self, ref: ObjectRef, name: str) -> ObjectRef:
        """Rename; references by name follow (a Client's Traffic, a Service's Ingress backends, a Node's pinned
        Pods and internal Clients)."""
        name = name.strip()
        if not name or name == ref.name:
            return ref
        old = self.doc.get(ref)
        new = copy.deepcopy(old)
        new.setdefault("metadata", {})["name"] = name
        ops = [replace_op(ref, old, new)]
        for raw in self.doc:
            other = object_ref(raw)
            if other == ref:
                continue
            changed = copy.deepcopy(raw)
            if ref.kind == "Client" and other.kind == "Traffic" and get_path(raw, "spec.client") == ref.name:
                changed["spec"]["client"] = name
            elif ref.kind == "Node" and other.kind == "Pod" and get_path(raw, "spec.nodeName") == ref.name:
                changed["spec"]["nodeName"] = name
            elif ref.kind == "Node" and other.kind == "Client" and get_path(raw, "spec.node") == ref.name:
                changed["spec"]["node"] = name
            elif ref.kind == "Service" and other.kind == "Ingress" and other.namespace == ref.namespace:
                _rename_backends(changed.get("spec") or {}, ref.name, name)
            if changed != raw:
                ops.append(replace_op(other, raw, changed))
        if ref.kind == "Service":
            ops.extend(self._retarget_traffic(ref, new, ops))
        self.push(tr("Rename %1 to %2").replace("%1", ref.name).replace("%2", name), ops)
        return object_ref(new)

    def _retarget_traffic(self, ref: ObjectRef, new: dict, ops: list[tuple]) -> list[tuple]:
        """Traffic aimed at a renamed Service keeps aiming at it: by DNS name (the name changes) and by its
        allocated addresses (a new name allocates a new ClusterIP, load-balancer IP and node ports, unless
        they are written in the file). Seen under Xvfb: renaming svc-lb left a Client's requests going to the
        old load-balancer address, reaching nothing."""
        addresses: dict[str, str] = {}
        old_model = self.session.model
        old_spec = next((s for s in old_model.services if s.ref == ref), None) if old_model is not None else None
        if old_spec is not None:
            trial = copy.deepcopy(self.doc)
            for op in ops:
                trial.replace(op[1], op[3])
            try:
                new_model = build_model(trial)[0]
            except (ScenarioError, ValueError):
                new_model = None
            new_ref = object_ref(new)
            new_spec = next((s for s in new_model.services if s.ref == new_ref), None) if new_model else None
            if new_spec is not None:
                for p_old, p_new in zip(old_spec.ports, new_spec.ports):
                    for a, b in ((old_spec.cluster_ip, new_spec.cluster_ip),
                                 (old_spec.load_balancer_ip, new_spec.load_balancer_ip)):
                        if a and b and a != "None":
                            addresses[f"{a}:{p_old.port}"] = f"{b}:{p_new.port}"
                    if p_old.node_port and p_new.node_port:
                        for node in old_model.nodes:
                            addresses[f"{node.internal_ip}:{p_old.node_port}"] = f"{node.internal_ip}:{p_new.node_port}"
        dns = {f"{ref.name}.{ref.namespace}{tail}": f"{new['metadata']['name']}.{ref.namespace}{tail}"
               for tail in ("", ".svc", ".svc.cluster.local")}
        out = []
        for raw in self.doc:
            if raw.get("kind") != "Traffic":
                continue
            target = get_path(raw, "spec.target")
            if not isinstance(target, str):
                continue
            retarget = _retarget(target, addresses, dns)
            if retarget != target:
                changed = copy.deepcopy(raw)
                changed["spec"]["target"] = retarget
                out.append(replace_op(object_ref(raw), raw, changed))
        return out

    def pin_pod(self, ref: ObjectRef, node: str) -> None:
        self.set_field(ref, "spec.nodeName", node, tr("Pin %1 to %2").replace("%1", ref.name).replace("%2", node))

    # -- connections ---------------------------------------------------------------------------------------------
    def connect(self, src: ObjectRef, dst: ObjectRef) -> str:
        """Connect two objects as the registry allows; returns what was done (for the status bar) or raises
        EditRefused saying why not."""
        if src.kind == "Service":
            return self._service_to(src, dst)
        if src.kind == "Ingress":
            return self._ingress_to(src, dst)
        if src.kind == "Client":
            return self._client_to(src, dst)
        raise EditRefused(tr("A %1 has no connections; drag from a Service, an Ingress or a Client")
                          .replace("%1", src.kind))

    def _service_to(self, src: ObjectRef, dst: ObjectRef) -> str:
        if dst.kind not in (*WORKLOAD_KINDS, "Pod"):
            raise EditRefused(tr("A Service selects pods: drop it on a Deployment, StatefulSet, DaemonSet or Pod"))
        if dst.namespace != src.namespace:
            raise EditRefused(tr("A Service only selects pods of its own namespace (%1)").replace("%1", src.namespace))
        svc = self.doc.get(src)
        if get_path(svc, "spec.type") == "ExternalName":
            raise EditRefused(tr("An ExternalName Service has no pods; it only names a host outside the cluster"))
        target = self.doc.get(dst)
        if dst.kind == "Pod":
            labels = get_path(target, "metadata.labels") or {}
            containers = get_path(target, "spec.containers") or []
        else:
            labels = get_path(target, "spec.selector.matchLabels") or get_path(target, "spec.template.metadata.labels") or {}
            containers = get_path(target, "spec.template.spec.containers") or []
        if not labels:
            raise EditRefused(tr("%1 has no labels to select").replace("%1", str(dst)))
        port = None
        for c in containers if isinstance(containers, list) else []:
            for p in (c.get("ports") or []) if isinstance(c, dict) else []:
                if isinstance(p, dict) and p.get("containerPort"):
                    port = p
                    break
            if port:
                break
        new = copy.deepcopy(svc)
        spec = new.setdefault("spec", {})
        spec["selector"] = dict(labels)
        target_port = (port.get("name") or port.get("containerPort")) if port else None
        ports = spec.get("ports")
        if not isinstance(ports, list) or not ports:
            spec["ports"] = [{"name": "http", "port": 80, **({"targetPort": target_port} if target_port else {})}]
        elif target_port is not None and isinstance(ports[0], dict):
            ports[0]["targetPort"] = target_port
        text = tr("Connect %1 to %2").replace("%1", src.name).replace("%2", dst.name)
        self.push(text, [replace_op(src, svc, new)])
        return text

    def _ingress_to(self, src: ObjectRef, dst: ObjectRef) -> str:
        if dst.kind != "Service":
            raise EditRefused(tr("An Ingress routes to Services: drop it on a Service"))
        if dst.namespace != src.namespace:
            raise EditRefused(tr("An Ingress only routes to Services of its own namespace (%1)")
                              .replace("%1", src.namespace))
        svc = self.doc.get(dst)
        if get_path(svc, "spec.type") == "ExternalName" or not get_path(svc, "spec.ports"):
            raise EditRefused(tr("%1 has no ports to route to").replace("%1", dst.name))
        port = svc["spec"]["ports"][0].get("port", 80)
        ing = self.doc.get(src)
        new = copy.deepcopy(ing)
        rules = new.setdefault("spec", {}).setdefault("rules", [])
        host = f"{dst.name}.example.com"
        if any(isinstance(r, dict) and r.get("host") == host for r in rules):
            raise EditRefused(tr("%1 already has a rule for %2").replace("%1", src.name).replace("%2", host))
        rules.append({"host": host, "http": {"paths": [{"path": "/", "pathType": "Prefix", "backend": {
            "service": {"name": dst.name, "port": {"number": port}}}}]}})
        text = tr("Route %1 to %2").replace("%1", host).replace("%2", dst.name)
        self.push(text, [replace_op(src, ing, new)])
        return text

    def _client_to(self, src: ObjectRef, dst: ObjectRef) -> str:
        client = self.doc.get(src)
        internal = get_path(client, "spec.location") == "internal"
        model = self.session.model
        target = None
        if dst.kind == "Service":
            svc = self.doc.get(dst)
            ports = get_path(svc, "spec.ports") or []
            port = ports[0].get("port", 80) if ports and isinstance(ports[0], dict) else 80
            spec = None
            if model is not None:
                spec = next((s for s in model.services if s.ref == dst), None)
            if not internal and spec is not None and spec.type == "LoadBalancer" and spec.load_balancer_ip:
                target = f"{spec.load_balancer_ip}:{spec.ports[0].port}"
            elif not internal and spec is not None and spec.type == "NodePort" and model.nodes and spec.ports \
                    and spec.ports[0].node_port:
                target = f"{model.nodes[0].internal_ip}:{spec.ports[0].node_port}"
            else:
                target = f"{dst.name}.{dst.namespace}.svc.cluster.local:{port}"
        elif dst.kind == "Ingress":
            hosts = [r.get("host") for r in (get_path(self.doc.get(dst), "spec.rules") or [])
                     if isinstance(r, dict) and r.get("host")]
            if not hosts:
                raise EditRefused(tr("%1 has no host rule yet: connect it to a Service first").replace("%1", dst.name))
            target = f"http://{hosts[0]}/"
        elif dst.kind == "Node":
            node = next((n for n in model.nodes if n.name == dst.name), None) if model else None
            svc = next((s for s in model.services for p in s.ports if p.node_port), None) if model else None
            if node is None or svc is None:
                raise EditRefused(tr("Requests to a node need a NodePort or LoadBalancer Service to reach"))
            port = next(p.node_port for p in svc.ports if p.node_port)
            target = f"{node.internal_ip}:{port}"
        elif dst.kind == "LoadBalancer":
            spec = next((s for s in model.services if s.namespace == dst.namespace and s.name == dst.name), None) \
                if model else None
            if spec is None or not spec.load_balancer_ip or not spec.ports:
                raise EditRefused(tr("This load balancer has no address yet"))
            target = f"{spec.load_balancer_ip}:{spec.ports[0].port}"
        else:
            raise EditRefused(tr("A Client sends requests to a Service, an Ingress, a node or a load balancer"))
        name = unique_name(f"{src.name}-{dst.name}"[:63].rstrip("-"), names_of_kind(self.doc.objects(), "Traffic", ""))
        raw = {"apiVersion": "podpath.dev/v1alpha1", "kind": "Traffic", "metadata": {"name": name},
               "spec": {"client": src.name, "target": target, "rate": 10, "connection": "new"}}
        text = tr("Send traffic from %1 to %2").replace("%1", src.name).replace("%2", target)
        self.push(text, [("add", None, raw)])
        return text

    # -- clipboard ----------------------------------------------------------------------------------------------
    def to_yaml(self, refs: list[ObjectRef]) -> str:
        """The objects as Kubernetes YAML (positions left out), in document order."""
        objs = [strip_positions(self.doc.get(r)) for r in sorted((r for r in refs if r in self.doc),
                                                                   key=self.doc.index_of)]
        return dump_documents(objs) if objs else ""

    def paste_yaml(self, text: str, offset: tuple[float, float] = (30.0, 30.0),
                   source: str | None = None) -> list[ObjectRef]:
        """Add the objects of a YAML text (from the clipboard, or the file named ``source``); raises
        ScenarioError if unreadable."""
        doc = loads_document(text, "clipboard")
        errors = [d for d in doc.load_diagnostics if d.is_error]
        if errors:
            raise ScenarioError(errors)
        objects = [e.raw for e in doc.entries if e.raw]
        if not objects:
            raise EditRefused(tr("The clipboard holds no Kubernetes objects"))
        n = len(objects)
        if source:
            text = tr("Import %1").replace("%1", source)
        elif n > 1:
            text = tr("Paste %n objects").replace("%n", str(n))
        else:
            text = tr("Paste %1").replace("%1", str(object_ref(objects[0])))
        return self.add_objects(objects, text, offset, place=None if source else "paste")

    def duplicate(self, refs: list[ObjectRef]) -> list[ObjectRef]:
        objs = [self.doc.get(r) for r in sorted((r for r in refs if r in self.doc), key=self.doc.index_of)]
        if not objs:
            return []
        return self.add_objects(objs, tr("Duplicate"), (30.0, 30.0), place="duplicate")


def _retarget(target: str, addresses: dict[str, str], dns: dict[str, str]) -> str:
    """``target`` with its host:port (or its DNS host) swapped by the maps; scheme and path kept."""
    scheme, sep, rest = target.partition("://")
    if not sep:
        scheme, rest = "", target
    hostport, slash, path = rest.partition("/")
    if hostport in addresses:
        hostport = addresses[hostport]
    else:
        host, colon, port = hostport.partition(":")
        if host in dns:
            hostport = dns[host] + colon + port
    return (scheme + "://" if sep else "") + hostport + slash + path


def _rename_backends(spec: dict, old: str, new: str) -> None:
    backends = []
    if isinstance(spec.get("defaultBackend"), dict):
        backends.append(spec["defaultBackend"])
    for rule in spec.get("rules") or []:
        for path in ((rule.get("http") or {}).get("paths") or []) if isinstance(rule, dict) else []:
            if isinstance(path, dict) and isinstance(path.get("backend"), dict):
                backends.append(path["backend"])
    for b in backends:
        svc = b.get("service")
        if isinstance(svc, dict) and svc.get("name") == old:
            svc["name"] = new

"""Structural validation of raw objects: known fields per level, types, required fields, enum values.

Wording follows kube-apiserver (``Required value``, ``Unsupported value: "Foo": supported values: ...``,
``Invalid value: ...``); an unknown field names the closest valid one (difflib).
"""

from __future__ import annotations

import copy
import difflib
from collections.abc import Callable

from core.scenario import names
from core.scenario.errors import Diagnostic, format_value
from core.scenario.kinds import (
    CONFIG_KINDS,
    ENUMS,
    FIELDS,
    KNOWN_KINDS,
    PODPATH_API,
    REMOVED_APIS,
    REQUIRED,
    ROOTS,
    WORKLOAD_KINDS,
    api_group,
    api_versions_of,
    is_known_group,
    object_ref,
    ref_label,
    root_definition,
)

PathKey = tuple[str | int, ...]
Locator = Callable[[PathKey, bool], tuple[int, int]]

_TYPE_NAMES = {"string": "string", "integer": "integer", "number": "number", "boolean": "boolean",
               "intstr": "integer or string", "quantity": "quantity (number or string)", "map": "map of strings",
               "object": "mapping", "intstrobject": "integer, string or mapping"}


def format_path(path: PathKey) -> str:
    out = ""
    for p in path:
        if isinstance(p, int):
            out += f"[{p}]"
        else:
            out += ("." if out else "") + p
    return out


def type_name(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "list"
    if isinstance(value, dict):
        return "mapping"
    return type(value).__name__


def closest(name: str, candidates: list[str] | tuple[str, ...]) -> str | None:
    """The closest candidate to ``name`` (difflib), or None."""
    found = difflib.get_close_matches(name, list(candidates), n=1, cutoff=0.6)
    if not found:
        lowered = {c.lower(): c for c in candidates}
        found = difflib.get_close_matches(name.lower(), list(lowered), n=1, cutoff=0.6)
        return lowered[found[0]] if found else None
    return found[0]


class _Walker:
    def __init__(self, filename: str, obj: str, locate: Locator | None):
        self.filename = filename
        self.obj = obj
        self.locate = locate
        self.out: list[Diagnostic] = []
        self.bad: list[PathKey] = []  # fields with an error: the build leaves them out (best effort)

    def report(self, path: PathKey, message: str, value: object = None, key: bool = False,
               severity: str = "error", prune: bool = True) -> None:
        if severity == "error" and prune:
            self.bad.append(path)
        line, col = self.locate(path, key) if self.locate else (0, 0)
        self.out.append(Diagnostic(severity, message, self.filename, line, col, self.obj,  # type: ignore[arg-type]
                                   format_path(path), value))

    def bad_type(self, path: PathKey, value: object, expected: str) -> None:
        self.report(path, f"Invalid value: {format_value(value)}: expected {expected}, got {type_name(value)}",
                    value)

    def check(self, code: str, value: object, path: PathKey) -> None:
        if value is None:
            return
        if code.startswith("[]"):
            if not isinstance(value, list):
                self.bad_type(path, value, "a list")
                return
            for i, item in enumerate(value):
                self.check(code[2:], item, (*path, i))
            return
        if code.startswith("{}"):
            if not isinstance(value, dict):
                self.bad_type(path, value, "a mapping")
                return
            for k, item in value.items():
                self.check(code[2:], item, (*path, k))
            return
        if code.startswith("@"):
            self.check_definition(code[1:], value, path)
            return
        ok = {
            "string": isinstance(value, str),
            "integer": isinstance(value, int) and not isinstance(value, bool),
            "number": isinstance(value, (int, float)) and not isinstance(value, bool),
            "boolean": isinstance(value, bool),
            "intstr": isinstance(value, (int, str)) and not isinstance(value, bool),
            "quantity": isinstance(value, (int, float, str)) and not isinstance(value, bool),
            "object": True,
            "intstrobject": isinstance(value, (int, str, dict)) and not isinstance(value, bool),
            "map": isinstance(value, dict),
        }.get(code, True)
        if not ok:
            self.bad_type(path, value, _TYPE_NAMES.get(code, code))
            return
        if code == "map":
            assert isinstance(value, dict)
            for k, item in value.items():
                if not isinstance(item, str):
                    self.bad_type((*path, k), item, "string")

    def check_definition(self, name: str, value: object, path: PathKey) -> None:
        fields = FIELDS.get(name)
        if fields is None:
            return
        if not isinstance(value, dict):
            self.bad_type(path, value, "a mapping")
            return
        if not fields:
            return  # a definition without properties (FieldsV1) is free-form JSON: any content is valid
        for req in REQUIRED.get(name, ()):
            if value.get(req) is None:
                self.report((*path, req), "Required value", None)
        for key, item in value.items():
            code = fields.get(key)
            if code is None:
                guess = closest(key, list(fields))
                hint = f"; did you mean \"{guess}\"?" if guess else f"; valid fields: {', '.join(sorted(fields))}"
                self.report((*path, key), f"unknown field \"{key}\"{hint}", key, key=True)
                continue
            if item is None and name.startswith("podpath.") and code != "object":
                # Kubernetes reads null as "unset"; PodPath's own fields have no unset form worth a silent default
                self.report((*path, key), f"Invalid value: null: expected {_expected(code)}, or leave the field "
                            "out for the default", None)
                continue
            enum = ENUMS.get((name, key))
            if enum is not None and item is not None and isinstance(item, str) and item not in enum:
                allowed = ", ".join(f'"{v}"' for v in enum)
                self.report((*path, key), f"Unsupported value: {format_value(item)}: supported values: {allowed}",
                            item)
                continue
            self.check(code, item, (*path, key))


def _expected(code: str) -> str:
    if code.startswith("[]"):
        return "a list"
    if code.startswith(("{}", "@")):
        return "a mapping"
    return {"integer": "an integer", "number": "a number", "boolean": "true or false"}.get(
        code, _TYPE_NAMES.get(code, code))


def validate_object(raw: object, locate: Locator | None, filename: str = "<string>") -> list[Diagnostic]:
    """Structural problems of one top-level object (errors; kinds PodPath does not model are not checked)."""
    return check_object(raw, locate, filename)[0]


def check_object(raw: object, locate: Locator | None,
                 filename: str = "<string>") -> tuple[list[Diagnostic], list[PathKey]]:
    """(problems, paths of the fields in error) of one top-level object."""
    walker = _check(raw, locate, filename)
    return walker.out, walker.bad


def prune(raw: dict, bad: list[PathKey]) -> dict:
    """A deep copy of ``raw`` without the fields in error (list items in error become null, so the
    positions of the others stay as in the file): what the best-effort build reads. ``raw`` itself when
    nothing is in error (the builders only read)."""
    if not bad:
        return raw
    out = copy.deepcopy(raw)
    for path in sorted(set(bad), key=len, reverse=True):
        if not path:
            continue
        parent: object = out
        for key in path[:-1]:
            if isinstance(parent, dict) and key in parent:
                parent = parent[key]
            elif isinstance(parent, list) and isinstance(key, int) and 0 <= key < len(parent):
                parent = parent[key]
            else:
                parent = None
                break
        last = path[-1]
        if isinstance(parent, dict):
            parent.pop(last, None)
        elif isinstance(parent, list) and isinstance(last, int) and 0 <= last < len(parent):
            parent[last] = None
    return out


def _check(raw: object, locate: Locator | None, filename: str) -> _Walker:
    ref = object_ref(raw)
    walker = _Walker(filename, ref_label(ref) if ref.kind else "", locate)
    if not isinstance(raw, dict):
        walker.report((), f"Invalid value: a Kubernetes object must be a mapping, got {type_name(raw)}",
                      None)
        return walker
    api, kind = raw.get("apiVersion"), raw.get("kind")
    for key, value in (("apiVersion", api), ("kind", kind)):
        if value is None:
            walker.report((key,), "Required value: every object needs apiVersion and kind")
        elif not isinstance(value, str):
            walker.bad_type((key,), value, "string")
    if not isinstance(api, str) or not isinstance(kind, str):
        return walker
    _check_names(walker, raw, api, kind)
    if kind == "HorizontalPodAutoscaler" and api in ("autoscaling/v1", "autoscaling/v2"):  # the served versions
        _hpa_not_simulated(walker, raw)
    definition = root_definition(api, kind)
    group = api_group(api)
    if definition is None:
        known = api_versions_of(kind) if is_known_group(group) else []
        removed = REMOVED_APIS.get((api, kind))
        if removed and not known:
            since, instead = removed
            use = f'; use {format_value(instead)}' if instead else ""
            walker.report(("apiVersion",), f"{format_value(api)} {kind} is no longer served since Kubernetes "
                          f"{since}{use} (kubectl would refuse it: no matches for kind {format_value(kind)} in "
                          f"version {format_value(api)}; PodPath keeps it unchanged)", api, severity="warning")
        elif known:
            allowed = ", ".join(f'"{v}"' for v in known)
            # an old manifest (Sock Shop's extensions/v1beta1 Deployments): say when the version went away
            gone = f" ({kind} in {format_value(api)} is no longer served since Kubernetes {removed[0]})" \
                if removed else ""
            walker.report(("apiVersion",), f"Unsupported value: {format_value(api)}: supported values: {allowed}"
                          f"{gone}", api)
        elif is_known_group(group) and kind not in KNOWN_KINDS[group]:
            candidates = sorted(KNOWN_KINDS[group] | {k for a, k in ROOTS if api_group(a) == group})
            guess = closest(kind, candidates)
            hint = f'; did you mean "{guess}"?' if guess else ""
            walker.report(("kind",), f"unknown kind {format_value(kind)} in apiVersion {format_value(api)}{hint} "
                          f"(kubectl would refuse it: no matches for kind {format_value(kind)} in version "
                          f"{format_value(api)}; PodPath keeps it unchanged)", kind, severity="warning")
        return walker
    walker.check_definition(definition, raw, ())
    meta = raw.get("metadata")
    if kind not in CONFIG_KINDS and kind != "Simulation":
        name = meta.get("name") if isinstance(meta, dict) else None
        if not name and not (isinstance(meta, dict) and meta.get("generateName")):
            walker.report(("metadata", "name"), "Required value: name or generateName is required")
    return walker


def _hpa_not_simulated(walker: _Walker, raw: dict) -> None:
    """PodPath keeps an HPA but does not run it (docs/kubernetes-model.md §10): say so where it is, since a real
    one would at once hold its target between minReplicas and maxReplicas and then follow the load."""
    spec = raw.get("spec") if isinstance(raw.get("spec"), dict) else {}
    ref = spec.get("scaleTargetRef") if isinstance(spec.get("scaleTargetRef"), dict) else {}
    target = f'{ref.get("kind") or "its target"} {format_value(ref["name"])}' if ref.get("name") else "its target"
    low = spec.get("minReplicas", 1)
    walker.report(("spec", "scaleTargetRef") if ref else ("kind",),
                  f"PodPath approximates: HorizontalPodAutoscalers are kept but not simulated: {target} keeps its "
                  f"own replicas whatever the load (a real one would keep it between minReplicas {low} and "
                  f"maxReplicas {spec.get('maxReplicas', '?')})", None, severity="warning", prune=False)


# ------------------------------------------------------------------------------------------------ names

def _invalid(walker: _Walker, path: PathKey, value: str, problems: list[str], key: bool = False) -> None:
    # a bad name is still usable by the model: reported, not pruned (no follow-on "not in the scenario")
    for message in problems:
        walker.report(path, f"Invalid value: {format_value(value)}: {message}", value, key=key, prune=False)


def _check_labels(walker: _Walker, labels: object, path: PathKey) -> None:
    """ValidateLabels: each key a qualified name, each value a label value (<= 63)."""
    if not isinstance(labels, dict):
        return
    for k, v in labels.items():
        if isinstance(k, str):
            _invalid(walker, (*path, k), k, names.qualified_name(k), key=True)
        if isinstance(v, str):
            _invalid(walker, (*path, k), v, names.label_value(v))


def _check_selector(walker: _Walker, selector: object, path: PathKey) -> None:
    """ValidateLabelSelector: matchLabels as labels, matchExpressions keys as qualified names."""
    if not isinstance(selector, dict):
        return
    _check_labels(walker, selector.get("matchLabels"), (*path, "matchLabels"))
    for i, expr in enumerate(selector.get("matchExpressions") or () if isinstance(
            selector.get("matchExpressions"), list) else ()):
        if isinstance(expr, dict) and isinstance(expr.get("key"), str):
            _invalid(walker, (*path, "matchExpressions", i, "key"), expr["key"], names.qualified_name(expr["key"]))


def _check_meta(walker: _Walker, meta: object, path: PathKey, kind: str, template: bool = False) -> None:
    """ValidateObjectMeta: name/generateName by the kind's rule, namespace a DNS-1123 label, labels, annotation
    keys (``template``: a pod template's metadata, whose name and namespace are not used)."""
    if not isinstance(meta, dict):
        return
    if not template:
        for field, generate in (("generateName", True), ("name", False)):
            value = meta.get(field)
            if isinstance(value, str) and value:
                problems = names.object_name(kind, value, generate)
                if problems:
                    _invalid(walker, (*path, field), value, problems)
        ns = meta.get("namespace")
        if isinstance(ns, str) and ns:
            _invalid(walker, (*path, "namespace"), ns, names.dns1123_label(ns))
    _check_labels(walker, meta.get("labels"), (*path, "labels"))
    annotations = meta.get("annotations")
    if isinstance(annotations, dict):
        for k in annotations:
            if isinstance(k, str):  # ValidateAnnotations checks the lower-cased key
                _invalid(walker, (*path, "annotations", k), k, names.qualified_name(k.lower()), key=True)


def _check_pod_spec(walker: _Walker, spec: object, path: PathKey) -> None:
    """Container names (DNS-1123 labels, unique across init and app containers) and the nodeSelector."""
    if not isinstance(spec, dict):
        return
    seen: set[str] = set()
    for field in ("initContainers", "containers"):
        containers = spec.get(field)
        for i, c in enumerate(containers if isinstance(containers, list) else ()):
            name = c.get("name") if isinstance(c, dict) else None
            if not isinstance(name, str) or not name:
                continue
            problems = names.dns1123_label(name)
            _invalid(walker, (*path, field, i, "name"), name, problems)
            if not problems and name in seen:
                walker.report((*path, field, i, "name"), f"Duplicate value: {format_value(name)}", name,
                              prune=False)
            seen.add(name)
            ports = c.get("ports")
            port_names: set[str] = set()  # validateContainerPorts: port names are unique within a container
            for j, port in enumerate(ports if isinstance(ports, list) else ()):
                pname = port.get("name") if isinstance(port, dict) else None
                if isinstance(pname, str) and pname:
                    if pname in port_names:
                        walker.report((*path, field, i, "ports", j, "name"), f"Duplicate value: {format_value(pname)}",
                                      pname, prune=False)
                    port_names.add(pname)
    _check_labels(walker, spec.get("nodeSelector"), (*path, "nodeSelector"))
    node_name = spec.get("nodeName")
    if isinstance(node_name, str) and node_name:  # ValidateNodeName
        _invalid(walker, (*path, "nodeName"), node_name, names.dns1123_subdomain(node_name))


def _check_backend(walker: _Walker, backend: object, path: PathKey) -> None:
    """validateIngressBackend: service.name a Service name (DNS-1035), port.name an IANA_SVC_NAME."""
    service = backend.get("service") if isinstance(backend, dict) else None
    if not isinstance(service, dict):
        return
    name = service.get("name")
    if isinstance(name, str) and name:
        _invalid(walker, (*path, "service", "name"), name, names.dns1035_label(name))
    port = service.get("port")
    port_name = port.get("name") if isinstance(port, dict) else None
    if isinstance(port_name, str) and port_name:
        _invalid(walker, (*path, "service", "port", "name"), port_name, names.port_name(port_name))


def _check_ingress(walker: _Walker, spec: dict) -> None:
    class_name = spec.get("ingressClassName")
    if isinstance(class_name, str) and class_name:  # ValidateIngressClassName
        _invalid(walker, ("spec", "ingressClassName"), class_name, names.dns1123_subdomain(class_name))
    _check_backend(walker, spec.get("defaultBackend"), ("spec", "defaultBackend"))
    rules = spec.get("rules")
    for i, rule in enumerate(rules if isinstance(rules, list) else ()):
        if not isinstance(rule, dict):
            continue
        host = rule.get("host")
        if isinstance(host, str) and host:
            _invalid(walker, ("spec", "rules", i, "host"), host, names.ingress_host(host))
        paths = rule.get("http", {}).get("paths") if isinstance(rule.get("http"), dict) else None
        for j, p in enumerate(paths if isinstance(paths, list) else ()):
            if isinstance(p, dict):
                _check_backend(walker, p.get("backend"), ("spec", "rules", i, "http", "paths", j, "backend"))


def _check_names(walker: _Walker, raw: dict, api: str, kind: str) -> None:
    """Names as kube-apiserver validates them (core.scenario.names), for every object with metadata; the
    name rule only for the kinds of Kubernetes' own groups and PodPath's (a CRD may be named anything)."""
    if not (is_known_group(api_group(api)) or api == PODPATH_API):
        kind = ""
    _check_meta(walker, raw.get("metadata"), ("metadata",), kind)
    spec = raw.get("spec")
    if not isinstance(spec, dict):
        return
    if kind == "Pod":
        _check_pod_spec(walker, spec, ("spec",))
    elif kind in WORKLOAD_KINDS:
        _check_selector(walker, spec.get("selector"), ("spec", "selector"))
        template = spec.get("template")
        if isinstance(template, dict):
            _check_meta(walker, template.get("metadata"), ("spec", "template", "metadata"), "Pod", template=True)
            _check_pod_spec(walker, template.get("spec"), ("spec", "template", "spec"))
    elif kind == "Service":
        if isinstance(spec.get("selector"), dict):
            _check_labels(walker, spec["selector"], ("spec", "selector"))
        cname = spec.get("externalName")
        if spec.get("type") == "ExternalName" and isinstance(cname, str) and cname.rstrip("."):
            # a trailing dot (fully qualified) is allowed; the rest is a DNS-1123 subdomain
            _invalid(walker, ("spec", "externalName"), cname.removesuffix("."),
                     names.dns1123_subdomain(cname.removesuffix(".")))
    elif kind == "Ingress":
        _check_ingress(walker, spec)

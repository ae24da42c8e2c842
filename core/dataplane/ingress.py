"""Ingress host and path matching as the Ingress API specifies it (domain.md section d.3).

``match_request`` picks the backend an ingress controller would proxy a request to, from all the Ingress
rules of that controller's class: host first (an exact host beats a one-label wildcard, which beats a rule
without a host), then the longest matching path, an ``Exact`` path beating a ``Prefix`` one of the same
length; ``spec.defaultBackend`` catches the rest; otherwise the controller answers 404.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from core.model import IngressBackend, IngressPath, IngressSpec

_REGEX_CHARS = re.compile(r"[\^\$\(\)\[\]\{\}\*\+\?\|\\]")


@dataclass(frozen=True)
class IngressMatch:
    """Where a request went: the backend, and which Ingress rule sent it there (for traces)."""

    backend: IngressBackend
    ingress: tuple[str, str]  # (namespace, name)
    host: str | None  # the rule's host, None for a host-less rule or the default backend
    path: str | None  # the rule's path, None for the default backend
    path_type: str | None

    def describe(self) -> str:
        if self.path is None:
            return f"Ingress {self.ingress[0]}/{self.ingress[1]} defaultBackend -> {self.backend.service_name}"
        host = self.host or "*"
        return (f"Ingress {self.ingress[0]}/{self.ingress[1]} host {host} path {self.path} ({self.path_type})"
                f" -> {self.backend.service_name}:{self.backend.port}")


def host_matches(rule_host: str | None, request_host: str) -> bool:
    """Exact host, or a wildcard ``*.foo.com`` that matches exactly one DNS label; None matches all."""
    if rule_host is None or rule_host == "":
        return True
    request_host = request_host.split(":", 1)[0].lower().rstrip(".")
    rule_host = rule_host.lower()
    if rule_host.startswith("*."):
        suffix = rule_host[1:]  # ".foo.com"
        if not request_host.endswith(suffix):
            return False
        label = request_host[: -len(suffix)]
        return bool(label) and "." not in label
    return rule_host == request_host


def _elements(path: str) -> list[str]:
    return [p for p in path.split("/") if p != ""]


def path_matches(path: str, path_type: str, request_path: str) -> bool:
    """Exact: case-sensitive equality. Prefix: element-wise on '/'-split elements, trailing slash ignored.

    ImplementationSpecific is ingress-nginx's: a regular expression (matched case-insensitively at the
    start, as nginx's ``location ~*``) when the path contains regex characters, otherwise Prefix.
    """
    if path_type == "Exact":
        return request_path == path
    if path_type == "ImplementationSpecific" and _REGEX_CHARS.search(path):
        try:
            return re.match(path, request_path, flags=re.IGNORECASE) is not None
        except re.error:
            return False
    want = _elements(path)
    got = _elements(request_path)
    return got[: len(want)] == want


def _match_length(p: IngressPath) -> int:
    """How long a path counts for precedence: a Prefix path's trailing slash is ignored (``/foo/`` is
    ``/foo``), so an Exact ``/foo`` still wins the tie for the request ``/foo``."""
    if p.path_type == "Exact" or p.path == "/":
        return len(p.path)
    return len(p.path.rstrip("/"))


def _host_rank(rule_host: str | None) -> int:
    if not rule_host:
        return 2
    return 1 if rule_host.startswith("*.") else 0


def match_request(ingresses: list[IngressSpec], host: str, request_path: str) -> IngressMatch | None:
    """The backend for ``host`` + ``request_path`` among ``ingresses`` (one controller's class), or None (404)."""
    # 1. host: the most specific host that any rule matches
    candidates: list[tuple[int, IngressSpec, str | None, IngressPath]] = []
    for ing in ingresses:
        for rule in ing.rules:
            if host_matches(rule.host, host):
                for p in rule.paths:
                    candidates.append((_host_rank(rule.host), ing, rule.host, p))
    if candidates:
        best_rank = min(c[0] for c in candidates)
        best_host = None
        # all rules for the chosen host form one server; paths are merged across Ingresses
        chosen = [c for c in candidates if c[0] == best_rank]
        if best_rank < 2:
            # prefer the exact host string of the first rule seen at this rank
            best_host = chosen[0][2]
            chosen = [c for c in chosen if c[2] == best_host]
        matching = [c for c in chosen if path_matches(c[3].path, c[3].path_type, request_path)]
        if matching:
            # longest path first; on equal length Exact beats Prefix; then file order
            def key(item: tuple[int, tuple[int, IngressSpec, str | None, IngressPath]]) -> tuple[int, int, int]:
                i, c = item
                return (-_match_length(c[3]), 0 if c[3].path_type == "Exact" else 1, i)

            _, (_, ing, rhost, p) = min(enumerate(matching), key=key)
            return IngressMatch(p.backend, (ing.namespace, ing.name), rhost, p.path, p.path_type)
    for ing in ingresses:
        if ing.default_backend is not None:
            return IngressMatch(ing.default_backend, (ing.namespace, ing.name), None, None, None)
    return None

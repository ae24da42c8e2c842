"""Traffic targets: a URL, a Service DNS name, or an IP (ClusterIP, node IP, LB IP, pod IP) with a port."""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

_LABEL = r"[a-z0-9]([-a-z0-9]*[a-z0-9])?"
_HOST = re.compile(rf"^{_LABEL}(\.{_LABEL})*$", re.IGNORECASE)
_SVC = re.compile(rf"^(?P<name>{_LABEL})(\.(?P<ns>{_LABEL})(\.svc(\.cluster\.local)?)?)?$")


@dataclass(frozen=True)
class Target:
    """A parsed Traffic target. ``kind`` is "ip" or "host"; ``service`` is (namespace, name) for a Service
    DNS name (``web``, ``web.shop``, ``web.shop.svc``, ``web.shop.svc.cluster.local``)."""

    kind: str
    host: str
    port: int | None
    path: str = ""
    scheme: str = ""
    service: tuple[str, str] | None = None


def service_of_host(host: str) -> tuple[str, str] | None:
    """(namespace, name) when ``host`` is a cluster Service DNS name, else None.

    ``name`` alone and ``name.namespace`` count (search domains); so does ``name.ns.svc[.cluster.local]``.
    A dotted name is a Service name only with ``.svc`` or with exactly two labels."""
    m = _SVC.match(host.lower())
    if not m:
        return None
    labels = host.lower().split(".")
    if len(labels) > 2 and labels[2] != "svc":
        return None
    return (m.group("ns") or "default", m.group("name"))


def _port(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= 65535:
        raise ValueError(f"port {text!r} must be a number between 1 and 65535")
    return int(text)


def parse_target(target: str) -> Target:
    """Parse a Traffic target; ValueError says what is allowed."""
    text = target.strip()
    if not text:
        raise ValueError("Required value: a URL (http://shop.example.com/cart), a Service DNS name "
                         "(web.default.svc.cluster.local:80) or an IP with a port (10.96.0.10:80)")
    if "://" in text:
        try:
            parts = urlsplit(text)
            port = parts.port
        except ValueError as exc:
            raise ValueError(f"not a valid URL: {exc}") from None
        if parts.scheme not in ("http", "https"):
            raise ValueError(f"URL scheme {parts.scheme!r} is not supported; allowed: http, https")
        host = parts.hostname or ""
        if not host:
            raise ValueError("the URL has no host")
        default_port = 443 if parts.scheme == "https" else 80
        try:
            ipaddress.IPv4Address(host)
            return Target("ip", host, port or default_port, parts.path or "/", parts.scheme)
        except ValueError:
            pass
        if not _HOST.match(host):
            raise ValueError(f"host {host!r} is not a valid DNS name")
        return Target("host", host, port or default_port, parts.path or "/", parts.scheme, service_of_host(host))
    host, sep, port_text = text.rpartition(":")
    if not sep:
        host, port_text = text, ""
    port = _port(port_text) if port_text else None
    try:
        ipaddress.IPv4Address(host)
    except ValueError:
        pass
    else:
        if port is None:
            raise ValueError(f"an IP target needs a port, e.g. {host}:80")
        return Target("ip", host, port)
    if not _HOST.match(host):
        raise ValueError("expected a URL (http://shop.example.com/cart), a Service DNS name "
                         "(web.default.svc.cluster.local:80) or an IP with a port (10.96.0.10:80)")
    return Target("host", host, port, "", "", service_of_host(host))

"""Chain names kube-proxy derives by hashing: iptables KUBE-SVC/SVL/EXT/FW/SEP and nftables hashAndTruncate.

Recipes (domain.md a.3 and c.1; k/k ``pkg/proxy/iptables/proxier.go`` ``portProtoHash`` /
``servicePortEndpointChainName`` and ``pkg/proxy/nftables/proxier.go`` ``hashAndTruncate``):

* ``spn`` is ``ServicePortName.String()``: ``namespace/name`` plus ``:portName`` when the port is named.
* iptables: ``base32_std(sha256(spn + proto))[:16]`` for the per-service chains (one hash, four prefixes)
  and ``base32_std(sha256(spn + proto + "ip:port"))[:16]`` for ``KUBE-SEP-``; no separators.
* nftables: ``base32_std(sha256(name))[:8] + "-" + name`` where ``name`` is
  ``ns/name/proto/portName`` (services) or ``ns/name/proto/portName__ip/port`` (endpoints, IPv6 ``:`` -> ``.``).
"""

from __future__ import annotations

import base64
import functools
import hashlib

# knftables.NameLengthMax (256) - 16, the limit on the readable part of an nftables chain name.
NFT_CHAIN_NAME_BASE_LENGTH_MAX = 240

KUBE_SVC = "KUBE-SVC-"
KUBE_SVL = "KUBE-SVL-"
KUBE_EXT = "KUBE-EXT-"
KUBE_FW = "KUBE-FW-"
KUBE_SEP = "KUBE-SEP-"


@functools.lru_cache(maxsize=65536)
def _b32_sha256(text: str) -> str:
    """RFC 4648 standard base32 (A-Z2-7, padded) of the SHA-256 of ``text``, as Go's base32.StdEncoding
    (memoised: every render and packet sample asks for the same few chain names again)."""
    return base64.b32encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")


def service_port_name(namespace: str, name: str, port_name: str = "") -> str:
    """``ServicePortName.String()``: ``ns/name`` or ``ns/name:port`` (k/k pkg/proxy/types.go)."""
    base = f"{namespace}/{name}"
    return f"{base}:{port_name}" if port_name else base


def endpoint_string(ip: str, port: int) -> str:
    """``net.JoinHostPort``: ``ip:port``, with IPv6 addresses in brackets."""
    return f"[{ip}]:{port}" if ":" in ip else f"{ip}:{port}"


def service_port_chain_hash(spn: str, protocol: str) -> str:
    """The 16-character hash shared by KUBE-SVC/SVL/EXT/FW of one service port (``portProtoHash``)."""
    return _b32_sha256(spn + protocol.lower())[:16]


def endpoint_chain_hash(spn: str, protocol: str, endpoint: str) -> str:
    """The 16-character hash of a KUBE-SEP chain; ``endpoint`` is ``ip:port`` (``[ip]:port`` for IPv6)."""
    return _b32_sha256(spn + protocol.lower() + endpoint)[:16]


def svc_chain(spn: str, protocol: str) -> str:
    return KUBE_SVC + service_port_chain_hash(spn, protocol)


def svl_chain(spn: str, protocol: str) -> str:
    return KUBE_SVL + service_port_chain_hash(spn, protocol)


def ext_chain(spn: str, protocol: str) -> str:
    return KUBE_EXT + service_port_chain_hash(spn, protocol)


def fw_chain(spn: str, protocol: str) -> str:
    return KUBE_FW + service_port_chain_hash(spn, protocol)


def sep_chain(spn: str, protocol: str, endpoint: str) -> str:
    return KUBE_SEP + endpoint_chain_hash(spn, protocol, endpoint)


def compute_probability(n: int) -> str:
    """kube-proxy's ``computeProbability``: ``fmt.Sprintf("%0.10f", 1.0/float64(n))``."""
    if n < 1:
        raise ValueError(f"probability needs at least one endpoint, got n={n}")
    return f"{1.0 / n:.10f}"


# --------------------------------------------------------------------------------------------
# nftables


def nft_hash_and_truncate(name: str) -> str:
    """``hashAndTruncate``: 8 base32 characters of sha256(name), ``-``, then name (cut with ``...``)."""
    digest = _b32_sha256(name)[:8]
    if len(name) > NFT_CHAIN_NAME_BASE_LENGTH_MAX:
        name = name[: NFT_CHAIN_NAME_BASE_LENGTH_MAX - 3] + "..."
    return f"{digest}-{name}"


def nft_service_base(namespace: str, name: str, protocol: str, port_name: str = "") -> str:
    """``servicePortChainNameBase``: ``ns/name/proto/portName``."""
    return f"{namespace}/{name}/{protocol.lower()}/{port_name}"


def nft_endpoint_base(service_base: str, ip: str, port: int) -> str:
    """``servicePortEndpointChainNameBase``: ``<service base>__ip/port`` with IPv6 ``:`` written as ``.``."""
    return f"{service_base}__{ip.replace(':', '.')}/{port}"


def nft_chain_name(prefix: str, base: str) -> str:
    """An nftables chain or set name: ``service-``, ``local-``, ``external-``, ``firewall-``,
    ``endpoint-`` or ``affinity-`` followed by ``hashAndTruncate(base)``."""
    return f"{prefix}-{nft_hash_and_truncate(base)}"

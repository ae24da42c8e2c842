"""kube-proxy data plane: load-balancing algorithms per mode and the rule text each mode programs.

``make_balancer`` builds one :class:`Balancer` per (node, virtual service): the kube-proxy state that
node keeps for that service. See ``balancer.Balancer`` for the batch API (``set_endpoints``, ``pick``,
``release``, ``describe_pick``, ``expected_shares``) and ``reference`` for plain-Python per-connection
versions of every algorithm.
"""

from __future__ import annotations

from collections.abc import Mapping

from core.proxy.balancer import Balancer
from core.proxy.iptables import iptables_probability_string, iptables_save_probability
from core.proxy.ipvs import IPVS_SCHEDULERS, IpvsBalancer
from core.proxy.nftables import NftablesBalancer
from core.proxy.userspace import UserspaceBalancer

PROXY_MODES = ("iptables", "nftables", "ipvs", "userspace")

__all__ = [
    "IPVS_SCHEDULERS",
    "PROXY_MODES",
    "Balancer",
    "iptables_probability_string",
    "iptables_save_probability",
    "make_balancer",
]


def make_balancer(mode: str, scheduler: str = "rr", *, weights: Mapping[str, int] | None = None,
                  affinity_timeout: float | None = None, sh_port: bool = False, mh_port: bool = True,
                  vip: str | int = 0) -> Balancer:
    """Balancer for one (node, virtual service).

    mode: iptables | nftables | ipvs | userspace. scheduler: IPVS scheduler ("" means rr); ignored by the
    other modes. weights: IPVS real-server weight per endpoint key (default 1, as kube-proxy programs)
    used when ``set_endpoints`` gets none. affinity_timeout: ClientIP affinity seconds (None = off).
    sh_port: IPVS sh-port flag. mh_port: hash the source port in mh (kube-proxy sets it). vip: the
    virtual IP that dh/lblc/lblcr hash when ``pick`` gets no ``dst_ip``.
    """
    if mode not in PROXY_MODES:
        raise ValueError(f"unknown kube-proxy mode {mode!r}; allowed: {', '.join(PROXY_MODES)}")
    if affinity_timeout is not None and not 0 < affinity_timeout <= 86400:
        raise ValueError(f"affinity timeout must be in (0, 86400] seconds, got {affinity_timeout}")
    if weights is not None and mode != "ipvs":
        raise ValueError(f"weights apply only to ipvs mode (real-server weights), not {mode}")
    if mode == "iptables":
        from core.proxy.iptables import IptablesBalancer

        return IptablesBalancer(affinity_timeout=affinity_timeout)
    if mode == "nftables":
        return NftablesBalancer(affinity_timeout=affinity_timeout)
    if mode == "userspace":
        return UserspaceBalancer(affinity_timeout=affinity_timeout)
    return IpvsBalancer(scheduler, affinity_timeout=affinity_timeout, sh_port=sh_port, mh_port=mh_port, vip=vip,
                        default_weights=dict(weights) if weights is not None else None)

"""The latency model behind every hop PodPath shows: simple, documented, and the same in CLI and GUI.

Figures are one-way costs in milliseconds of the *first* packet of a connection (the one kube-proxy's
rules decide); packets of an established connection skip the rule walk (conntrack), which is why
keep-alive traffic does not pay the iptables cost again. The values are order-of-magnitude figures for a
typical cloud VM network, chosen so that the *differences* the lecture talks about are visible:

============================  ==========  ====================================================================
cost                          ms          why
============================  ==========  ====================================================================
``SAME_NODE``                 0.02        veth -> bridge -> veth inside one node
``CROSS_NODE``                0.20        one trip over the node network (overlay encapsulation included)
``EXTERNAL``                  1.00        client on the internet/office network to the cluster's edge
``LOAD_BALANCER``             0.10        an external L4 load balancer forwarding a packet
``NAT``                       0.002       one conntrack NAT rewrite (DNAT or SNAT)
``IPTABLES_PER_RULE``         0.00025     one rule of a linear iptables chain (KUBE-SERVICES, statistic rules)
``NFTABLES_LOOKUP``           0.004       one verdict-map lookup (O(1) in the number of Services)
``IPVS_LOOKUP``               0.004       one IPVS virtual-server hash lookup + scheduler
``USERSPACE_COPY``            0.08        kube-proxy's userspace proxy: kernel -> user -> kernel copy, each way
``INGRESS_PROXY``             0.30        the ingress controller (nginx) terminating and re-opening HTTP
``USERSPACE_RETRY``           250         userspace mode only: the failed connect before its retry
============================  ==========  ====================================================================

iptables' first-packet cost grows with the position of the Service's rule in KUBE-SERVICES (every rule
before it is evaluated) plus the statistic rules walked before the chosen endpoint (domain.md section g:
O(#services) first-packet latency). nftables and IPVS are O(1).
"""

from __future__ import annotations

import numpy as np

SAME_NODE = 0.02
CROSS_NODE = 0.20
EXTERNAL = 1.00
LOAD_BALANCER = 0.10
NAT = 0.002
IPTABLES_PER_RULE = 0.00025
NFTABLES_LOOKUP = 0.004
IPVS_LOOKUP = 0.004
USERSPACE_COPY = 0.08
INGRESS_PROXY = 0.30
USERSPACE_RETRY = 250.0  # userspace proxy: a failed connect to a dead backend, then a retry elsewhere


def proxy_cost(mode: str, service_position: np.ndarray | int, picked_index: np.ndarray | int,
               new_connection: np.ndarray | bool = True) -> np.ndarray:
    """Cost in ms of kube-proxy's decision for requests of one mode.

    ``service_position`` is the 0-based position of the Service's rule in KUBE-SERVICES (iptables only),
    ``picked_index`` the 0-based position of the chosen endpoint among the statistic rules.
    """
    pos = np.asarray(service_position, dtype=np.float64)
    idx = np.asarray(picked_index, dtype=np.float64)
    new = np.asarray(new_connection, dtype=bool)
    if mode == "iptables":
        # rules walked: the service rules before ours + ours, the masquerade rule, statistic rules up to the pick
        rules = pos + 1 + 1 + (np.maximum(idx, 0) + 1)
        cost = rules * IPTABLES_PER_RULE
    elif mode == "nftables":
        cost = np.full(np.broadcast(pos, idx).shape, NFTABLES_LOOKUP)
    elif mode == "ipvs":
        cost = np.full(np.broadcast(pos, idx).shape, IPVS_LOOKUP)
    elif mode == "userspace":
        cost = np.full(np.broadcast(pos, idx).shape, 2 * USERSPACE_COPY)
    else:
        raise ValueError(f"unknown proxy mode {mode!r}")
    # established connections are matched by conntrack: O(1), no rule walk (userspace still copies)
    if mode == "userspace":
        return cost
    return np.where(new, cost, NAT)


def hop_cost(same_node: np.ndarray | bool) -> np.ndarray:
    """Cost in ms of delivering a packet from one node to a pod on the same or another node."""
    return np.where(np.asarray(same_node, dtype=bool), SAME_NODE, CROSS_NODE)

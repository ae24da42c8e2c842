"""Hop-by-hop traces of sampled requests: where each packet went, every address rewrite, the deciding rule.

A trace is a plain dict (the ``podpath route --json --trace K`` schema, documented in the README)::

    {"time", "client", "target", "outcome", "latency_ms",
     "hops": [{"node", "src", "dst", "src_after", "dst_after", "rule", "latency_ms"}, ...]}

Only the first ``limit`` requests of a run are traced, in arrival order, so the cost stays off the hot
path: the arrays of a tick are read back for those few requests only.
"""

from __future__ import annotations

import numpy as np

from core.dataplane import latency as L
from core.dataplane.outcomes import CODE_NAMES
from core.dataplane.tables import ViewTable, u32_to_ip
from core.proxy.chains import (
    compute_probability,
    ext_chain,
    fw_chain,
    nft_chain_name,
    nft_endpoint_base,
    nft_service_base,
    sep_chain,
    svc_chain,
    svl_chain,
)


class TraceBuilder:
    def __init__(self, plane, limit: int = 0):
        self.plane = plane
        self.limit = limit
        self.traces: list[dict] = []
        self._new: list[dict] = []

    def take_new(self) -> list[dict]:
        new, self._new = self._new, []
        return new

    def record(self, flow, times: np.ndarray, out) -> None:
        room = self.limit - len(self.traces)
        if room <= 0:
            return
        for i in range(min(room, times.size)):
            hops = self._hops(flow, out, i)
            t = {"time": round(float(times[i]), 6), "client": flow.client.name,
                 "src": f"{u32_to_ip(out.src_ip[i])}:{int(out.src_port[i])}", "target": flow.target.text,
                 "outcome": CODE_NAMES[int(out.outcome[i])],
                 "latency_ms": round(float(out.latency[i]), 6) if out.outcome[i] == 0 else None,
                 "hops": hops}
            self.traces.append(t)
            self._new.append(t)

    # --------------------------------------------------------------------------------------------
    def _endpoint(self, eid: int) -> str:
        reg = self.plane.registry
        return f"{reg.ip[eid]}:{reg.port[eid]}" if eid >= 0 else "-"

    def _hops(self, flow, out, i: int) -> list[dict]:
        plane = self.plane
        res = out.resolution
        hops: list[dict] = []
        src = f"{u32_to_ip(out.src_ip[i])}:{int(out.src_port[i])}"
        outcome = CODE_NAMES[int(out.outcome[i])]
        if res.kind == "unreachable":
            hops.append(_hop(flow.client.node or "external", src, res.dst_ip and f"{res.dst_ip}:{res.dst_port}"
                             or flow.target.text, None, None, res.detail or outcome, 0.0))
            return hops
        if res.kind == "external_name":
            hops.append(_hop(flow.client.node or "external", src, flow.target.text, src,
                             f"{res.external_name}:{res.port.port if res.port else ''}",
                             f"DNS CNAME {res.service.name}.{res.service.namespace}.svc -> {res.external_name} "
                             "(no kube-proxy rules; the request leaves the cluster)", L.EXTERNAL))
            return hops
        eid = int(out.eid[i])
        if res.kind in ("pod", "headless"):
            rule = ((f"{res.host} is a hostNetwork pod's own port or a hostPort (CNI portmap) -> "
                     f"{self._endpoint(eid) if eid >= 0 else res.dst_ip}" if res.host else
                     "static route: straight to a pod IP, no Service") if res.kind == "pod"
                    else f"headless Service: DNS returned pod IPs; the client picked {self._endpoint(eid)}"
                    if not res.host else
                    f"DNS: {res.host}.{res.service.name}.{res.service.namespace}.svc.cluster.local is that pod's "
                    "own A record (headless Service + hostname/subdomain)")
            if eid < 0:
                hops.append(_hop(flow.client.node or "external", src, f"{res.dst_ip}:{res.dst_port}", None, None,
                                 f"{rule}; {outcome}", 0.0))
                return hops
            node = plane.registry.node[eid]
            hops.append(_hop(node, src, self._endpoint(eid), src, self._endpoint(eid),
                             rule + ("" if outcome == "delivered" else f"; {outcome}"), float(out.latency[i])))
            return hops
        # ---- entry: outside client -> load balancer / node
        node_i = int(out.proxy_node[i])
        node_name = plane.node_names[node_i] if node_i >= 0 else "-"
        node_ip = plane.node_ip[node_i] if node_i >= 0 else ""
        svc, port = res.service, res.port
        if out.entry == "cluster_ip":
            entry_dst = f"{svc.cluster_ip}:{port.port}"
        elif out.entry == "lb_ip" or out.via_lb[i]:
            entry_dst = f"{svc.load_balancer_ip}:{port.port}"
        elif out.entry == "external_ip":
            entry_dst = f"{res.dst_ip}:{res.dst_port}"
        else:
            entry_dst = f"{node_ip}:{port.node_port}"
        if out.via_lb[i]:
            hops.append(_hop(f"lb/{svc.namespace}/{svc.name}", src, entry_dst, src,
                             f"{node_ip}:{port.node_port}" if node_i >= 0 else None,
                             ("external L4 load balancer: the source is not in loadBalancerSourceRanges "
                              "(its firewall, programmed from them) -> not_in_source_ranges"
                              if outcome == "not_in_source_ranges" else
                              "external L4 load balancer: 5-tuple hash over healthy nodes"
                              + (f" -> {node_name}" if node_i >= 0 else f"; {outcome}")),
                             L.EXTERNAL + L.LOAD_BALANCER))
            entry_dst = f"{node_ip}:{port.node_port}"
        elif not flow.internal and node_i >= 0:
            hops.append(_hop("external", src, entry_dst, src, entry_dst, f"routed to {node_name}", L.EXTERNAL))
        if node_i < 0:
            return hops
        if outcome == "node_down":
            hops.append(_hop(node_name, src, entry_dst, None, None, f"{node_name} is down: no answer (timeout)", 0.0))
            return hops
        # ---- kube-proxy on the deciding node (for an Ingress: towards the controller pod)
        masq = bool(out.masq[i])
        src_after = f"{node_ip}:{int(out.src_port[i])}" if masq else src
        backend_eid = eid
        if out.ctrl_eid[i] >= 0:
            eid = int(out.ctrl_eid[i])
        dst_after = self._endpoint(eid) if eid >= 0 else None
        rule = self._rule_text(out, i, res, node_name, eid)
        if eid < 0:
            rule += f" -> {outcome}"
        proxy_cost = float(plane.proxies.cost_one(out, i))
        hops.append(_hop(node_name, src, entry_dst, src_after if eid >= 0 else None, dst_after,
                         rule + (" + MASQUERADE (SNAT to node IP)" if masq else ""), proxy_cost))
        if eid < 0:
            return hops
        # ---- delivery to the pod (or the ingress controller pod)
        first = eid
        eid = backend_eid
        ep_node = plane.registry.node[first]
        pod = "/".join(plane.registry.pod[first])
        same = ep_node == node_name
        dead = outcome == "timeout_dead_endpoint" and out.ctrl_eid[i] < 0
        hops.append(_hop(ep_node, src_after, self._endpoint(first), src_after, self._endpoint(first),
                         (f"pod {pod} is gone or its node is down: SYN unanswered (timeout)" if dead else
                          f"deliver to pod {pod}" + (" on the same node" if same else f" via {ep_node}")),
                         float(L.hop_cost(same))))
        if out.ctrl_eid[i] >= 0:
            m = out.ingress_match
            b_node = plane.registry.node[eid]
            ctrl_ip = plane.registry.ip[first]
            text = (m.describe() if m is not None else "no rule") + ": nginx proxies to the backend pod (round robin)"
            if outcome != "delivered":
                text += f" -> {outcome}"
            hops.append(_hop(ep_node, src_after, f"{res.host}{res.path}", f"{ctrl_ip}:{int(out.src_port[i])}",
                             self._endpoint(eid), text, L.INGRESS_PROXY))
            if outcome in ("delivered", "timeout_dead_endpoint"):
                b_pod = "/".join(plane.registry.pod[eid])
                b_same = b_node == ep_node
                hops.append(_hop(b_node, f"{ctrl_ip}:{int(out.src_port[i])}", self._endpoint(eid),
                                 f"{ctrl_ip}:{int(out.src_port[i])}", self._endpoint(eid),
                                 (f"deliver to pod {b_pod}" + (" on the same node" if b_same else f" via {b_node}"))
                                 if outcome == "delivered" else f"pod {b_pod} is gone or its node is down (timeout)",
                                 float(L.hop_cost(b_same))))
        return hops

    def _rule_text(self, out, i: int, res, node_name: str, eid: int) -> str:
        plane = self.plane
        svc, port = res.service, res.port
        vs = int(out.vs[i])
        item = plane.services.items[vs]
        spn, proto = item.spn, port.protocol
        pos = int(out.rule_pos[i])
        if pos == -2:
            return f"conntrack: established connection, NAT replayed -> {self._endpoint(eid)}"
        if CODE_NAMES[int(out.outcome[i])] == "not_in_source_ranges":
            return (f"KUBE-SERVICES -d {svc.load_balancer_ip}/32 --dport {port.port} -> {fw_chain(spn, proto)}: "
                    "source not in loadBalancerSourceRanges -> KUBE-PROXY-FIREWALL DROP")
        balancer = out.balancer[i]
        if isinstance(balancer, ViewTable):
            n = int(balancer.count[vs])
            if balancer.mode == "iptables":
                ext = ext_chain(spn, proto)
                if out.entry == "node_port":
                    entry = f"KUBE-NODEPORTS --dport {port.node_port} -> {ext}"
                elif out.entry == "lb_ip":
                    entry = f"KUBE-SERVICES -d {svc.load_balancer_ip}/32 --dport {port.port} -> {ext}"
                elif out.entry == "external_ip":
                    entry = f"KUBE-SERVICES -d {res.dst_ip}/32 --dport {port.port} -> {ext}"
                else:
                    entry = f"KUBE-SERVICES -d {svc.cluster_ip}/32 --dport {port.port}"
                if eid < 0:
                    return f"{entry}: no endpoints -> REJECT"
                stat = (f"-m statistic --mode random --probability {compute_probability(n - pos)}"
                        if pos < n - 1 else "(last rule, no statistic match)")
                return (f"{entry} -> {svc_chain(spn, proto)} rule {pos + 1}/{n} {stat} -> "
                        f"{sep_chain(spn, proto, self._endpoint(eid))} DNAT --to-destination {self._endpoint(eid)}")
            base = nft_service_base(svc.namespace, svc.name, proto, port.name)
            if eid < 0:
                return f"service-ips {svc.cluster_ip} . {proto.lower()} . {port.port}: no-endpoint-services -> reject"
            return (f"service-ips -> {nft_chain_name('service', base)}: numgen random mod {n} = {pos} -> "
                    f"{nft_chain_name('endpoint', nft_endpoint_base(base, plane.registry.ip[eid], plane.registry.port[eid]))}"
                    f" dnat to {self._endpoint(eid)}")
        if balancer is not None:
            try:
                text = (balancer.balancer.describe_pick(int(out.pick_i[i])) if pos >= 0
                        else "scheduler found no destination")
            except (IndexError, ValueError):
                text = f"{balancer.mode} -> {self._endpoint(eid)}"
            if balancer.category == "local":
                chain = svl_chain(spn, proto) if balancer.mode == "iptables" else "local endpoints"
                text = f"{chain}: {text}"
            return text
        return CODE_NAMES[int(out.outcome[i])].replace("_", " ")


def _hop(node, src, dst, src_after, dst_after, rule, latency) -> dict:
    return {"node": node, "src": src, "dst": dst, "src_after": src_after, "dst_after": dst_after,
            "rule": rule, "latency_ms": round(float(latency), 6)}

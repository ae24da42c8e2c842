"""What became of a request: delivered, or dropped for one of these named reasons (shown in the CLI, charts
and traces)."""

DROP_REASONS = {
    "refused": "no endpoints: kube-proxy REJECTs (IPVS: ICMP port unreachable), connection refused at once",
    "no_destination": "the IPVS virtual server has no usable real server (none, or all quiesced): ICMP "
                      "port unreachable, refused at once",
    "timeout_dead_endpoint": "kube-proxy still sent the connection to a pod whose node or container is dead",
    "no_local_endpoints": "traffic policy Local and no endpoint on this node: the packet is DROPped",
    "reply_discarded": "IPVS ETP=Local fallback sent it to another node without SNAT; the reply is discarded",
    "node_down": "the node the packet was sent to (or the node its connection's NAT lives on) is down",
    "client_down": "the client is a pod on a node that is down: nothing leaves it",
    "no_healthy_nodes": "the external load balancer has no healthy node for this Service",
    "no_route": "the address is not reachable from where the client is (e.g. a ClusterIP from outside)",
    "nxdomain": "the DNS name does not resolve",
    "no_such_port": "the Service has no such port",
    "static_route_dead": "static route to a pod IP that no running pod holds any more",
    "no_ingress_controller": "no Ingress controller runs, so nothing answers for Ingress hosts",
    "http_404": "the ingress controller matched no rule and has no default backend: 404",
    "not_in_source_ranges": "sent to a load-balancer IP from outside the Service's loadBalancerSourceRanges: "
                            "kube-proxy's firewall chain (KUBE-FW-...) does not accept it and KUBE-PROXY-FIREWALL "
                            "DROPs it",
}
OUTCOME_CODES = {"delivered": 0, **{k: i + 1 for i, k in enumerate(DROP_REASONS)}}
CODE_NAMES = {v: k for k, v in OUTCOME_CODES.items()}

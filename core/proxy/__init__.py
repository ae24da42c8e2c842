"""kube-proxy data plane: load-balancing algorithms per mode and the rule text each mode programs."""

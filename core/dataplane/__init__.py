"""The Service data plane: traffic generation, path resolution, per-node kube-proxy, traces and metrics."""

from core.dataplane.plane import DROP_REASONS, DataPlane, TrafficTick

__all__ = ["DataPlane", "TrafficTick", "DROP_REASONS"]

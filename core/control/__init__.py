"""The control plane: scheduler, node lifecycle, workload controllers, EndpointSlices and kube-proxy views."""

from core.control.controlplane import ControlPlane
from core.control.scheduler import Placement

__all__ = ["ControlPlane", "Placement"]

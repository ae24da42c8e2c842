"""PodPath's simulation core: Kubernetes model, scenario files, control plane, data plane and CLI (no Qt)."""

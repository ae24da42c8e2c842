"""Event reasons and messages in kube-controller-manager / kubelet / kube-scheduler wording, and object names.

``kubectl get events`` lines come from several components; PodPath records the ones a Service-networking
story needs:

========================  =======  ==============  ======================================================
reason                    type     object          message
========================  =======  ==============  ======================================================
SuccessfulCreate          Normal   replicaset/...  ``Created pod: web-7d4b9c8f5x-x2k1q``
SuccessfulDelete          Normal   replicaset/...  ``Deleted pod: web-7d4b9c8f5x-x2k1q``
ScalingReplicaSet         Normal   deployment/...  ``Scaled up replica set web-7d4b9c8f5x to 5 from 3``
Scheduled                 Normal   pod/...         ``Successfully assigned default/web-... to node-2``
FailedScheduling          Warning  pod/...         ``0/3 nodes are available: ...``
Killing                   Normal   pod/...         ``Stopping container web``
NodeNotReady              Normal   node/...        ``Node node-2 status is now: NodeNotReady``
NodeNotReady              Warning  pod/...         ``Node is not ready``
TaintManagerEviction      Normal   pod/...         ``Marking for deletion Pod default/web-...``
TaintManagerEviction      Normal   pod/...         ``Cancelling deletion of Pod default/web-...``
FailedCreatePodSandBox    Warning  pod/...         the IPAM error (first failure; kubelet retries)
NodeReady                 Normal   node/...        ``Node node-2 status is now: NodeReady``
NodeNotSchedulable        Normal   node/...        ``Node node-2 status is now: NodeNotSchedulable``
NodeSchedulable           Normal   node/...        ``Node node-2 status is now: NodeSchedulable``
========================  =======  ==============  ======================================================
"""

from __future__ import annotations

import hashlib

import numpy as np

# k8s.io/apimachinery/pkg/util/rand: the alphabet of generated name suffixes (no vowels, no 0/1/3)
NAME_ALPHABET = "bcdfghjklmnpqrstvwxz2456789"


def template_hash(text: str, length: int = 10) -> str:
    """A stable pod-template-hash-like string for a template (deterministic across processes)."""
    digest = int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "big")
    out = []
    for _ in range(length):
        digest, r = divmod(digest, len(NAME_ALPHABET))
        out.append(NAME_ALPHABET[r])
    return "".join(out)


def random_suffix(rng: np.random.Generator, length: int = 5) -> str:
    """generateName's random suffix, drawn from the simulation's generator."""
    return "".join(NAME_ALPHABET[int(i)] for i in rng.integers(0, len(NAME_ALPHABET), length))


def owner_suffix(seed: int, owner: str, n: int, length: int = 5) -> str:
    """The ``n``-th generated-name suffix of the pods of ``owner`` (``Kind/namespace/name``) in a run seeded
    with ``seed``: ``length`` letters of ``NAME_ALPHABET`` from SHA-256 of ``seed/owner/n``. Upstream draws
    the suffix from a process-wide random source; keying it by owner keeps one workload's pod names the same
    whatever other workloads are added, removed or scaled (and in whichever order controllers run)."""
    digest = int.from_bytes(hashlib.sha256(f"{int(seed)}/{owner}/{int(n)}".encode()).digest()[:8], "big")
    out = []
    for _ in range(length):
        digest, r = divmod(digest, len(NAME_ALPHABET))
        out.append(NAME_ALPHABET[r])
    return "".join(out)


def node_object(name: str) -> str:
    return f"node/{name}"


def pod_object(namespace: str, name: str) -> str:
    return f"pod/{namespace}/{name}"


def workload_object(kind: str, namespace: str, name: str) -> str:
    return f"{kind.lower()}/{namespace}/{name}"


def node_status(name: str, status: str) -> str:
    """RecordNodeStatusChange: ``Node <name> status is now: <status>``."""
    return f"Node {name} status is now: {status}"


def scheduled(namespace: str, pod: str, node: str) -> str:
    return f"Successfully assigned {namespace}/{pod} to {node}"


def scaled(rs_name: str, old: int, new: int) -> str:
    """deployment controller: ``Scaled %s replica set %s to %d from %d``."""
    direction = "up" if new > old else "down"
    return f"Scaled {direction} replica set {rs_name} to {new} from {old}"

"""Registry of the kinds a scenario may hold: apiVersions, scope, field schemas of non-Kubernetes kinds, enums.

Kubernetes kinds take their field tables from ``k8s_schema`` (generated from the official OpenAPI
schemas). The configuration kinds (kubeadm, kube-proxy, kube-scheduler) and PodPath's own kinds are
described here in the same compact form (see ``schema_gen`` for the type codes). Kinds that are in
neither table are kept unchanged and not checked.
"""

from __future__ import annotations

from core.model import IPVS_SCHEDULERS, ObjectRef
from core.scenario.k8s_schema import BUILTIN_KINDS
from core.scenario.k8s_schema import FIELDS as K8S_FIELDS
from core.scenario.k8s_schema import REQUIRED as K8S_REQUIRED
from core.scenario.k8s_schema import ROOTS as K8S_ROOTS

PODPATH_API = "podpath.dev/v1alpha1"
KUBEADM_APIS = ("kubeadm.k8s.io/v1beta4", "kubeadm.k8s.io/v1beta3")
KUBEPROXY_API = "kubeproxy.config.k8s.io/v1alpha1"
KUBESCHEDULER_API = "kubescheduler.config.k8s.io/v1"

WORKLOAD_KINDS = ("Deployment", "StatefulSet", "ReplicaSet", "DaemonSet")
CONFIG_KINDS = ("ClusterConfiguration", "KubeProxyConfiguration", "KubeSchedulerConfiguration")
PODPATH_KINDS = ("Client", "Traffic", "Timeline", "Simulation", "Lesson")

CLUSTER_SCOPED = frozenset({
    "Node", "Namespace", "IngressClass", "ClusterRole", "ClusterRoleBinding", "PersistentVolume",
    "StorageClass", "PriorityClass", "RuntimeClass", "CustomResourceDefinition", "APIService", "CSIDriver",
    "CSINode", "ValidatingWebhookConfiguration", "MutatingWebhookConfiguration",
    "ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding", "VolumeAttachment", "ComponentStatus",
    "ServiceCIDR", "IPAddress", "InitConfiguration", "JoinConfiguration", "KubeletConfiguration",
    "PodSecurityPolicy",  # cluster-scoped while it was served (policy/v1beta1, removed in v1.25)
    *CONFIG_KINDS, *PODPATH_KINDS,
})

# API versions real manifests still carry that kube-apiserver no longer serves: (apiVersion, kind) -> (the release
# that removed it, the version to use instead or None). From the Kubernetes deprecated API migration guide
# (kubernetes.io/docs/reference/using-api/deprecation-guide/); kubectl refuses them with "no matches for kind".
REMOVED_APIS: dict[tuple[str, str], tuple[str, str | None]] = {
    **{(api, k): ("v1.16", "apps/v1") for api in ("extensions/v1beta1", "apps/v1beta1", "apps/v1beta2")
       for k in ("Deployment", "DaemonSet", "ReplicaSet", "StatefulSet") if (api, k) != ("extensions/v1beta1",
                                                                              "StatefulSet")},
    ("extensions/v1beta1", "NetworkPolicy"): ("v1.16", "networking.k8s.io/v1"),
    ("extensions/v1beta1", "PodSecurityPolicy"): ("v1.16", None),
    ("extensions/v1beta1", "Ingress"): ("v1.22", "networking.k8s.io/v1"),
    ("networking.k8s.io/v1beta1", "Ingress"): ("v1.22", "networking.k8s.io/v1"),
    ("networking.k8s.io/v1beta1", "IngressClass"): ("v1.22", "networking.k8s.io/v1"),
    **{(f"{g}/v1beta1", k): ("v1.22", f"{g}/v1") for g, kinds in (
        ("admissionregistration.k8s.io", ("MutatingWebhookConfiguration", "ValidatingWebhookConfiguration")),
        ("apiextensions.k8s.io", ("CustomResourceDefinition",)),
        ("apiregistration.k8s.io", ("APIService",)),
        ("authentication.k8s.io", ("TokenReview",)),
        ("authorization.k8s.io", ("LocalSubjectAccessReview", "SelfSubjectAccessReview", "SubjectAccessReview")),
        ("certificates.k8s.io", ("CertificateSigningRequest",)),
        ("coordination.k8s.io", ("Lease",)),
        ("rbac.authorization.k8s.io", ("ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding")),
        ("scheduling.k8s.io", ("PriorityClass",)),
        ("storage.k8s.io", ("CSIDriver", "CSINode", "StorageClass", "VolumeAttachment")),
    ) for k in kinds},
    ("batch/v1beta1", "CronJob"): ("v1.25", "batch/v1"),
    ("discovery.k8s.io/v1beta1", "EndpointSlice"): ("v1.25", "discovery.k8s.io/v1"),
    ("events.k8s.io/v1beta1", "Event"): ("v1.25", "events.k8s.io/v1"),
    ("autoscaling/v2beta1", "HorizontalPodAutoscaler"): ("v1.25", "autoscaling/v2"),
    ("policy/v1beta1", "PodDisruptionBudget"): ("v1.25", "policy/v1"),
    ("policy/v1beta1", "PodSecurityPolicy"): ("v1.25", None),
    ("node.k8s.io/v1beta1", "RuntimeClass"): ("v1.25", "node.k8s.io/v1"),
    ("autoscaling/v2beta2", "HorizontalPodAutoscaler"): ("v1.26", "autoscaling/v2"),
    ("flowcontrol.apiserver.k8s.io/v1beta1", "FlowSchema"): ("v1.26", "flowcontrol.apiserver.k8s.io/v1"),
    ("flowcontrol.apiserver.k8s.io/v1beta1", "PriorityLevelConfiguration"): ("v1.26",
                                                                             "flowcontrol.apiserver.k8s.io/v1"),
    ("storage.k8s.io/v1beta1", "CSIStorageCapacity"): ("v1.27", "storage.k8s.io/v1"),
    ("flowcontrol.apiserver.k8s.io/v1beta2", "FlowSchema"): ("v1.29", "flowcontrol.apiserver.k8s.io/v1"),
    ("flowcontrol.apiserver.k8s.io/v1beta2", "PriorityLevelConfiguration"): ("v1.29",
                                                                             "flowcontrol.apiserver.k8s.io/v1"),
    ("flowcontrol.apiserver.k8s.io/v1beta3", "FlowSchema"): ("v1.32", "flowcontrol.apiserver.k8s.io/v1"),
    ("flowcontrol.apiserver.k8s.io/v1beta3", "PriorityLevelConfiguration"): ("v1.32",
                                                                             "flowcontrol.apiserver.k8s.io/v1"),
}

# PodPath annotations (documented in docs/scenario-format.md)
ANN_POSITION = "podpath.dev/position"
ANN_READINESS_DELAY = "podpath.dev/readiness-delay"
ANN_FORMAT_VERSION = "podpath.dev/format-version"
ANN_STRATEGY = "podpath.dev/strategy"
PODPATH_PREFIX = "podpath.dev/"

_META = "@meta.v1.ObjectMeta"

EXTRA_FIELDS: dict[str, dict[str, str]] = {
    # kubeadm ClusterConfiguration (v1beta4; v1beta3's extraArgs map accepted too)
    "kubeadm.ClusterConfiguration": {
        "apiVersion": "string", "kind": "string", "metadata": _META, "etcd": "object",
        "networking": "@kubeadm.Networking", "kubernetesVersion": "string", "controlPlaneEndpoint": "string",
        "apiServer": "@kubeadm.APIServer", "controllerManager": "@kubeadm.ControlPlaneComponent",
        "scheduler": "@kubeadm.ControlPlaneComponent", "dns": "object", "proxy": "object",
        "certificatesDir": "string", "imageRepository": "string", "featureGates": "object",
        "clusterName": "string", "encryptionAlgorithm": "string", "certificateValidityPeriod": "string",
        "caCertificateValidityPeriod": "string",
    },
    "kubeadm.Networking": {"serviceSubnet": "string", "podSubnet": "string", "dnsDomain": "string"},
    "kubeadm.APIServer": {"extraArgs": "object", "extraVolumes": "[]object", "extraEnvs": "[]object",
                          "certSANs": "[]string", "timeoutForControlPlane": "string"},
    "kubeadm.ControlPlaneComponent": {"extraArgs": "object", "extraVolumes": "[]object", "extraEnvs": "[]object"},
    # kube-proxy KubeProxyConfiguration v1alpha1
    "kubeproxy.KubeProxyConfiguration": {
        "apiVersion": "string", "kind": "string", "metadata": _META, "featureGates": "object",
        "clientConnection": "object", "logging": "object", "hostnameOverride": "string",
        "bindAddress": "string", "healthzBindAddress": "string", "metricsBindAddress": "string",
        "bindAddressHardFail": "boolean", "enableProfiling": "boolean", "showHiddenMetricsForVersion": "string",
        "mode": "string", "iptables": "@kubeproxy.IPTables", "ipvs": "@kubeproxy.IPVS",
        "nftables": "@kubeproxy.NFTables", "winkernel": "object", "detectLocalMode": "string",
        "detectLocal": "object", "clusterCIDR": "string", "nodePortAddresses": "[]string",
        "oomScoreAdj": "integer", "conntrack": "object", "configSyncPeriod": "string", "portRange": "string",
        "linux": "@kubeproxy.Linux", "windowsRunAsService": "boolean", "syncPeriod": "string",
        "minSyncPeriod": "string",
    },
    "kubeproxy.IPTables": {"masqueradeAll": "boolean", "masqueradeBit": "integer", "localhostNodePorts": "boolean",
                           "minSyncPeriod": "string", "syncPeriod": "string"},
    "kubeproxy.IPVS": {"excludeCIDRs": "[]string", "minSyncPeriod": "string", "scheduler": "string",
                       "strictARP": "boolean", "syncPeriod": "string", "tcpTimeout": "string",
                       "tcpFinTimeout": "string", "udpTimeout": "string"},
    "kubeproxy.NFTables": {"masqueradeAll": "boolean", "masqueradeBit": "integer", "minSyncPeriod": "string",
                           "syncPeriod": "string"},
    "kubeproxy.Linux": {"conntrack": "object", "masqueradeAll": "boolean", "oomScoreAdj": "integer"},
    # kube-scheduler KubeSchedulerConfiguration v1
    "kubescheduler.KubeSchedulerConfiguration": {
        "apiVersion": "string", "kind": "string", "metadata": _META, "parallelism": "integer",
        "leaderElection": "object", "clientConnection": "object", "healthzBindAddress": "string",
        "metricsBindAddress": "string", "enableProfiling": "boolean", "enableContentionProfiling": "boolean",
        "percentageOfNodesToScore": "integer", "podInitialBackoffSeconds": "integer",
        "podMaxBackoffSeconds": "integer", "profiles": "[]@kubescheduler.Profile", "extenders": "[]object",
        "delayCacheUntilActive": "boolean", "featureGates": "object",
    },
    "kubescheduler.Profile": {"schedulerName": "string", "percentageOfNodesToScore": "integer",
                              "plugins": "object", "pluginConfig": "[]@kubescheduler.PluginConfig"},
    "kubescheduler.PluginConfig": {"name": "string", "args": "object"},
    # PodPath's own kinds
    "podpath.Client": {"apiVersion": "string", "kind": "string", "metadata": _META, "spec": "@podpath.ClientSpec"},
    "podpath.ClientSpec": {"location": "string", "ip": "string", "node": "string"},
    "podpath.Traffic": {"apiVersion": "string", "kind": "string", "metadata": _META,
                        "spec": "@podpath.TrafficSpec"},
    "podpath.TrafficSpec": {"client": "string", "target": "string", "rate": "number", "connection": "string",
                            "requestsPerConnection": "integer", "start": "number", "stop": "number",
                            "path": "string"},
    "podpath.Timeline": {"apiVersion": "string", "kind": "string", "metadata": _META,
                         "spec": "@podpath.TimelineSpec"},
    "podpath.TimelineSpec": {"events": "[]@podpath.TimelineEvent"},
    "podpath.TimelineEvent": {"at": "number", "action": "string", "target": "string",
                              "value": "intstrobject"},
    "podpath.Simulation": {"apiVersion": "string", "kind": "string", "metadata": _META,
                           "spec": "@podpath.SimulationSpec"},
    "podpath.SimulationSpec": {"seed": "integer", "tick": "number", "preset": "string",
                               "timing": "@podpath.Timing", "network": "@podpath.Network"},
    "podpath.Timing": {"nodeMonitorPeriod": "number", "nodeMonitorGracePeriod": "number",
                       "heartbeatInterval": "number", "tolerationSeconds": "number", "proxySyncDelay": "number",
                       "endpointSliceDelay": "number", "podStartup": "number", "terminationGrace": "number"},
    "podpath.Network": {"nodeSubnet": "string", "loadBalancerPool": "string", "externalClientPool": "string"},
    # Lesson: captions and predict-then-reveal pauses over the scenario's own timeline (docs/lessons.md);
    # read by the lesson player only, the simulation ignores it
    "podpath.Lesson": {"apiVersion": "string", "kind": "string", "metadata": _META, "spec": "@podpath.LessonSpec"},
    "podpath.LessonSpec": {"title": "@podpath.Text", "summary": "@podpath.Text", "order": "integer",
                           "steps": "[]@podpath.LessonStep", "table": "[]@podpath.LessonRow"},
    "podpath.LessonStep": {"until": "number", "caption": "@podpath.Text", "focus": "[]string",
                           "predict": "@podpath.LessonPredict", "checks": "[]@podpath.LessonCheck"},
    "podpath.LessonPredict": {"question": "@podpath.Text", "choices": "[]@podpath.Text",
                              "answer": "@podpath.Text", "checks": "[]@podpath.LessonCheck"},
    "podpath.LessonCheck": {"traffic": "[]string", "from": "number", "to": "number",
                            "delivered": "@podpath.Range", "dropped": "{}@podpath.Range",
                            "nodes": "{}@podpath.Range", "ips": "{}@podpath.Range", "endpoints": "@podpath.Range",
                            "spread": "@podpath.Range", "latencyP50": "@podpath.Range"},
    "podpath.Range": {"min": "number", "max": "number"},
    "podpath.LessonRow": {"row": "@podpath.Text", "cells": "[]@podpath.LessonCell"},
    "podpath.LessonCell": {"column": "string", "value": "string", "note": "@podpath.Text", "lesson": "string",
                           "step": "integer"},
    "podpath.Text": {"ko": "string", "en": "string"},
}

EXTRA_REQUIRED: dict[str, tuple[str, ...]] = {
    "podpath.TrafficSpec": ("client", "target"),
    "podpath.TimelineEvent": ("action", "at"),
    "podpath.Client": ("metadata",),
    "podpath.Traffic": ("metadata", "spec"),
    "podpath.Timeline": ("metadata", "spec"),
    "podpath.Lesson": ("metadata", "spec"),
    "podpath.LessonSpec": ("title", "steps"),
    "podpath.LessonStep": ("until", "caption"),
    "podpath.LessonPredict": ("question", "answer"),
    "podpath.Text": ("ko", "en"),
    "podpath.LessonCheck": ("from", "to"),
    "kubescheduler.PluginConfig": ("name",),
}

EXTRA_ROOTS: dict[tuple[str, str], str] = {
    **{(api, "ClusterConfiguration"): "kubeadm.ClusterConfiguration" for api in KUBEADM_APIS},
    (KUBEPROXY_API, "KubeProxyConfiguration"): "kubeproxy.KubeProxyConfiguration",
    (KUBESCHEDULER_API, "KubeSchedulerConfiguration"): "kubescheduler.KubeSchedulerConfiguration",
    **{(PODPATH_API, k): f"podpath.{k}" for k in PODPATH_KINDS},
}

FIELDS: dict[str, dict[str, str]] = {**K8S_FIELDS, **EXTRA_FIELDS}
REQUIRED: dict[str, tuple[str, ...]] = {**K8S_REQUIRED, **EXTRA_REQUIRED}
ROOTS: dict[tuple[str, str], str] = {**K8S_ROOTS, **EXTRA_ROOTS}
MODELLED_KINDS = frozenset(kind for _, kind in ROOTS)

TIMELINE_ACTIONS = ("failNode", "recoverNode", "deletePod", "scale", "cordon", "uncordon", "drain",
                    "setProxyMode", "setIPVSScheduler", "setScheduler", "setTimingPreset",
                    "applyObject", "deleteObject")

# (definition, field) -> allowed values, in the order kube-apiserver lists them
ENUMS: dict[tuple[str, str], tuple[str, ...]] = {
    ("core.v1.ServiceSpec", "type"): ("ClusterIP", "ExternalName", "LoadBalancer", "NodePort"),
    ("core.v1.ServiceSpec", "sessionAffinity"): ("ClientIP", "None"),
    ("core.v1.ServiceSpec", "externalTrafficPolicy"): ("Cluster", "Local"),
    ("core.v1.ServiceSpec", "internalTrafficPolicy"): ("Cluster", "Local"),
    ("core.v1.ServicePort", "protocol"): ("SCTP", "TCP", "UDP"),
    ("core.v1.ContainerPort", "protocol"): ("SCTP", "TCP", "UDP"),
    ("networking.v1.HTTPIngressPath", "pathType"): ("Exact", "ImplementationSpecific", "Prefix"),
    ("core.v1.Taint", "effect"): ("NoExecute", "NoSchedule", "PreferNoSchedule"),
    ("core.v1.Toleration", "operator"): ("Equal", "Exists"),
    ("core.v1.Toleration", "effect"): ("", "NoExecute", "NoSchedule", "PreferNoSchedule"),
    ("kubeproxy.KubeProxyConfiguration", "mode"): ("", "iptables", "ipvs", "nftables", "userspace"),
    ("kubeproxy.IPVS", "scheduler"): ("", *IPVS_SCHEDULERS),
    ("podpath.ClientSpec", "location"): ("external", "internal"),
    ("podpath.TrafficSpec", "connection"): ("keepalive", "new"),
    ("podpath.TimelineEvent", "action"): TIMELINE_ACTIONS,
    ("podpath.SimulationSpec", "preset"): ("classroom", "realistic"),
}


# API group -> kinds served there: the Kubernetes API (generated), older groups real manifests still carry,
# and the configuration groups. An object of any other group (a CRD such as serving.knative.dev) is kept
# unchanged, and its identity carries the group so it never collides with a built-in kind of the same name.
KNOWN_KINDS: dict[str, frozenset[str]] = {
    **{g: frozenset(k) for g, k in BUILTIN_KINDS.items()},
    "": frozenset((*BUILTIN_KINDS[""], "List")),
    "extensions": frozenset(("Deployment", "DaemonSet", "ReplicaSet", "Ingress", "NetworkPolicy",
                             "PodSecurityPolicy")),
    "kubeadm.k8s.io": frozenset(("ClusterConfiguration", "InitConfiguration", "JoinConfiguration",
                                 "ResetConfiguration", "UpgradeConfiguration")),
    "kubeproxy.config.k8s.io": frozenset(("KubeProxyConfiguration",)),
    "kubescheduler.config.k8s.io": frozenset(("KubeSchedulerConfiguration",)),
    "kubelet.config.k8s.io": frozenset(("KubeletConfiguration", "CredentialProviderConfig")),
    "podpath.dev": frozenset(PODPATH_KINDS),
}


def api_group(api_version: object) -> str | None:
    """``apps/v1`` -> ``apps``, ``v1`` -> ``""`` (core), None when apiVersion is not a string."""
    if not isinstance(api_version, str):
        return None
    group, sep, _ = api_version.partition("/")
    return group if sep else ""


def is_known_group(group: str | None) -> bool:
    return group is not None and group in KNOWN_KINDS


def root_definition(api_version: object, kind: object) -> str | None:
    """Schema definition of a top-level object, or None for a kind PodPath keeps but does not check."""
    if not isinstance(api_version, str) or not isinstance(kind, str):
        return None
    return ROOTS.get((api_version, kind))


def api_versions_of(kind: str) -> list[str]:
    return sorted(api for api, k in ROOTS if k == kind)


def object_ref(raw: object) -> ObjectRef:
    """Identity of a raw object; namespaced kinds default to namespace ``default``.

    Kinds of API groups PodPath does not know (CRDs) are qualified with their group, ``Service.serving.knative.dev``,
    so they never collide with the built-in kind of the same name."""
    if not isinstance(raw, dict):
        return ObjectRef("", "", "")
    kind = raw.get("kind")
    kind = kind if isinstance(kind, str) else ""
    group = api_group(raw.get("apiVersion"))
    if kind and group and not is_known_group(group):
        kind = f"{kind}.{group}"  # kubectl's kind.group form: a CRD's Service is not the core Service
    meta = raw.get("metadata")
    meta = meta if isinstance(meta, dict) else {}
    name = meta.get("name")
    name = name if isinstance(name, str) else ""
    if kind in CLUSTER_SCOPED:
        return ObjectRef(kind, "", name)
    ns = meta.get("namespace")
    return ObjectRef(kind, ns if isinstance(ns, str) and ns else "default", name)


def ref_label(ref: ObjectRef) -> str:
    """``Service default/web``, ``Node n1``, or just ``KubeProxyConfiguration`` for a nameless object."""
    return str(ref).strip()


def is_podpath_key(key: str) -> bool:
    return key.startswith(PODPATH_PREFIX)

"""Name syntax as kube-apiserver checks it, with its own messages.

Sources (kubernetes/kubernetes):
- staging/src/k8s.io/apimachinery/pkg/util/validation/validation.go: IsDNS1123Label, IsDNS1123Subdomain,
  IsDNS1035Label, IsValidPortName, MaxLenError, RegexError, EmptyError
- staging/src/k8s.io/apimachinery/pkg/api/validate/content/kube.go (util/validation before 1.34):
  IsQualifiedName (label keys), IsValidLabelValue
- staging/src/k8s.io/apimachinery/pkg/api/validation/objectmeta.go: ValidateObjectMeta (name, generateName,
  namespace, labels, annotations)
- pkg/apis/core/validation/validation.go: ValidatePodName, ValidateNodeName, ValidateServiceName (DNS-1035),
  ValidateNamespaceName (DNS-1123 label), validateContainerPorts (port names are IANA_SVC_NAME),
  validateServicePort (Service port names are DNS-1123 labels; targetPort names are IANA_SVC_NAME)
- pkg/apis/apps/validation/validation.go and pkg/apis/networking/validation/validation.go: Deployments,
  ReplicaSets, DaemonSets, StatefulSets, Ingresses and IngressClasses are DNS-1123 subdomains.

Go measures length in bytes (``len(string)``), so lengths here are UTF-8 byte counts; every pattern must
match the whole value (Go's ``^…$`` has no trailing-newline allowance, hence ``fullmatch``).
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable

DNS1123_LABEL_FMT = "[a-z0-9]([-a-z0-9]*[a-z0-9])?"
DNS1123_LABEL_MSG = ("a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and "
                     "must start and end with an alphanumeric character")
DNS1123_SUBDOMAIN_FMT = DNS1123_LABEL_FMT + r"(\." + DNS1123_LABEL_FMT + ")*"
DNS1123_SUBDOMAIN_MSG = ("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or "
                         "'.', and must start and end with an alphanumeric character")
DNS1035_LABEL_FMT = "[a-z]([-a-z0-9]*[a-z0-9])?"
DNS1035_LABEL_MSG = ("a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an "
                     "alphabetic character, and end with an alphanumeric character")
QUALIFIED_NAME_FMT = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]"
QUALIFIED_NAME_MSG = ("must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an "
                      "alphanumeric character")
LABEL_VALUE_FMT = "(" + QUALIFIED_NAME_FMT + ")?"
LABEL_VALUE_MSG = ("a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', "
                   "and must start and end with an alphanumeric character")

_LABEL = re.compile(DNS1123_LABEL_FMT)
_SUBDOMAIN = re.compile(DNS1123_SUBDOMAIN_FMT)
_DNS1035 = re.compile(DNS1035_LABEL_FMT)
_QUALIFIED = re.compile(QUALIFIED_NAME_FMT)
_LABEL_VALUE = re.compile(LABEL_VALUE_FMT)
_PORT_CHARSET = re.compile("[-a-z0-9]+")


def _len(value: str) -> int:
    return len(value.encode("utf-8", "surrogatepass"))


def max_len_error(length: int) -> str:
    return f"must be no more than {length} characters"


def regex_error(msg: str, fmt: str, *examples: str) -> str:
    """apimachinery's RegexError, byte for byte (including its double space before "or")."""
    if not examples:
        return f"{msg} (regex used for validation is '{fmt}')"
    msg += " (e.g. "
    for i, example in enumerate(examples):
        if i > 0:
            msg += " or "
        msg += f"'{example}', "
    return msg + f"regex used for validation is '{fmt}')"


def dns1123_label(value: str) -> list[str]:
    errs = []
    if _len(value) > 63:
        errs.append(max_len_error(63))
    if not _LABEL.fullmatch(value):
        if _SUBDOMAIN.fullmatch(value):
            errs.append("must not contain dots")
        else:
            errs.append(regex_error(DNS1123_LABEL_MSG, DNS1123_LABEL_FMT, "my-name", "123-abc"))
    return errs


def dns1123_subdomain(value: str) -> list[str]:
    errs = []
    if _len(value) > 253:
        errs.append(max_len_error(253))
    if not _SUBDOMAIN.fullmatch(value):
        errs.append(regex_error(DNS1123_SUBDOMAIN_MSG, DNS1123_SUBDOMAIN_FMT, "example.com"))
    return errs


def dns1035_label(value: str) -> list[str]:
    errs = []
    if _len(value) > 63:
        errs.append(max_len_error(63))
    if not _DNS1035.fullmatch(value):
        errs.append(regex_error(DNS1035_LABEL_MSG, DNS1035_LABEL_FMT, "my-name", "abc-123"))
    return errs


def port_name(value: str) -> list[str]:
    """IANA_SVC_NAME (RFC 6335) as IsValidPortName checks it: container port names and targetPort names."""
    errs = []
    if _len(value) > 15:
        errs.append(max_len_error(15))
    if not _PORT_CHARSET.fullmatch(value):
        errs.append("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)")
    if not re.search("[a-z]", value):
        errs.append("must contain at least one letter (a-z)")
    if "--" in value:
        errs.append("must not contain consecutive hyphens")
    if value and (value[0] == "-" or value[-1] == "-"):
        errs.append("must not begin or end with a hyphen")
    return errs


def qualified_name(value: str) -> list[str]:
    """A label key (or annotation key): an optional DNS-1123 subdomain prefix and '/', then a name of at
    most 63 characters."""
    errs = []
    parts = value.split("/")
    if len(parts) == 1:
        name = parts[0]
    elif len(parts) == 2:
        prefix, name = parts
        if not prefix:
            errs.append("prefix part must be non-empty")
        else:
            errs.extend("prefix part " + m for m in dns1123_subdomain(prefix))
    else:
        return [f"a qualified name {regex_error(QUALIFIED_NAME_MSG, QUALIFIED_NAME_FMT, 'MyName', 'my.name', '123-abc')}"
                " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"]
    if not name:
        errs.append("name part must be non-empty")
    elif _len(name) > 63:
        errs.append("name part " + max_len_error(63))
    if not _QUALIFIED.fullmatch(name):
        errs.append("name part " + regex_error(QUALIFIED_NAME_MSG, QUALIFIED_NAME_FMT, "MyName", "my.name",
                                               "123-abc"))
    return errs


def label_value(value: str) -> list[str]:
    errs = []
    if _len(value) > 63:
        errs.append(max_len_error(63))
    if not _LABEL_VALUE.fullmatch(value):
        errs.append(regex_error(LABEL_VALUE_MSG, LABEL_VALUE_FMT, "MyValue", "my_value", "12345"))
    return errs


WILDCARD_FMT = r"\*\." + DNS1123_SUBDOMAIN_FMT
WILDCARD_MSG = ("a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, which must "
                "consist of lower case alphanumeric characters, '-' or '.' and end with an alphanumeric character")
_WILDCARD = re.compile(WILDCARD_FMT)


def wildcard_subdomain(value: str) -> list[str]:
    errs = []
    if _len(value) > 253:
        errs.append(max_len_error(253))
    if not _WILDCARD.fullmatch(value):
        errs.append(regex_error(WILDCARD_MSG, WILDCARD_FMT, "*.example.com"))
    return errs


def ingress_host(value: str) -> list[str]:
    """An Ingress rule host (validateIngressRules): a DNS name, not an IP; a '*' makes it a wildcard."""
    errs = []
    try:
        ipaddress.ip_address(value)
        errs.append("must be a DNS name, not an IP address")
    except ValueError:
        pass
    return errs + (wildcard_subdomain(value) if "*" in value else dns1123_subdomain(value))


def _mask_trailing_dash(name: str) -> str:
    """generateName may end in '-' (a random suffix follows): apimachinery's maskTrailingDash."""
    return name[:-1] + "a" if len(name) > 1 and name.endswith("-") else name


NameCheck = Callable[[str], list[str]]

# How each kind's metadata.name is checked (the apiserver's nameFn for that kind); kinds not listed here are
# not modelled and kept unchanged, and PodPath's own kinds are checked as DNS-1123 subdomains.
OBJECT_NAME_RULES: dict[str, NameCheck] = {
    "Service": dns1035_label,  # ValidateServiceName = NameIsDNS1035Label
    "Namespace": dns1123_label,  # ValidateNamespaceName = NameIsDNSLabel
    "StatefulSet": dns1123_label,  # ValidateStatefulSetName = NameIsDNSLabel (room for the "-N" suffix)
    **dict.fromkeys(("Pod", "Node", "Deployment", "ReplicaSet", "DaemonSet", "Ingress", "IngressClass",
                     "ConfigMap", "Secret", "ServiceAccount", "Client", "Traffic", "Timeline"), dns1123_subdomain),
}


def object_name(kind: str, value: str, generate: bool = False) -> list[str] | None:
    """Problems with ``value`` as the metadata.name (or, with ``generate``, metadata.generateName) of a
    ``kind``; None when PodPath does not know that kind's rule (RBAC names, for one, are path segments)."""
    check = OBJECT_NAME_RULES.get(kind)
    if check is None:
        return None
    return check(_mask_trailing_dash(value) if generate else value)

"""Ingress matching against the table in domain.md section d.3 (from the Ingress API documentation)."""

import pytest

from core.dataplane.ingress import host_matches, match_request, path_matches
from core.model import IngressBackend, IngressPath, IngressRule, IngressSpec


def _ing(paths, host=None, default=None, name="ing"):
    return IngressSpec("default", name, "nginx",
                       rules=(IngressRule(host, tuple(IngressPath(p, t, IngressBackend(f"svc{p}", 80))
                                                      for p, t in paths)),),
                       default_backend=default)


# (kind, paths, request path, expected matching path or None) -- the documented table, row by row
TABLE = [
    ("Prefix", ["/"], "/anything/at/all", "/"),
    ("Exact", ["/foo"], "/foo", "/foo"),
    ("Exact", ["/foo"], "/bar", None),
    ("Exact", ["/foo"], "/foo/", None),
    ("Exact", ["/foo/"], "/foo", None),
    ("Prefix", ["/foo"], "/foo", "/foo"),
    ("Prefix", ["/foo"], "/foo/", "/foo"),
    ("Prefix", ["/foo/"], "/foo", "/foo/"),
    ("Prefix", ["/foo/"], "/foo/", "/foo/"),
    ("Prefix", ["/aaa/bb"], "/aaa/bbb", None),
    ("Prefix", ["/aaa/bbb"], "/aaa/bbb", "/aaa/bbb"),
    ("Prefix", ["/aaa/bbb/"], "/aaa/bbb", "/aaa/bbb/"),
    ("Prefix", ["/aaa/bbb"], "/aaa/bbb/", "/aaa/bbb"),
    ("Prefix", ["/aaa/bbb"], "/aaa/bbb/ccc", "/aaa/bbb"),
    ("Prefix", ["/aaa/bbb"], "/aaa/bbbxyz", None),
    ("Prefix", ["/", "/aaa"], "/aaa/ccc", "/aaa"),
    ("Prefix", ["/", "/aaa", "/aaa/bbb"], "/aaa/bbb", "/aaa/bbb"),
    ("Prefix", ["/", "/aaa", "/aaa/bbb"], "/ccc", "/"),
    ("Prefix", ["/aaa"], "/ccc", None),
]


@pytest.mark.parametrize("kind,paths,request_path,expected", TABLE)
def test_documented_path_table(kind, paths, request_path, expected):
    m = match_request([_ing([(p, kind) for p in paths])], "any.example.com", request_path)
    assert (m.path if m else None) == expected


def test_default_backend_catches_unmatched():
    default = IngressBackend("fallback", 8080)
    m = match_request([_ing([("/aaa", "Prefix")], default=default)], "x", "/ccc")
    assert m.backend == default and m.path is None


def test_mixed_exact_preferred_over_prefix_of_same_length():
    ing = _ing([("/foo", "Prefix"), ("/foo", "Exact")])
    m = match_request([ing], "h", "/foo")
    assert (m.path, m.path_type) == ("/foo", "Exact")
    # a longer path still beats Exact on a shorter one
    ing2 = _ing([("/foo", "Exact"), ("/foo/bar", "Prefix")])
    assert match_request([ing2], "h", "/foo/bar/baz").path == "/foo/bar"


@pytest.mark.parametrize("rule,host,ok", [
    ("foo.bar.com", "foo.bar.com", True),
    ("foo.bar.com", "bar.com", False),
    ("*.foo.com", "bar.foo.com", True),
    ("*.foo.com", "baz.bar.foo.com", False),  # wildcard covers exactly one label
    ("*.foo.com", "foo.com", False),
    (None, "whatever.example", True),
    ("Foo.Bar.com", "foo.bar.com:8080", True),  # host header port and case are ignored
])
def test_host_matching(rule, host, ok):
    assert host_matches(rule, host) is ok


def test_exact_host_beats_wildcard_beats_hostless():
    exact = IngressSpec("default", "a", "nginx", rules=(
        IngressRule("shop.example.com", (IngressPath("/", "Prefix", IngressBackend("exact", 80)),)),))
    wild = IngressSpec("default", "b", "nginx", rules=(
        IngressRule("*.example.com", (IngressPath("/", "Prefix", IngressBackend("wild", 80)),)),))
    anyhost = IngressSpec("default", "c", "nginx", rules=(
        IngressRule(None, (IngressPath("/", "Prefix", IngressBackend("any", 80)),)),))
    ings = [anyhost, wild, exact]
    assert match_request(ings, "shop.example.com", "/").backend.service_name == "exact"
    assert match_request(ings, "api.example.com", "/").backend.service_name == "wild"
    assert match_request(ings, "example.org", "/").backend.service_name == "any"


def test_implementation_specific_regex_like_ingress_nginx():
    # ingress-nginx treats an ImplementationSpecific path with regex characters as a regex location
    assert path_matches("/tf(/|$)(.*)", "ImplementationSpecific", "/tf/v1/models")
    assert not path_matches("/tf(/|$)(.*)", "ImplementationSpecific", "/other")
    # without regex characters it behaves as Prefix
    assert path_matches("/api", "ImplementationSpecific", "/api/v1")
    assert not path_matches("/api", "ImplementationSpecific", "/apix")


def test_no_match_no_default_is_404():
    assert match_request([_ing([("/aaa", "Prefix")], host="a.example.com")], "b.example.com", "/aaa") is None


def test_trailing_slash_of_a_prefix_does_not_make_it_longer():
    # Prefix /foo/ is /foo for matching (trailing slash ignored), so for /foo the Exact /foo wins the tie
    ing = _ing([("/foo/", "Prefix"), ("/foo", "Exact")])
    m = match_request([ing], "h", "/foo")
    assert (m.path, m.path_type) == ("/foo", "Exact")
    assert match_request([ing], "h", "/foo/bar").path == "/foo/"

"""A node's kube-proxy rules as lines with a stable id per rule, so "the rule this packet matched" is a lookup.

``render_rules(model, state, node, mode)`` renders the text the node's kube-proxy programs (exactly what
``podpath rules`` prints: ``iptables-restore`` input, ``ipvsadm -Ln``, or the ``nft -f`` ruleset) and splits
it into ``RuleLine``s, each with an id derived from what the rule *is*, not where it is:

* iptables: ``iptables/<table>/<chain>/<match and target>`` -- the rule's arguments after ``-A <chain>`` with
  the two parts that change without the rule changing meaning left out: the ``-m comment --comment`` text and
  the ``-m statistic --mode random --probability p`` match (``p`` follows the endpoint count). A chain
  declaration ``:CHAIN - [0:0]`` is ``iptables/<table>/<chain>``.
  E.g. ``iptables/nat/KUBE-SVC-ABC.../-j KUBE-SEP-XYZ...`` is "pick this endpoint" whatever the probability.
* ipvs: ``ipvs/<PROT>/<vip>:<port>`` for a virtual server line and ``ipvs/<PROT>/<vip>:<port>/<rip>:<rport>``
  for one of its real servers (the connection counters are not part of the id).
* nftables: ``nftables/<chain>/<rule>`` for ``add rule`` lines (the ``comment "..."`` left out, and
  ``numgen random mod N vmap {...}`` written ``numgen random vmap``), ``nftables/<set or map>/<key>`` for an
  ``add element`` line (its key, not its verdict), ``nftables/<name>`` for ``add chain|map|set``.

Adding, removing or changing another Service, or scaling this one, leaves every other rule's id alone; the
same id names the same rule in every render. ``RuleSet.line(id)`` gives the text, ``RuleSet.find(...)`` the ids
of the rules of a chain jumping to a target. Helpers build the ids a packet sample needs without rendering:
``ipvs_rule_id``.
"""

from __future__ import annotations

import bisect
import re
import shlex
from dataclasses import dataclass, field
from typing import Any

MODES = ("iptables", "ipvs", "nftables")
_IPV4 = re.compile(r"(?<![\d.])\d{1,3}(?:\.\d{1,3}){3}(?![\d])")
_NEWLINE = re.compile("\n")


@dataclass(frozen=True)
class RuleLine:
    """One line of rule text; ``id`` is None for lines that are not rules (headers, COMMIT, blank lines)."""

    number: int  # 1-based line number in the text
    text: str
    id: str | None = None
    chain: str | None = None  # iptables/nftables chain, or the IPVS virtual server "PROT vip:port"
    target: str | None = None  # iptables -j target, nftables jump/goto chain, IPVS real server "rip:rport"


@dataclass
class RuleSet:
    """The rules of one node in one mode (``text`` is byte-identical to what ``podpath rules`` prints)."""

    node: str
    mode: str
    text: str
    lines: list[RuleLine]
    by_id: dict[str, RuleLine] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.by_id = {ln.id: ln for ln in self.lines if ln.id is not None}
        self._by_chain: dict[str | None, list[RuleLine]] = {}
        for ln in self.lines:
            if ln.id is not None:
                self._by_chain.setdefault(ln.chain, []).append(ln)

    def line(self, rule_id: str) -> str | None:
        """The text of rule ``rule_id`` (None when this node has no such rule now)."""
        ln = self.by_id.get(rule_id)
        return ln.text if ln is not None else None

    def number(self, rule_id: str) -> int | None:
        """The 1-based line number of rule ``rule_id`` in ``text`` (for highlighting)."""
        ln = self.by_id.get(rule_id)
        return ln.number if ln is not None else None

    def find(self, chain: str, target: str | None = None, contains: str | None = None) -> list[str]:
        """Ids of the rules of ``chain`` (in text order) jumping to ``target`` and whose id contains
        ``contains`` (a match fragment such as ``--rcheck``), each filter optional."""
        return [ln.id for ln in self._by_chain.get(chain, ())  # type: ignore[misc]
                if (target is None or ln.target == target) and (contains is None or contains in ln.id)]

    @property
    def ids(self) -> list[str]:
        return [ln.id for ln in self.lines if ln.id is not None]

    def ip_index(self) -> dict[str, tuple[int, ...]]:
        """Each IPv4 address written in ``text`` -> the 1-based numbers of the lines it is on (an address is a
        whole dotted quad: ``10.244.1.2`` is not in ``10.244.1.23``). Built once per rule set, on first use."""
        index = self.__dict__.get("_ip_index")
        if index is None:
            text = self.text
            starts = [m.end() for m in _NEWLINE.finditer(text)]  # offset of each line after the first
            found: dict[str, list[int]] = {}
            for m in _IPV4.finditer(text):
                line = bisect.bisect_right(starts, m.start()) + 1
                seen = found.setdefault(m.group(), [])
                if not seen or seen[-1] != line:
                    seen.append(line)
            index = self.__dict__["_ip_index"] = {ip: tuple(lines) for ip, lines in found.items()}
        return index

    def lines_mentioning(self, ips) -> list[int]:
        """The 1-based numbers, in order, of the lines that mention any of ``ips`` (IPv4 addresses)."""
        index = self.ip_index()
        return sorted({n for ip in ips for n in index.get(ip, ())})


# ------------------------------------------------------------------------------------------------ ids


def _dedupe(lines: list[RuleLine]) -> list[RuleLine]:
    """A second rule with the same id (kube-proxy writes none, but hand-built inputs may) gets ``#2``..."""
    seen: dict[str, int] = {}
    out = []
    for ln in lines:
        if ln.id is not None:
            k = seen.get(ln.id, 0) + 1
            seen[ln.id] = k
            if k > 1:
                ln = RuleLine(ln.number, ln.text, f"{ln.id}#{k}", ln.chain, ln.target)
        out.append(ln)
    return out


def iptables_rule_id(table: str, chain: str, args: list[str]) -> tuple[str, str | None]:
    """(id, -j target) of ``-A chain args...`` in ``table``."""
    keep: list[str] = []
    i = 0
    while i < len(args):
        a = args[i]
        if a == "-m" and i + 1 < len(args) and args[i + 1] == "comment":
            i += 2
            if i < len(args) and args[i] == "--comment":
                i += 2
            continue
        if a == "-m" and i + 1 < len(args) and args[i + 1] == "statistic":
            i += 2
            while i < len(args) and args[i] in ("--mode", "--probability", "--every", "--packet"):
                i += 2
            continue
        keep.append(a)
        i += 1
    target = keep[keep.index("-j") + 1] if "-j" in keep and keep.index("-j") + 1 < len(keep) else None
    return f"iptables/{table}/{chain}/{' '.join(keep)}", target


# one token of an iptables-save rule line: a double-quoted word standing alone (kube-proxy's comments) or a
# plain word; anything else (backslashes, single quotes, quotes inside a word) goes to shlex
_IPT_TOKEN = re.compile(r'"([^"\\]*)"(?=\s|$)|([^\s"\'\\]+)(?=\s|$)|(\S)')


def split_rule(line: str) -> list[str]:
    """``shlex.split(line)`` for the lines iptables-save prints, about ten times faster: a node's rules at
    2,000 pods are ~6,000 lines, and shlex alone took 0.25 s of every render."""
    if "\\" in line or "'" in line:
        return shlex.split(line)
    out = []
    for m in _IPT_TOKEN.finditer(line):
        if m.group(3) is not None:
            return shlex.split(line)
        out.append(m.group(1) if m.group(1) is not None else m.group(2))
    return out


def parse_iptables(text: str) -> list[RuleLine]:
    out: list[RuleLine] = []
    table = ""
    for n, line in enumerate(text.splitlines(), 1):
        if line.startswith("*"):
            table = line[1:]
            out.append(RuleLine(n, line))
        elif line.startswith(":"):
            chain = line[1:].split(" ", 1)[0]
            out.append(RuleLine(n, line, f"iptables/{table}/{chain}", chain))
        elif line.startswith("-A "):
            parts = split_rule(line)
            chain = parts[1]
            rid, target = iptables_rule_id(table, chain, parts[2:])
            out.append(RuleLine(n, line, rid, chain, target))
        else:
            out.append(RuleLine(n, line))
    return _dedupe(out)


def ipvs_rule_id(protocol: str, vip: str, port: int, real_server: str | None = None) -> str:
    """``ipvs/TCP/10.96.0.10:53`` for a virtual server; with ``real_server`` (``ip:port``) one destination."""
    base = f"ipvs/{protocol.upper()}/{vip}:{port}"
    return base if real_server is None else f"{base}/{real_server}"


_IPVS_SERVICE = re.compile(r"^(TCP|UDP|SCTP)\s+(\S+):(\d+)\s")
_IPVS_DEST = re.compile(r"^  -> (\S+)\s")


def parse_ipvs(text: str) -> list[RuleLine]:
    out: list[RuleLine] = []
    current: tuple[str, str, int] | None = None
    for n, line in enumerate(text.splitlines(), 1):
        m = _IPVS_SERVICE.match(line)
        if m:
            current = (m.group(1), m.group(2), int(m.group(3)))
            out.append(RuleLine(n, line, ipvs_rule_id(*current), f"{current[0]} {current[1]}:{current[2]}"))
            continue
        d = _IPVS_DEST.match(line)
        if d and current is not None and not line.startswith("  -> RemoteAddress"):
            out.append(RuleLine(n, line, ipvs_rule_id(*current, d.group(1)), f"{current[0]} {current[1]}:{current[2]}",
                                d.group(1)))
            continue
        out.append(RuleLine(n, line))
    return _dedupe(out)


_NFT_PREFIX = "ip kube-proxy "
_NUMGEN = re.compile(r"numgen random mod \d+ vmap \{[^}]*\}")
_NFT_COMMENT = re.compile(r'\s*comment "[^"]*"')
_NFT_JUMP = re.compile(r"\b(?:jump|goto) (\S+)")


def parse_nftables(text: str) -> list[RuleLine]:
    out: list[RuleLine] = []
    for n, line in enumerate(text.splitlines(), 1):
        for verb in ("add rule ", "add element ", "add chain ", "add map ", "add set "):
            if line.startswith(verb + _NFT_PREFIX):
                rest = line[len(verb + _NFT_PREFIX):]
                name, _, body = rest.partition(" ")
                if verb == "add rule ":
                    norm = _NFT_COMMENT.sub("", _NUMGEN.sub("numgen random vmap", body)).strip()
                    j = _NFT_JUMP.search(body)
                    out.append(RuleLine(n, line, f"nftables/{name}/{norm}", name, j.group(1) if j else None))
                elif verb == "add element ":
                    inner = body.strip().removeprefix("{").removesuffix("}").strip()
                    key, _, verdict = inner.partition(" : ")
                    key = _NFT_COMMENT.sub("", key)
                    j = _NFT_JUMP.search(verdict)
                    out.append(RuleLine(n, line, f"nftables/{name}/{key.strip()}", name, j.group(1) if j else None))
                else:
                    out.append(RuleLine(n, line, f"nftables/{name}", name))
                break
        else:
            out.append(RuleLine(n, line))
    return _dedupe(out)


# ------------------------------------------------------------------------------------------------ render


def render_text(inp: Any, mode: str, conn_counts: Any = None) -> str:
    """The rule text of a ``NodeRuleInput`` in ``mode`` (``podpath rules``' output)."""
    from core.proxy.render_iptables import render_iptables
    from core.proxy.render_ipvs import kube_ipvs0_addresses, render_ipvs
    from core.proxy.render_nftables import render_nftables

    if mode == "iptables":
        return render_iptables(inp)
    if mode == "ipvs":
        text = render_ipvs(inp, conn_counts) if conn_counts is not None else render_ipvs(inp)
        addrs = kube_ipvs0_addresses(inp)
        return text + "# kube-ipvs0 (dummy, DOWN, NOARP) addresses: " + (" ".join(addrs) or "(none)") + "\n"
    if mode == "nftables":
        return render_nftables(inp)
    raise ValueError(f"proxy mode {mode!r} has no rule text; allowed: {', '.join(MODES)}")


def node_mode(state: Any, node: str) -> str:
    """The mode ``node``'s kube-proxy runs in now."""
    view = state.proxy_views.get(node)
    return (view.config if view is not None else state.proxy_config).mode


def render_for_node(model: Any, state: Any, node: str, mode: str | None = None) -> str:
    """The rule text ``node``'s kube-proxy programs in ``mode`` (default: its configured mode)."""
    from core.proxy.render_common import node_rule_input

    return render_text(node_rule_input(model, state, node), mode or node_mode(state, node))


def parse_rules(text: str, mode: str, node: str = "") -> RuleSet:
    parser = {"iptables": parse_iptables, "ipvs": parse_ipvs, "nftables": parse_nftables}.get(mode)
    if parser is None:
        raise ValueError(f"proxy mode {mode!r} has no rule text; allowed: {', '.join(MODES)}")
    return RuleSet(node, mode, text, parser(text))


def render_rules(model: Any, state: Any, node: str, mode: str | None = None) -> RuleSet:
    """``node``'s rules in ``mode`` (default: its configured mode) with an id per rule."""
    mode = mode or node_mode(state, node)
    return parse_rules(render_for_node(model, state, node, mode), mode, node)

"""``podpath rules FILE --node NODE [--mode iptables|ipvs|nftables] [--at SECONDS] [--seed N]``.

Loads the scenario, runs the simulation to ``--at`` seconds (default 120 s, long enough for every pod
that can start to be scheduled, started and Ready with the default timings) and prints what that node's
kube-proxy has programmed at that instant, from its ``ProxyView``:

* ``iptables``: the ``iptables-restore`` input (domain.md a.4 format);
* ``ipvs``: ``ipvsadm -Ln``, followed by ``#`` comment lines listing the kube-ipvs0 addresses;
* ``nftables``: the ``nft -f`` ruleset of table ``ip kube-proxy``.

``--mode`` overrides the mode in the file. Exit codes: 0 ok, 1 invalid scenario or rules, 2 usage
(including an unknown node, reported with the list of nodes).
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from core.cli.options import seed, sim_seconds

DEFAULT_AT = 120.0
MODES = ("iptables", "ipvs", "nftables")


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "rules", help="print the rules a node's kube-proxy programs",
        description="Print what NODE's kube-proxy would program: iptables-restore input, ipvsadm -Ln, "
                    "or the nftables ruleset.")
    p.add_argument("file", metavar="FILE", help="scenario YAML file")
    p.add_argument("--node", required=True, help="node whose kube-proxy rules to print")
    p.add_argument("--mode", choices=MODES, default=None,
                   help="proxy mode to render (default: the mode in the scenario)")
    p.add_argument("--at", type=sim_seconds, default=DEFAULT_AT, metavar="SECONDS",
                   help=f"simulated time to run to before printing (default {DEFAULT_AT:g})")
    p.add_argument("--seed", type=seed, default=None, help="random seed, 0 or more (default: the scenario's)")
    p.set_defaults(handler=handle)


def render_for_node(model: Any, state: Any, node: str, mode: str | None = None) -> str:
    """The rule text ``node``'s kube-proxy programs (kept for callers of the CLI module; the code lives in
    ``core.proxy.ruleset``, which also gives each rule an id)."""
    from core.proxy.ruleset import render_for_node as render

    return render(model, state, node, mode)


def simulate(path: str, seed: int | None, at: float, node: str | None = None) -> tuple[Any, Any]:
    """Load ``path`` and run it to ``at`` seconds; returns ``(model, state)``. With ``node``, an unknown
    node name raises ``KeyError`` before any simulating."""
    from core.engine import Simulation
    from core.scenario import load_model

    model = load_model(path, seed=seed)
    if node is not None and node not in {n.name for n in model.nodes}:
        raise KeyError(node)
    sim = Simulation(model, seed=seed, dataplane=False)
    sim.run(at)
    return model, sim.state


def handle(args: argparse.Namespace) -> int:
    if args.at < 0:
        print(f"podpath rules: --at must be >= 0 seconds, got {args.at:g}", file=sys.stderr)
        return 2
    try:
        from core.scenario import ScenarioError
    except ImportError:  # the scenario package is not importable yet
        ScenarioError = ()  # type: ignore[assignment]  # noqa: N806
    try:
        model, state = simulate(args.file, args.seed, args.at, args.node)
    except KeyError:
        from core.scenario import load_model

        nodes = ", ".join(sorted(n.name for n in load_model(args.file, seed=args.seed).nodes)) or "(none)"
        print(f"podpath rules: unknown node {args.node!r}; nodes in {args.file}: {nodes}", file=sys.stderr)
        return 2
    except FileNotFoundError as exc:
        print(f"podpath rules: cannot read {args.file}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    except ScenarioError as exc:  # type: ignore[misc]
        print(str(exc), file=sys.stderr)
        return 1
    if args.node not in state.nodes:
        nodes = ", ".join(sorted(state.nodes)) or "(none)"
        print(f"podpath rules: unknown node {args.node!r}; nodes in {args.file}: {nodes}", file=sys.stderr)
        return 2
    from core.proxy.render_common import RuleInputError
    from core.proxy.ruleset import render_rules

    try:
        text = render_rules(model, state, args.node, args.mode).text
    except (RuleInputError, ValueError) as exc:
        print(f"podpath rules: {exc}", file=sys.stderr)
        return 1
    sys.stdout.write(text)
    return 0

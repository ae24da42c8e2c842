"""``podpath validate FILE...``: check scenario files, print every problem; exit 0 valid, 1 invalid, 2 usage."""

from __future__ import annotations

import argparse
import sys

from core.cli.options import seed
from core.scenario import ScenarioError, build_model, load_document


def register(subparsers) -> None:
    p = subparsers.add_parser("validate", help="check scenario files and report every problem",
                              description="Parse, validate and build each FILE; warnings do not fail.")
    p.add_argument("files", nargs="+", metavar="FILE", help="scenario / manifest YAML file")
    p.add_argument("--seed", type=seed, default=None,
                   help="seed for automatic allocations, 0 or more (default: the scenario's)")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    failed = False
    for path in args.files:
        try:
            _, warnings = build_model(load_document(path), seed=args.seed)
        except ScenarioError as exc:
            failed = True
            for d in exc.diagnostics:
                print(d.format(), file=sys.stderr if d.is_error else sys.stdout)
            print(f"{path}: invalid ({len(exc.errors)} error(s))")
            continue
        for d in warnings:
            print(d.format())
        print(f"{path}: valid" + (f" ({len(warnings)} warning(s))" if warnings else ""))
    return 1 if failed else 0

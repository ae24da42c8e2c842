"""``podpath export FILE -o OUT.yaml``: the real Kubernetes objects only, ready for ``kubectl apply -f``."""

from __future__ import annotations

import argparse
import os
import sys

from core.scenario import ScenarioError, WriteError, build_model, export_manifests, load_document, write_file


def register(subparsers) -> None:
    p = subparsers.add_parser("export", help="write the Kubernetes objects for kubectl apply")
    p.add_argument("file", metavar="FILE")
    p.add_argument("-o", "--output", required=True, metavar="OUT.yaml", help="output file (never the input); - writes to standard output")
    p.add_argument("--include-nodes", action="store_true",
                   help="also export v1 Node objects (left out by default: applied to a real cluster they "
                   "become phantom Nodes no kubelet backs)")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    to_stdout = args.output == "-"
    if not to_stdout and os.path.abspath(args.output) == os.path.abspath(args.file) or (
            not to_stdout and os.path.exists(args.output) and os.path.exists(args.file)
            and os.path.samefile(args.output, args.file)):
        print(f"podpath export: refusing to overwrite the input file {args.file}; choose another -o",
              file=sys.stderr)
        return 2
    try:
        doc = load_document(args.file)
        build_model(doc)
    except ScenarioError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    text = export_manifests(doc, include_nodes=args.include_nodes)
    if not text.strip():
        nodes = "" if args.include_nodes else " (Nodes are left out; --include-nodes exports them)"
        print(f"podpath export: {args.file} has no Kubernetes objects to export{nodes}; nothing written",
              file=sys.stderr)
        return 1
    try:
        write_file(args.output, text)
    except WriteError as exc:
        print(f"podpath export: {exc}", file=sys.stderr)
        return 1
    if not to_stdout and not _is_stream(args.output):
        print(f"wrote {args.output}")
    return 0


def _is_stream(path: str) -> bool:
    """/dev/stdout and the like: the confirmation would land in the exported YAML."""
    return path in ("/dev/stdout", "/dev/stderr") or path.startswith(("/dev/fd/", "/proc/self/fd/"))

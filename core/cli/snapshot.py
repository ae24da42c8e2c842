"""``podpath snapshot FILE --at SECONDS -o OUT.png|.svg [--size 1280x720] [--seed N] [--lang en|ko]``.

Renders the desktop live view -- the canvas with packets in flight and the charts -- at a simulated time,
offscreen, for slides, handouts and tests. Qt is imported only when the command runs (``core`` stays
Qt-free). Exit codes: 0 written; 1 invalid scenario or unwritable output; 2 usage.
"""

from __future__ import annotations

import argparse
import re
import sys

from core.cli.options import seed, sim_seconds

MAX_SIDE = 8192


def size(text: str) -> tuple[int, int]:
    """``WIDTHxHEIGHT`` in pixels, e.g. 1280x720."""
    m = re.fullmatch(r"\s*(\d+)\s*[xX×]\s*(\d+)\s*", text)
    if not m:
        raise argparse.ArgumentTypeError(f"{text!r} is not WIDTHxHEIGHT, e.g. 1280x720")
    w, h = int(m.group(1)), int(m.group(2))
    if not (320 <= w <= MAX_SIDE and 240 <= h <= MAX_SIDE):
        raise argparse.ArgumentTypeError(f"{text}: width must be 320..{MAX_SIDE} and height 240..{MAX_SIDE} pixels")
    return w, h


def handle(args: argparse.Namespace) -> int:
    if not str(args.output).lower().endswith((".png", ".svg")):
        print(f"podpath snapshot: -o {args.output}: the output must end in .png or .svg", file=sys.stderr)
        return 2
    try:
        from desktop.live.snapshot import render_snapshot  # noqa: PLC0415  (Qt only when asked for)
    except ImportError as exc:
        print(f"podpath snapshot: the desktop application is not installed ({exc})", file=sys.stderr)
        return 1
    from core.scenario import ScenarioError  # noqa: PLC0415

    try:
        w, h = render_snapshot(args.file, args.at, args.output, args.size, args.seed, lang=args.lang)
    except ScenarioError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"podpath snapshot: {exc.strerror or exc}" + (f": {exc.filename}" if getattr(exc, "filename", None)
                                                             else ""), file=sys.stderr)
        return 1
    except ValueError as exc:
        print(f"podpath snapshot: {exc}", file=sys.stderr)
        return 2
    print(f"wrote {args.output} ({w}x{h}, t = {args.at:g} s)")
    return 0


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "snapshot", help="render the live view at a simulated time to a PNG or SVG (no screen needed)",
        description="Run FILE to --at seconds and render the canvas with packets in flight and the charts, "
                    "offscreen, to OUT.png or OUT.svg.")
    p.add_argument("file", metavar="FILE", help="scenario file (YAML)")
    p.add_argument("--at", type=sim_seconds, required=True, metavar="SECONDS", help="simulated time to show")
    p.add_argument("-o", "--output", required=True, metavar="OUT.png|OUT.svg", help="image file to write")
    p.add_argument("--size", type=size, default=(1280, 720), metavar="WxH", help="image size (default 1280x720)")
    p.add_argument("--seed", type=seed, default=None, help="random seed, 0 or more (default: the scenario's)")
    p.add_argument("--lang", choices=("en", "ko"), default="en",
                   help="language of the rendered window: en (default) or ko (Korean)")
    p.set_defaults(handler=handle)

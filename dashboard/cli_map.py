"""``centrifuge map``: the atlas's map of a service, package or family as a PNG, SVG or PDF for
a paper. Bad input exits 2 with one line on stderr and writes nothing; the file is replaced
whole (written beside it, then renamed), never left half-written."""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path

from dashboard import atlas, boundaries, focus, franchises
from dashboard.cli_common import fail as _fail

#: ``--focus KIND NAME``: the kinds by the names people use, and the focus module's own.
FOCUS_KINDS = {
    "nation": "country",
    "region": "region",
    "county": "upper_tier",
    "police": "police",
    "fire": "fire",
}
COLOURS = ("holder", "kind")
FORMATS = ("png", "svg", "pdf")


def draw_map(args: argparse.Namespace) -> int:
    from dashboard import mapexport  # matplotlib: loaded only when a map is drawn

    kind, ident = next((k, v) for k in atlas.VIEW_KINDS if (v := getattr(args, k)) is not None)
    out = Path(args.out)
    fmt = (args.format or out.suffix.lstrip(".")).lower()
    if fmt not in FORMATS:
        named = f"'{args.format}'" if args.format else f"the name {out.name}"
        return _fail(f"cannot tell a map format from {named}: use png, svg or pdf")
    if args.colour not in COLOURS:
        return _fail(f"--colour must be one of {', '.join(COLOURS)}, not '{args.colour}'")
    focused = None
    if args.focus:
        wanted, name = args.focus
        if wanted not in FOCUS_KINDS:
            return _fail(f"--focus '{wanted}' is not one of {', '.join(FOCUS_KINDS)}")
        focused = (FOCUS_KINDS[wanted], name)
    if not out.parent.is_dir():
        return _fail(f"cannot write {out}: folder {out.parent} does not exist")
    try:
        drawn = mapexport.render(
            atlas.View(kind, ident, args.colour), fmt, focus=focused, highlight=args.highlight
        )
    except franchises.DataError as exc:
        return _fail(f"{exc}; run: centrifuge validate {exc.directory}")
    except (
        atlas.UnknownView,
        focus.FocusError,
        mapexport.MapExportError,
        boundaries.BoundaryFileError,
    ) as exc:
        return _fail(exc)
    try:
        _write(out, drawn.data)
    except OSError as exc:
        return _fail(f"cannot write {out}: {exc.strerror or exc}")
    pages = f", {drawn.pages} pages" if drawn.pages > 1 else ""
    print(f"wrote the {kind} {ident} map as {fmt} to {out} ({len(drawn.data):,} bytes{pages})")
    return 0


def _write(path: Path, data: bytes) -> None:
    """Write beside ``path`` and rename over it, so a reader never sees half a file."""
    handle, partial = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".partial", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as f:
            f.write(data)
        os.chmod(partial, 0o644)
        os.replace(partial, path)
    except BaseException:
        Path(partial).unlink(missing_ok=True)
        raise


def add_to(sub) -> None:
    """The ``map`` command, on ``centrifuge``'s subparsers."""
    cmd = sub.add_parser(
        "map",
        help="draw who runs a service, package or family as a PNG, SVG or PDF map",
        description="An A4 landscape map for a paper: numbered holders, a legend with their "
        "areas and residents, a scale bar and the sources. PNG is 200 dpi; SVG and PDF keep "
        "the names as text.",
    )
    what = cmd.add_mutually_exclusive_group(required=True)
    what.add_argument("--service", help="a service id, e.g. police")
    what.add_argument("--package", help="a package id, e.g. blue-light")
    what.add_argument("--family", help="a family id, e.g. social_care")
    cmd.add_argument("--colour", default="holder", help="holder (default) or kind")
    cmd.add_argument(
        "--focus",
        nargs=2,
        metavar=("KIND", "NAME"),
        help="only one nation, region, county, police or fire area: its name or an area code "
        'in it, e.g. --focus region "North West"',
    )
    cmd.add_argument("--highlight", metavar="HOLDER_ID", help="grey every other holder")
    cmd.add_argument("--format", help="png, svg or pdf (default: from the file's name)")
    cmd.add_argument("--out", required=True, help="the file to write")
    cmd.set_defaults(func=draw_map)

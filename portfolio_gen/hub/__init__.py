"""``portfolio-gen hub HUB.yml``: one site over many learners' portfolios.

A club, library or class lists its members' portfolios in HUB.yml::

    title: Hive Maker Club                 # required
    description: Who we are, in a sentence or two.
    members:                               # required: who opted in
      - ../maya                            # a portfolio folder, relative to HUB.yml
      - https://jay.example.org/portfolio.json   # a published portfolio.json (--online)
    goals: [MS-ETS1-4, CCSS.Math.Content.7.RP.A.2]
    language: en
    member_timeout: 120                    # seconds a member's build may take (default)
    member_max_size: 500 MB                # how large a member's site may grow (default)

The hub builds each local member's portfolio (in parallel, one process per
member) into ``members/<slug>/``, then reads *only* each member's published
``portfolio.json`` (never their sources) to make its own pages: the members,
their interests, badges by issuer, and the standards x learners table a
teacher wants, with the gaps against the hub's goals. It writes ``hub.json``
too. See docs/hubs.md.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from typing import Any

from ..diagnostics import Diagnostics
from ..lazy_dataclass import dataclass
from .members import Member, build_members, plan_members, read_members, remove_old_members
from .settings import HubConfig, load_hub_config
from .view import HubView, hub_json, make_view, render_hub

# What the hub's modules offer, named here for cli.py and the tests.
__all__ = ["HubConfig", "HubResult", "HubView", "Member", "build_hub", "build_members",
           "hub_json", "load_hub_config", "make_view", "plan_members", "read_members",
           "register", "remove_old_members", "render_hub", "run_hub"]  # fmt: skip

# ---------------------------------------------------------------- command


@dataclass
class HubResult:
    diagnostics: Diagnostics
    out: Path | None = None
    members: int = 0
    built: int = 0
    seconds: float = 0.0
    view: HubView | None = None

    @property
    def failed(self) -> bool:
        return bool(self.diagnostics.errors)


def build_hub(
    hub_file: Path,
    out: Path | None = None,
    *,
    online: bool = False,
    jobs: int | None = None,
    progress: Any = None,
) -> HubResult:
    """Build the members' sites and the hub site; nothing private of a member crosses over."""
    from ..site.write import (
        MARKER,
        Locked,
        SiteWriter,
        check_output,
        io_problem,
        output_lock,
        remove_leftovers,
    )

    start = time.perf_counter()
    hub_file = hub_file.resolve()
    diagnostics = Diagnostics(hub_file.parent)
    result = HubResult(diagnostics)
    config = load_hub_config(hub_file, diagnostics)
    if config is None:
        result.seconds = time.perf_counter() - start
        return result
    out = (out or config.folder / "site").resolve()
    members = plan_members(config, diagnostics)
    result.members = len(members)
    if diagnostics.errors:
        result.seconds = time.perf_counter() - start
        return result
    for root in [config.folder] + [m.root for m in members if m.root is not None]:
        if not check_output(root, out, diagnostics):
            result.seconds = time.perf_counter() - start
            return result
    try:
        with output_lock(out):
            remove_leftovers(out)
            out.mkdir(parents=True, exist_ok=True)
            if not (out / MARKER).exists():  # ours from now on, even if this build stops early
                (out / MARKER).write_text('{"files": {}, "generator": "portfolio-gen"}\n')
            build_members(
                members, out, online, jobs or os.cpu_count() or 1, diagnostics, progress, config
            )
            remove_old_members(out, members)
            read_members(config, members, out, online, diagnostics)
            view = make_view(config, members, diagnostics)
            writer = SiteWriter(out)
            try:
                if render_hub(view, writer, diagnostics):
                    writer.commit()
                else:  # a template error, reported: the previous hub site stays
                    writer.abort()
            except BaseException:
                writer.abort()
                raise
            result.view, result.out = view, out
            result.built = sum(1 for m in members if m.summary is not None)
    except Locked:
        diagnostics.error("--output", f"another build is writing {out} right now; try again later")
    except OSError as exc:  # full, read-only, not writable
        diagnostics.error(*io_problem(exc, out))
    result.seconds = time.perf_counter() - start
    return result


def register(subparsers: Any) -> None:
    """Add ``hub`` to an ``ArgumentParser.add_subparsers()`` object."""
    parser = subparsers.add_parser(
        "hub",
        help="build a hub site over many learners' portfolios (a club, library or class)",
        description=(
            "Build each local member's portfolio into DIR/members/<slug>/ (in parallel), read "
            "each member's published portfolio.json, and write a hub site: members, interests, "
            "badges by issuer, and the standards x learners table with gaps against the goals. "
            "See docs/hubs.md."
        ),
    )
    parser.add_argument("hub_file", type=Path, metavar="HUB.yml", help="the hub's settings")
    parser.add_argument(
        "-o", "--output", type=Path, help="output folder (default: site/ beside HUB.yml)"
    )
    parser.add_argument(
        "--online",
        action="store_true",
        help="allow network requests (published members' portfolio.json, badge checks)",
    )
    parser.add_argument("--jobs", type=_positive, help="member builds at once (default: all cores)")
    parser.add_argument("--strict", action="store_true", help="treat warnings as errors")
    parser.add_argument("-q", "--quiet", action="store_true", help="print only problems")
    parser.set_defaults(func=run_hub)


def _positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return number


def run_hub(args: argparse.Namespace) -> int:
    from ..build import stderr_progress

    progress = stderr_progress(args.quiet)
    result = build_hub(
        args.hub_file, args.output, online=args.online, jobs=args.jobs, progress=progress
    )
    if progress is not None:
        sys.stderr.write("\r\033[K")
    for diagnostic in result.diagnostics.sorted():  # a name that is not UTF-8 shown escaped
        print(str(diagnostic).encode("utf-8", "backslashreplace").decode(), file=sys.stderr)
    strict_failed = args.strict and bool(result.diagnostics.warnings)
    if strict_failed:
        print("error: warnings are errors with --strict", file=sys.stderr)
    if result.out is None:
        print("hub failed: nothing was written", file=sys.stderr)
        return 1
    if not args.quiet:
        print(
            f"hub of {result.members} member(s), {result.built} with a published portfolio, "
            f"in {result.seconds:.2f} s, {len(result.diagnostics.warnings)} warning(s) -> {result.out}"
        )
    return 1 if result.failed or strict_failed else 0

"""The commands: argument parsing and exit codes only.

Exit codes: 0 success, 1 the content has errors (or warnings with --strict),
2 usage error.
"""

from __future__ import annotations

import argparse
import atexit
import datetime as _dt
import os
import re
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from . import __version__

if TYPE_CHECKING:
    from .build import Result

# A command imports what it needs when it runs (build, serve, ...): ``--help``
# and a mistyped command import none of it.

SCAFFOLD = Path(__file__).resolve().parent / "scaffold"


def main(argv: Sequence[str] | None = None) -> int:
    words = [a for a in (sys.argv[1:] if argv is None else argv) if not a.startswith("-")]
    command = words[0] if words else ""
    if command in CORE_COMMANDS:
        parser = make_parser(only_core=True, command=command)
    else:  # one of the others, with the rest only listed (or only listed: --help, a typo)
        parser = make_parser(command=command if command in OTHER_COMMANDS else "")
    args = parser.parse_args(argv)
    if not hasattr(args, "func"):
        parser.print_help(sys.stderr)
        return 2
    from .compiled import compiled_kept  # (before a command imports its modules)

    try:
        with compiled_kept():
            return int(args.func(args) or 0)
    except KeyboardInterrupt:
        print("interrupted; the previous site is unchanged", file=sys.stderr)
        return 130
    except BrokenPipeError:  # the reader of the output went away (| head): nothing to say
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141  # as a command stopped by SIGPIPE
    except Exception as exc:  # a bug: say so plainly, trace only with --debug
        if args.debug:
            import traceback

            traceback.print_exc()
        else:
            print(
                f"error: internal error ({type(exc).__name__}: {exc}); "
                "run again with --debug and report the output",
                file=sys.stderr,
            )
        return 1


def run() -> NoReturn:
    """The ``portfolio-gen`` command: main(), then exit without tearing the
    interpreter down object by object (50 ms after a big build, a fifth of a
    warm one). Exit handlers still run, and the output is flushed."""
    code = main()
    atexit._run_exitfuncs()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


CORE_COMMANDS = ("init", "new", "build", "check", "serve")
# The commands defined in other modules (their ``register``), and their line in --help.
OTHER_COMMANDS = {
    "badges": "inspect, verify and bake Open Badges",
    "standards": "list, import and search academic standards frameworks",
    "export": "teacher-facing exports: a zip of the site that works from disk, CSV, JSON",
    "hub": "build a hub site over many learners' portfolios (a club, library or class)",
    "review": "a teacher's answer to the learner's evidence",
}


def make_parser(only_core: bool = False, command: str | None = None) -> argparse.ArgumentParser:
    """The command line; ``only_core`` leaves out the commands defined in other
    modules (badges, standards, export, hub, review), which a build need not
    import, and with a core ``command`` defines that one alone (each parser costs
    a build 0.2 ms: argparse looks for a translation of every string of its own).
    Else, with ``command``, of the others only that one is defined, the others
    only listed (with their help line: for --help and a mistyped command);
    ``command=""`` lists them all."""

    def wanted(name: str) -> bool:
        return not (only_core and command) or name == command

    # --debug may come before or after the command. The main parser holds the
    # default; a command's own --debug has none (SUPPRESS), so a False default
    # of the command's never overwrites the main parser's True.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--debug",
        action="store_true",
        default=argparse.SUPPRESS,
        help="show Python tracebacks for internal errors",
    )
    parser = argparse.ArgumentParser(
        prog="portfolio-gen",
        description="Build a learner portfolio site from Markdown projects, Open Badges and standards.",
    )
    parser.add_argument(
        "--debug", action="store_true", help="show Python tracebacks for internal errors"
    )
    parser.add_argument("--version", action="version", version=f"portfolio-gen {__version__}")
    sub = parser.add_subparsers(title="commands", metavar="COMMAND")

    if wanted("init"):
        p = sub.add_parser("init", parents=[common], help="start a new portfolio in DIR")
        p.add_argument("dir", type=Path, metavar="DIR")
        p.add_argument("--title", help="the portfolio's title (default: from the folder name)")
        p.set_defaults(func=cmd_init)

    if wanted("new"):
        p = sub.add_parser("new", parents=[common], help="create something new")
        new_sub = p.add_subparsers(title="what", metavar="WHAT")
        q = new_sub.add_parser(
            "project", parents=[common], help="create content/projects/<slug>/index.md"
        )
        q.add_argument("title", metavar="TITLE")
        q.add_argument("path", type=Path, nargs="?", default=Path("."), metavar="PATH")
        q.set_defaults(func=cmd_new_project)

    for name, helptext in (
        ("build", "build the site"),
        ("check", "validate everything, build nothing"),
    ):
        if not wanted(name):
            continue
        p = sub.add_parser(name, parents=[common], help=helptext)
        p.add_argument("path", type=Path, nargs="?", default=Path("."), metavar="PATH")
        if name == "build":
            p.add_argument("-o", "--output", type=Path, help="output folder (default: PATH/site)")
            p.add_argument("--base-url", help="the address the site is published at")
            p.add_argument("--drafts", action="store_true", help="include draft projects")
            p.add_argument("--jobs", type=_positive, help="worker processes (default: all cores)")
            p.add_argument("-q", "--quiet", action="store_true", help="print only problems")
        p.add_argument("--strict", action="store_true", help="treat warnings as errors")
        p.add_argument(
            "--online", action="store_true", help="allow network requests (badge verification)"
        )
        p.set_defaults(func=cmd_build if name == "build" else cmd_check)

    if wanted("serve"):
        p = sub.add_parser("serve", parents=[common], help="preview with live reload")
        p.add_argument("path", type=Path, nargs="?", default=Path("."), metavar="PATH")
        p.add_argument(
            "--host",
            default="127.0.0.1",
            help="address to listen on (default: 127.0.0.1, this computer only)",
        )
        p.add_argument(
            "--port", type=int, default=8000, help="port (default: 8000; 0 picks a free one)"
        )
        p.add_argument("--open", action="store_true", help="open the preview in a browser")
        p.add_argument(
            "--drafts",
            action=argparse.BooleanOptionalAction,
            default=True,
            help="show drafts (default: yes)",
        )
        p.set_defaults(func=cmd_serve)

    if not only_core:
        for name, helptext in OTHER_COMMANDS.items():
            if command is None or command == name:
                _register(sub, name)
            else:
                sub.add_parser(name, help=helptext)
    for action in sub.choices.values():
        _add_debug(action)
    return parser


def _register(sub: Any, name: str) -> None:
    """Define one of ``OTHER_COMMANDS`` (importing the module that has it)."""
    if name == "badges":
        from .badges.commands import register
    elif name == "standards":
        from .standards.commands import register
    elif name == "export":
        from .export import register
    elif name == "hub":
        from .hub import register
    else:
        from .review import register  # review import: a teacher's answer (review.py)
    register(sub)


def _add_debug(parser: argparse.ArgumentParser) -> None:
    """Every (sub)command accepts --debug, wherever it is written."""
    if not any("--debug" in a.option_strings for a in parser._actions):
        parser.add_argument(
            "--debug", action="store_true", default=argparse.SUPPRESS, help=argparse.SUPPRESS
        )
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for child in action.choices.values():
                _add_debug(child)


def _positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return number


def report(result: Result, strict: bool) -> None:
    for diagnostic in result.diagnostics.sorted():
        # A file name that is not UTF-8 is shown with escapes (caf\\xe9.png), never a crash.
        print(str(diagnostic).encode("utf-8", "backslashreplace").decode(), file=sys.stderr)
    if strict and result.strict_failed:
        print("error: warnings are errors with --strict", file=sys.stderr)


def cmd_build(args: argparse.Namespace) -> int:
    from . import quick
    from .options import Options

    start = time.perf_counter()
    options = Options(
        out=args.output, base_url=args.base_url, drafts=args.drafts, strict=args.strict,
        online=args.online, jobs=args.jobs,
    )  # fmt: skip
    # After edits to projects' text only: without importing the full build (Jinja, the graph)
    result = quick.build(args.path.resolve(), options, start)
    if result is None:
        from .build import build, stderr_progress

        result = build(args.path, options, stderr_progress(args.quiet), tried_quick=True)
    if sys.stderr.isatty() and not args.quiet:
        sys.stderr.write("\r\033[K")
    report(result, args.strict)
    if result.failed:
        errors = plural(len(result.diagnostics.errors), "error")
        print(f"build failed: {errors}; the previous site is unchanged", file=sys.stderr)
        return 1
    if not args.quiet:
        warnings = plural(len(result.diagnostics.warnings), "warning")
        notes = "".join(f"; {n}" for n in result.notes)
        print(
            f"built {plural(result.pages, 'page')} ({result.rendered} rendered, "
            f"{plural(result.files, 'file')}) in {result.seconds:.2f} s, "
            f"{warnings} -> {result.out}{notes}"
        )
        if result.drafts:
            print(drafts_line(result.drafts))
        if result.without_base_url:
            print(f"to look at it: portfolio-gen serve {args.path}, then open {PREVIEW}")
    return 0


PREVIEW = "http://127.0.0.1:8000/"


def plural(count: int, word: str) -> str:
    """``1 project``, ``2 projects``: for the summary lines."""
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def drafts_line(drafts: list[str], shown: int = 5) -> str:
    """``left out 1 draft: content/projects/x/index.md (build --drafts to include)``."""
    names = ", ".join(drafts[:shown])
    if len(drafts) > shown:
        names += f" and {len(drafts) - shown} more"
    word = "draft" if len(drafts) == 1 else "drafts"
    return f"left out {len(drafts)} {word}: {names} (build --drafts to include)"


def cmd_check(args: argparse.Namespace) -> int:
    from .build import Options, build

    options = Options(strict=args.strict, online=args.online, check_only=True)
    result = build(args.path, options)
    report(result, args.strict)
    if result.failed:
        return 1
    projects = len(result.portfolio.projects) if result.portfolio else 0
    warnings = plural(len(result.diagnostics.warnings), "warning")
    print(f"checked {plural(projects, 'project')}: {warnings}, no errors")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from .serve import serve

    if not (args.path / "portfolio.yml").is_file():
        print(
            f"{args.path / 'portfolio.yml'}: error: not a portfolio; run 'portfolio-gen init' first",
            file=sys.stderr,
        )
        return 1
    try:
        return serve(args.path, args.host, args.port, drafts=args.drafts, open_browser=args.open)
    except OSError as exc:
        print(
            f"error: cannot listen on {args.host}:{args.port} ({exc.strerror}); try another --port",
            file=sys.stderr,
        )
        return 1


def cmd_init(args: argparse.Namespace) -> int:
    target: Path = args.dir
    if (target / "portfolio.yml").exists():
        print(
            f"{target / 'portfolio.yml'}: error: a portfolio already exists here; nothing was changed",
            file=sys.stderr,
        )
        return 1
    if target.exists() and not target.is_dir():
        print(f"{target}: error: is a file; give a folder name", file=sys.stderr)
        return 1
    title = args.title or title_for(target.resolve().name)
    values = {
        "__TITLE__": _yaml_text(title),
        "__NAME__": "Your N.",
        "__DATE__": _dt.date.today().isoformat(),
        "__VERSION__": __version__,
    }
    source = SCAFFOLD / "portfolio"
    planned = []
    for path in sorted(source.rglob("*")):
        if path.is_file():
            rel = "/".join(
                p.replace("dot-", ".", 1) if p.startswith("dot-") else p
                for p in path.relative_to(source).parts
            )
            planned.append((path, target / rel))
    clashes = [str(dest) for _, dest in planned if dest.exists()]
    if clashes:
        for clash in clashes:
            print(f"{clash}: error: already exists; init never overwrites files", file=sys.stderr)
        return 1
    for path, dest in planned:
        dest.parent.mkdir(parents=True, exist_ok=True)
        text = path.read_text(encoding="utf-8")
        for key, value in values.items():
            text = text.replace(key, value)
        dest.write_text(text, encoding="utf-8")
    print(f"created a portfolio in {target}; next: portfolio-gen build {target}")
    return 0


def title_for(folder: str) -> str:
    """A site title from a folder name: ``my-portfolio`` and ``portfolio`` give
    "My Portfolio", ``maya`` gives "Maya's Portfolio", ``maya-portfolio`` too."""
    words = [w for w in re.split(r"[-_.\s]+", folder) if w]
    while words and words[-1].lower() in ("portfolio", "portfolios", "site", "website"):
        words.pop()
    if not words or [w.lower() for w in words] == ["my"]:
        return "My Portfolio"
    name = " ".join(w[:1].upper() + w[1:] for w in words)
    owner = name if name.endswith(("'s", "’s")) else f"{name}'s"
    return f"{owner} Portfolio"


def cmd_new_project(args: argparse.Namespace) -> int:
    root: Path = args.path
    if not (root / "portfolio.yml").is_file():
        print(
            f"{root / 'portfolio.yml'}: error: not a portfolio; run 'portfolio-gen init' first",
            file=sys.stderr,
        )
        return 1
    from .validate import slugify

    slug = slugify(args.title)
    folder = root / "content" / "projects" / slug
    if folder.exists() or folder.with_suffix(".md").exists():
        print(
            f"{folder}: error: a project with this name exists; choose another title",
            file=sys.stderr,
        )
        return 1
    text = (SCAFFOLD / "project.md").read_text(encoding="utf-8")
    text = text.replace("__TITLE__", _yaml_text(args.title)).replace(
        "__DATE__", _dt.date.today().isoformat()
    )
    folder.mkdir(parents=True)
    (folder / "index.md").write_text(text, encoding="utf-8")
    print(
        f"created {folder / 'index.md'} as a draft: set draft: false (or remove the line) "
        "to publish it; portfolio-gen serve shows drafts"
    )
    return 0


def _yaml_text(value: str) -> str:
    """A YAML scalar for any title: quoted when needed."""
    import json

    return (
        json.dumps(value, ensure_ascii=False)
        if any(c in value for c in ":#'\"[]{}&*!|>%@`,")
        else value
    )


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

"""The ``standards`` command group: ``list``, ``import`` and ``search``.

``register(subparsers)`` adds the group to an argparse subparsers object; each
subcommand sets ``func`` to a callable that takes the parsed Namespace and
returns the exit code (0 success, 1 content errors or nothing found, 2 usage).
Problems are printed as ``path:line: error: message``, never as a traceback.
"""

from __future__ import annotations

import argparse
import sys
import textwrap
from pathlib import Path

from ..cache import write_new
from ..diagnostics import Diagnostic
from ..validate import slugify
from .frameworks import Catalog, load_framework_file, load_frameworks
from .model import Framework, Standard
from .schemes import BUILTIN_SCHEMES, code_from_url, explain_code, looks_like_code, parse_code

_RESERVED = {
    "con",
    "prn",
    "aux",
    "nul",
    *(f"com{i}" for i in range(10)),
    *(f"lpt{i}" for i in range(10)),
}


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``standards list|import|search`` to an ``ArgumentParser.add_subparsers()`` object."""
    group = subparsers.add_parser(
        "standards",
        help="list, import and search academic standards frameworks",
        description=(
            "Browse the standards a portfolio knows: framework files in its standards/ "
            "folder (CASE packages, YAML frameworks) and the built-in CCSS and NGSS "
            "code grammars."
        ),
    )
    commands = group.add_subparsers(dest="standards_command", metavar="COMMAND")
    commands.required = True

    listing = commands.add_parser(
        "list",
        help="the frameworks a portfolio knows, with counts, and the built-in schemes",
        description="List the framework files in PATH/standards/ and the built-in schemes.",
    )
    listing.add_argument("path", nargs="?", default=".", metavar="PATH", help=_PATH_HELP)
    listing.set_defaults(func=run_list)

    importing = commands.add_parser(
        "import",
        help="validate a CASE package (or YAML framework) and copy it into standards/",
        description=(
            "Validate FILE, a CASE 1.0/1.1 CFPackage JSON (or a YAML framework), and copy it "
            "unchanged into PATH/standards/ under a name made from its title. With any error "
            "nothing is copied and every problem is printed."
        ),
    )
    importing.add_argument("file", metavar="FILE", help="the CASE package (.json) or YAML file")
    importing.add_argument("path", nargs="?", default=".", metavar="PATH", help=_PATH_HELP)
    importing.set_defaults(func=run_import)

    searching = commands.add_parser(
        "search",
        help="find standards by code or statement words",
        description=(
            "Search codes and statements in PATH's frameworks. A code-like TEXT is also "
            "parsed with the built-in grammars and shown in canonical form with its "
            "subject, grade and URL. Exit code 1 when nothing matches."
        ),
    )
    searching.add_argument("text", metavar="TEXT", help="a code (any spelling) or words")
    searching.add_argument("path", nargs="?", default=".", metavar="PATH", help=_PATH_HELP)
    searching.add_argument(
        "--limit",
        type=int,
        default=50,
        metavar="N",
        help="show at most N framework matches (default 50; 0 for all)",
    )
    searching.set_defaults(func=run_search)


_PATH_HELP = "the portfolio folder (default: the current folder)"


def _out(*lines: str) -> None:
    for line in lines:
        print(line, file=sys.stdout)


def _err(line: str) -> None:
    print(line, file=sys.stderr)


def _report(diagnostics: list[Diagnostic]) -> int:
    """Print diagnostics to stderr; the number of errors."""
    ordered = sorted(set(diagnostics), key=lambda d: (d.path, d.line or 0, d.severity, d.message))
    for diagnostic in ordered:
        _err(str(diagnostic))
    return sum(1 for d in ordered if d.is_error)


def _folder(path: str) -> Path | None:
    root = Path(path)
    if not root.is_dir():
        _err(f"{path}: error: no such folder")
        return None
    return root


# --------------------------------------------------------------------------- list


def run_list(args: argparse.Namespace) -> int:
    root = _folder(args.path)
    if root is None:
        return 2
    catalog, diagnostics = load_frameworks(root)
    errors = _report(diagnostics)
    frameworks = catalog.frameworks
    if frameworks:
        _out("Frameworks in standards/:")
        rows = [(f.name, _count(f), f.kind, f.source) for f in frameworks]
        width = max(len(r[0]) for r in rows)
        count_width = max(len(r[1]) for r in rows)
        for name, count, kind, source in rows:
            _out(f"  {name:<{width}}  {count:>{count_width}}  {kind:<4}  {source}")
    else:
        _out(
            "No framework files in standards/ (import a CASE package with "
            "'portfolio-gen standards import FILE', or write a YAML framework)."
        )
    _out("", "Built-in schemes (codes recognised without a file; CCSS with statements):")
    width = max(len(info.framework) for info in BUILTIN_SCHEMES)
    for info in BUILTIN_SCHEMES:
        _out(f"  {info.name:<4}  {info.framework:<{width}}  e.g. {', '.join(info.examples)}")
        _out(f"  {'':<4}  {'':<{width}}  {info.note}")
    return 1 if errors else 0


def _count(framework: Framework) -> str:
    n = framework.count
    return f"{n} standard" + ("" if n == 1 else "s")


# --------------------------------------------------------------------------- import


def safe_name(title: str) -> str:
    """A file-name stem from a document title: its slug (validate.slugify), 60 chars at most."""
    has_name = any(ch.isalnum() for ch in title)
    stem = slugify(title)[:60].rstrip("-") if has_name else "framework"
    return f"{stem}-framework" if stem in _RESERVED else stem


def run_import(args: argparse.Namespace) -> int:
    source = Path(args.file)
    if not source.is_file():
        _err(f"{args.file}: error: no such file")
        return 2
    root = _folder(args.path)
    if root is None:
        return 2
    if not (root / "portfolio.yml").is_file():
        _err(
            f"{args.path}: error: not a portfolio folder (no portfolio.yml); "
            "give the portfolio's folder as PATH"
        )
        return 2
    yaml_file = source.suffix.lower() in (".yml", ".yaml")
    suffix = source.suffix.lower() if yaml_file else ".json"
    # Files without a .json suffix (saved from a CASE server) are read as CASE JSON too.
    framework, diagnostics = load_framework_file(
        source, args.file, kind="yaml" if yaml_file else "case"
    )
    errors = _report(diagnostics)
    if errors or framework is None:
        count = errors or 1
        _err(f"{args.file}: error: nothing imported ({count} error{'s' if count != 1 else ''})")
        return 1
    data = source.read_bytes()
    folder = root / "standards"
    target = _target(folder, root, framework, suffix, data)
    display = target.relative_to(root).as_posix()
    if target.is_file() and target.read_bytes() == data:
        _out(f"'{framework.name}' is already imported as {display}")
        return 0
    replacing = target.is_file()
    try:
        folder.mkdir(exist_ok=True)
        write_new(target, data)
    except OSError as exc:
        _err(f"{display}: error: cannot write: {exc.strerror or exc}")
        return 1
    verb = "updated" if replacing else "imported"
    _out(f"{verb} '{framework.name}' ({_count(framework)}) as {display}")
    _, after = load_frameworks(root)
    _report([d for d in after if d.path == display and not d.is_error])
    return 0


def _target(folder: Path, root: Path, framework: Framework, suffix: str, data: bytes) -> Path:
    """Where to copy: the file of the same CASE document if there is one, else a fresh name."""
    if framework.uuid and folder.is_dir():
        catalog, _ = load_frameworks(root)
        for existing in catalog.frameworks:
            if existing.uuid and existing.uuid.lower() == framework.uuid.lower():
                return root / existing.source
    stem = safe_name(framework.name)
    candidate = folder / f"{stem}{suffix}"
    number = 2
    while candidate.exists() and candidate.read_bytes() != data:
        candidate = folder / f"{stem}-{number}{suffix}"
        number += 1
    return candidate


# --------------------------------------------------------------------------- search


def run_search(args: argparse.Namespace) -> int:
    root = _folder(args.path)
    if root is None:
        return 2
    catalog, diagnostics = load_frameworks(root)
    _report(diagnostics)
    text = args.text.strip()
    if not text:
        _err("error: TEXT is empty")
        return 2
    found = explained = False
    code = parse_code(text) or (code_from_url(text) if "://" in text else None)
    if code is not None and catalog.enabled(code) and catalog.resolve(code.canonical) is None:
        explained = True  # well-formed, but not in the bundled catalog (K.CC.A.4, MS-ETS1-7)
        _out(catalog.unknown_message(text))
        code = None
    if code is not None:
        found = True
        _out(f"{text} -> {code.canonical}")
        _out(
            f"  {code.framework}: subject {code.subject}, grade {code.grade} "
            f"(band {code.band}), domain {code.domain}, {code.item_type.lower()}"
        )
        if code.url:
            _out(f"  official URL: {code.url}")
        if not catalog.enabled(code):
            _out(f"  note: {code.scheme.lower()} is not a built-in scheme of this catalog")
        standard = catalog.resolve(code.canonical)
        if standard is not None and standard.builtin and standard.statement:
            for line in textwrap.wrap(f"statement: {standard.statement}", width=86):
                _out(f"  {line}")
            if standard.notice:
                _out(f"  ({standard.notice})")
        elif standard is None or standard.builtin:
            if standard is not None and standard.url:
                _out(f"  page: {standard.url}")
            _out(
                "  statement: not bundled (the texts are copyrighted); import a CASE "
                "package with 'portfolio-gen standards import FILE' to show it"
            )
    elif looks_like_code(text):
        reason = explain_code(text)
        if reason is not None:
            explained = True
            _out(f"'{text}' is not a valid code: {reason}{catalog.hint(text)}")
    matches = [s for s in catalog.search(text) if not s.builtin]
    if matches:
        found = True
        if code is not None:
            _out("")
        plural = "es" if len(matches) != 1 else ""
        _out(f"{len(matches)} match{plural} in the portfolio's frameworks:")
        shown = matches if args.limit <= 0 else matches[: args.limit]
        for standard in shown:
            _show(standard)
        if len(shown) < len(matches):
            _out(f"  ... and {len(matches) - len(shown)} more (--limit 0 shows all)")
    if not found:
        hint = catalog.hint(text) if looks_like_code(text) and not explained else ""
        _out(f"no standards match '{text}'{hint}")
        return 1
    return 0


def _show(standard: Standard) -> None:
    where = (standard.source or "") + (f":{standard.line}" if standard.line else "")
    extra = ", ".join(
        part
        for part in (
            standard.framework,
            f"grade {standard.grade}" if standard.grade else "",
            where,
        )
        if part
    )
    _out(f"  {standard.label}  ({extra})")
    if standard.statement:
        for line in textwrap.wrap(standard.statement, width=88):
            _out(f"      {line}")
    if standard.url:
        _out(f"      {standard.url}")


__all__ = ["Catalog", "register", "run_import", "run_list", "run_search", "safe_name"]

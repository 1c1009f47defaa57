"""The ``badges`` command group: ``show``, ``verify``, ``bake``.

:func:`register` adds it to an argparse subparsers object; each command's
parser gets ``func``, a callable taking the parsed Namespace and returning the
exit code. User errors print ``path: error: message`` to stderr and return 1.
The commands import the badge reader (cryptography, JSON-LD) when they run:
``register`` is called for every command line, a build's too.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from ..cache import cache_folder
from ..paths import read_at_most
from .identities import DEFAULT_CACHE_DIR, recipient_identities

if TYPE_CHECKING:
    from .model import Badge

SPEC_NAMES = {"ob1": "Open Badges 1.x", "ob2": "Open Badges 2.0", "ob3": "Open Badges 3.0"}
SIGNED_NAMES = {
    "vc-jwt": "signed VC-JWT",
    "data-integrity": "Data Integrity proof",
    "jws": "signed (JWS)",
}


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``badges show|verify|bake`` to an ``argparse`` subparsers object."""
    group = subparsers.add_parser(
        "badges",
        help="inspect, verify and bake Open Badges",
        description="Inspect, verify and bake Open Badges (1.x, 2.0, 3.0) in PNG, SVG, "
        "JSON, JWS and JWT files. See docs/badges.md.",
    )
    sub = group.add_subparsers(dest="badges_command", metavar="COMMAND")
    sub.required = True

    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--online",
            action="store_true",
            help="use the network: hosted badges, keys, revocation and status lists, contexts",
        )
        p.add_argument(
            "--cache",
            metavar="DIR",
            type=Path,
            help=f"the badge cache folder (default: {DEFAULT_CACHE_DIR.as_posix()} "
            "in the portfolio root)",
        )

    show = sub.add_parser(
        "show", help="a readable summary of one badge", description="Show one badge."
    )
    show.add_argument("file", metavar="FILE", type=Path)
    common(show)
    show.set_defaults(func=run_show)

    verify = sub.add_parser(
        "verify",
        help="verify badges (exit 1 if any failed or is unreadable)",
        description="Verify badges, offline unless --online. Exit status 1 if any badge "
        "failed verification or is unreadable.",
    )
    verify.add_argument("files", metavar="FILE", type=Path, nargs="+")
    verify.add_argument("--json", action="store_true", help="print the results as JSON")
    common(verify)
    verify.set_defaults(func=run_verify)

    bake_p = sub.add_parser(
        "bake",
        help="bake a credential into a PNG or SVG image",
        description="Bake an OB 2.0 assertion or OB 3.0 credential (JSON, JWS or VC-JWT "
        "file) into a PNG or SVG image; any badge already in the image is replaced.",
    )
    bake_p.add_argument("image", metavar="IMAGE", type=Path)
    bake_p.add_argument("credential", metavar="CREDENTIAL", type=Path)
    bake_p.add_argument("-o", "--output", metavar="OUT", type=Path, required=True)
    bake_p.set_defaults(func=run_bake)


# ------------------------------------------------------------------- helpers


def _portfolio_root(start: Path) -> Path:
    here = start.resolve()
    for folder in (here if here.is_dir() else here.parent, *here.parents):
        if (folder / "portfolio.yml").is_file():
            return folder
    return Path.cwd()


def _context(file: Path, args: argparse.Namespace, err: TextIO) -> dict[str, Any]:
    root = _portfolio_root(file)
    identities, problems = recipient_identities(root)
    for problem in problems:
        print(f"{problem.split(':', 1)[0]}: warning: {problem.split(': ', 1)[-1]}", file=err)
    cache = args.cache if getattr(args, "cache", None) else cache_folder(root, "badges")
    return {
        "root": Path.cwd(),
        "identities": identities,
        "online": bool(getattr(args, "online", False)),
        "cache_dir": cache,
    }


def _missing(file: Path, err: TextIO) -> bool:
    if not file.exists():
        print(f"{file}: error: no such file", file=err)
        return True
    if file.is_dir():
        print(f"{file}: error: is a folder, not a badge file", file=err)
        return True
    return False


def _spec_line(badge: Badge) -> str:
    parts = [(badge.container or "?").upper()]
    if badge.spec:
        parts.append(SPEC_NAMES.get(badge.spec, badge.spec))
    if badge.signed:
        parts.append(SIGNED_NAMES.get(badge.signed, badge.signed))
    return ", ".join(parts)


def summary(badge: Badge) -> str:
    """A readable, plain-text summary of a badge."""
    rows: list[tuple[str, str]] = []
    rows.append(("file", f"{badge.file} ({_spec_line(badge)})"))
    issuer = badge.issuer.name + (f" <{badge.issuer.url}>" if badge.issuer.url else "")
    rows.append(("issuer", issuer))
    rows.append(("issued", badge.issued_on.isoformat() if badge.issued_on else "unknown"))
    rows.append(("expires", badge.expires.isoformat() if badge.expires else "never"))
    if badge.recipient_kind:
        rows.append(("recipient", badge.recipient_kind))
    if badge.description:
        rows.append(("description", badge.description))
    if badge.criteria_narrative or badge.criteria_url:
        rows.append(("criteria", badge.criteria_narrative or badge.criteria_url or ""))
        if badge.criteria_narrative and badge.criteria_url:
            rows.append(("", badge.criteria_url))
    for i, ev in enumerate(badge.evidence):
        label = ev.name or ev.narrative or ev.description or "evidence"
        rows.append(("evidence" if i == 0 else "", label + (f" <{ev.url}>" if ev.url else "")))
    for i, al in enumerate(badge.alignments):
        label = al.name + (f" [{al.code}]" if al.code and al.code != al.name else "")
        label += f" ({al.framework})" if al.framework else ""
        rows.append(("aligned to" if i == 0 else "", label + (f" <{al.url}>" if al.url else "")))
    if badge.tags:
        rows.append(("tags", ", ".join(badge.tags)))
    for i, m in enumerate(badge.missing):
        rows.append(("missing" if i == 0 else "", m))
    v = badge.verification
    rows.append(("status", f"{v.status}: {v.reason}"))
    if badge.checked:
        rows.append(("checked", f"{badge.checked.isoformat()} (when what it rests on was fetched)"))
    width = max(len(k) for k, _ in rows) + 2
    lines = [badge.name, ""]
    lines += [f"  {(k + ':') if k else '':<{width}}{value}" for k, value in rows]
    return "\n".join(lines)


def badge_json(badge: Badge, path: str) -> dict[str, Any]:
    return {
        "path": path,
        "file": badge.file,
        "slug": badge.slug,
        "spec": badge.spec,
        "name": badge.name,
        "issuer": {"name": badge.issuer.name, "url": badge.issuer.url},
        "issued_on": badge.issued_on.isoformat() if badge.issued_on else None,
        "expires": badge.expires.isoformat() if badge.expires else None,
        "verification": {"status": badge.verification.status, "reason": badge.verification.reason},
        "missing": list(badge.missing),
        "checked": badge.checked.isoformat() if badge.checked else None,
    } | _endorsement_json(badge)


def _endorsement_json(badge: Badge) -> dict[str, Any]:
    """An endorsement file: what it endorses and its own check (``verification`` stays)."""
    e = badge.endorses
    if e is None or e.verification is None:
        return {}
    check = {"status": e.verification.status, "reason": e.verification.reason}
    return {"endorsement": {"endorser": e.issuer, "of": badge.id, "verification": check}}


# ------------------------------------------------------------------ commands


def run_show(args: argparse.Namespace) -> int:
    out, err = sys.stdout, sys.stderr
    file: Path = args.file
    if _missing(file, err):
        return 1
    from .reader import read_badge

    badge, diags = read_badge(file, **_context(file, args, err))
    print(summary(badge), file=out)
    for d in diags:
        print(d, file=err)
    return 1 if badge.verification.status == "unreadable" else 0


def run_verify(args: argparse.Namespace) -> int:
    from .reader import read_badge

    out, err = sys.stdout, sys.stderr
    results: list[dict[str, Any]] = []
    bad = 0
    for file in args.files:
        if _missing(file, err):
            bad += 1
            results.append(
                {
                    "path": str(file),
                    "verification": {"status": "unreadable", "reason": "No such file."},
                }
            )
            continue
        badge, diags = read_badge(file, **_context(file, args, err))
        for d in diags:
            if not d.message.startswith(("badge failed", "unreadable badge", "badge is revoked")):
                print(d, file=err)
        check = badge.verification
        if badge.endorses is not None and badge.endorses.verification is not None:
            check = badge.endorses.verification  # an endorsement file: its own check
        status = check.status
        if status in ("failed", "unreadable"):
            bad += 1
        if args.json:
            results.append(badge_json(badge, str(file)))
        else:
            kind = f"endorsement of {badge.id}: " if badge.endorses is not None else ""
            print(f"{file}: {kind}{status}: {check.reason}", file=out)
    if args.json:
        json.dump(results, out, indent=2, ensure_ascii=False)
        out.write("\n")
    return 1 if bad else 0


def _read_capped(path: Path, limit: int, what: str, err: TextIO) -> bytes | None:
    if _missing(path, err):
        return None
    try:
        data = read_at_most(path, limit)
    except OSError as exc:
        print(f"{path}: error: cannot be read ({exc.strerror or exc})", file=err)
        return None
    if data is None:
        print(f"{path}: error: the {what} is too large (the limit is {limit} bytes)", file=err)
        return None
    return data


def run_bake(args: argparse.Namespace) -> int:
    from .containers import MAX_FILE_BYTES, MAX_PAYLOAD_BYTES, sniff
    from .reader import bake, read_badge

    out, err = sys.stdout, sys.stderr
    image = _read_capped(args.image, MAX_FILE_BYTES, "image", err)
    credential = _read_capped(args.credential, MAX_PAYLOAD_BYTES, "credential", err)
    if image is None or credential is None:
        return 1
    try:
        text = credential.decode("utf-8-sig")
    except UnicodeDecodeError:
        print(f"{args.credential}: error: the credential is not UTF-8 text", file=err)
        return 1
    kind = sniff(image)
    if kind is None:
        print(f"{args.image}: error: not a PNG or SVG image", file=err)
        return 1
    wanted = {".png": "png", ".svg": "svg"}.get(args.output.suffix.lower())
    if wanted and wanted != kind:
        print(
            f"{args.output}: error: the image is {kind.upper()}, "
            f"so the output name should end in .{kind}",
            file=err,
        )
        return 1
    try:
        baked = bake(image, text, kind=kind)
    except ValueError as exc:
        message = str(exc)
        blame = args.image if _is_image_problem(message) else args.credential
        print(f"{blame}: error: {message}", file=err)
        return 1
    try:
        _write_atomic(args.output, baked)
    except OSError as exc:
        print(f"{args.output}: error: cannot be written ({exc.strerror or exc})", file=err)
        return 1
    badge, _diags = read_badge(args.output, root=Path.cwd())
    print(
        f"{args.output}: baked {badge.name} ({_spec_line(badge)}); "
        f"offline check: {badge.verification.status}",
        file=out,
    )
    return 0


def _is_image_problem(message: str) -> bool:
    return any(
        word in message
        for word in ("PNG", "SVG", "image", "IHDR", "truncated", "DTD", "tag is not closed")
    )


def _write_atomic(path: Path, data: bytes) -> None:
    folder = path.parent if str(path.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; a baked badge is for sharing
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise

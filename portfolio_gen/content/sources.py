"""Find the source files of a portfolio's content/ folder."""

from __future__ import annotations

import os
from dataclasses import field
from pathlib import Path

from ..diagnostics import Diagnostics
from ..lazy_dataclass import dataclass
from ..paths import Listings, walk


@dataclass
class Sources:
    """What discovery found under content/."""

    # the projects' source files: as text (a Path each costs ~2 ms per 1,000 on every
    # build, and only a source read again needs one), and from the root, with '/'
    paths: list[str] = field(default_factory=list)
    keys: list[str] = field(default_factory=list)
    about: Path | None = None
    files: set[str] = field(default_factory=set)  # every file under content/, content-relative
    # key -> a bundle's files besides index.md, inside its folder, in walk order (cache.signature)
    bundle_files: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def projects(self) -> list[Path]:
        return [Path(p) for p in self.paths]


def discover(root: Path, diagnostics: Diagnostics, listings: Listings | None = None) -> Sources:
    """What is under content/; ``listings`` (paths.Listings) are the last discovery's folders."""
    content = root / "content"
    found = Sources()
    if not content.is_dir():
        return found
    # Links are followed only where paths.py allows it (inside the portfolio,
    # to nothing private); the others are reported and skipped.
    folders: set[str] = set()  # every folder under content/, content-relative
    report = lambda path, message: diagnostics.warning(path, message)  # noqa: E731
    for rel, _ in walk(root, content, report, listings):
        if rel[-1] == "/":
            folders.add(rel[:-1])
        else:
            found.files.add(rel)
    if "about.md" in found.files:
        found.about = content / "about.md"
    for path in sorted(content.glob("*.md")):
        if path.name != "about.md":
            diagnostics.warning(
                path,
                "is not published; projects go in content/projects/, your profile in content/about.md",
            )
    # The projects, from what the walk saw (no more file system calls): files
    # projects/<name>.md and folders projects/<name>/ with an index.md.
    # Strings, not Paths: this runs on every build.
    top = str(content)
    prefix = f"{top}{os.sep}projects{os.sep}"
    bundles: dict[str, str] = {}  # "<name>" of a bundle -> its key
    names = {
        rel[9:]
        for rel in found.files | folders
        if rel.startswith("projects/") and "/" not in rel[9:]
    }
    for name in sorted(names):
        if f"projects/{name}" in folders:
            if f"projects/{name}/index.md" in found.files:
                bundles[name] = f"content/projects/{name}/index.md"
                found.paths.append(f"{prefix}{name}{os.sep}index.md")
                found.keys.append(bundles[name])
            else:
                others = sorted(
                    f[len(name) + 10 :]
                    for f in found.files
                    if f.startswith(f"projects/{name}/") and f.endswith(".md") and f.count("/") == 2
                )
                hint = f"; rename {others[0]} to index.md" if others else ""
                diagnostics.error(Path(prefix + name), f"project folder has no index.md{hint}")
        elif name.lower().endswith(".md"):
            found.paths.append(prefix + name)
            found.keys.append(f"content/projects/{name}")
    inside_bundles: dict[str, list[str]] = {key: [] for key in bundles.values()}
    for rel in found.files:
        parts = rel.split("/", 2)
        if len(parts) == 3 and parts[0] == "projects" and parts[2] != "index.md":
            key = bundles.get(parts[1])
            if key is not None:
                inside_bundles[key].append(parts[2])
    found.bundle_files = {
        key: tuple(sorted(files, key=_walk_order)) for key, files in inside_bundles.items()
    }
    return found


def _walk_order(rel: str) -> tuple[tuple[int, str], ...]:
    """The order bundle signatures list files in: os.walk's, a folder's files by
    name, then its folders."""
    *folders, name = rel.split("/")
    return (*((1, f) for f in folders), (0, name))

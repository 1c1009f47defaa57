"""Frameworks from a portfolio's ``standards/`` folder, and the Catalog that resolves codes.

``load_frameworks(root)`` reads every ``*.json`` (CASE package) and ``*.yml`` /
``*.yaml`` (simple framework) file directly in ``root/standards/`` and returns a
Catalog plus diagnostics; it never raises on bad input.

``Catalog.resolve`` looks a text up in the framework files first (code, CASE
UUID or URI; case-insensitive), then in the built-in grammars, so a CCSS code
that an imported CASE package contains resolves to that item with its
statement and URI, and any other valid CCSS/NGSS code still resolves (without a
statement).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from ..diagnostics import WARNING, Diagnostic
from ..paths import refusal, skipped
from ..patterns import lazy_compile
from .model import Framework, Standard, builtin_standard, in_catalog
from .schemes import (
    BUILTIN_SCHEMES,
    SCHEME_NAMES,
    Code,
    SchemeInfo,
    code_from_url,
    explain_code,
    parse_code,
    repairs,
)

FRAMEWORK_SUFFIXES: tuple[str, ...] = (".json", ".yml", ".yaml")
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_TRAILING_UUID = lazy_compile(r"([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})/?$")


def _uri_key(uri: str) -> str:
    """URIs compare without scheme, trailing slash or letter case."""
    return re.sub(r"^[a-z][a-z0-9+.-]*://", "", uri.strip().lower()).rstrip("/")


def _uuid_key(text: str) -> str | None:
    s = text.strip().lower()
    s = s[len("urn:uuid:") :] if s.startswith("urn:uuid:") else s
    return s if _UUID.fullmatch(s) else None


class Catalog:
    """Every standard a portfolio knows: its framework files plus the built-in grammars.

    ``schemes`` limits the built-in grammars (``["ccss"]``, ``["ngss"]``; default
    both, as portfolio.yml's ``standards:`` key). Codes from framework files
    always resolve.
    """

    def __init__(
        self, frameworks: Iterable[Framework] = (), schemes: Iterable[str] | None = None
    ) -> None:
        self._frameworks: list[Framework] = list(frameworks)
        names = SCHEME_NAMES if schemes is None else schemes
        self.schemes: frozenset[str] = frozenset(s.strip().lower() for s in names)
        self._standards: list[Standard] = []
        self._by_code: dict[str, list[Standard]] = {}
        self._by_uuid: dict[str, Standard] = {}
        self._by_uri: dict[str, Standard] = {}
        self._children: dict[tuple[str | None, str], list[Standard]] = {}
        self._seen: dict[str, None] = {}  # built-in codes resolved so far, in order
        self._resolved: dict[tuple[str, str | None], Standard | None] = {}
        for framework in self._frameworks:
            for standard in framework.standards:
                self._add(standard)

    def _add(self, standard: Standard) -> None:
        self._standards.append(standard)
        if standard.code:
            keys = [standard.code.upper()]
            parsed = parse_code(standard.code)
            if parsed is not None and parsed.canonical.upper() not in keys:
                keys.append(parsed.canonical.upper())
            for key in keys:
                self._by_code.setdefault(key, []).append(standard)
        if standard.uuid:
            self._by_uuid.setdefault(standard.uuid.strip().lower(), standard)
        if standard.url:
            self._by_uri.setdefault(_uri_key(standard.url), standard)
        if standard.parent:
            self._children.setdefault((standard.source, standard.parent), []).append(standard)

    # ------------------------------------------------------------------ browsing

    @property
    def frameworks(self) -> list[Framework]:
        """The framework files, in load order (each has name, source, kind, count)."""
        return list(self._frameworks)

    @property
    def builtin_schemes(self) -> list[SchemeInfo]:
        """The built-in grammars this catalog recognises."""
        return [info for info in BUILTIN_SCHEMES if info.name in self.schemes]

    def __iter__(self) -> Iterator[Standard]:
        """The standards from framework files, each framework in tree order."""
        return iter(self._standards)

    def __len__(self) -> int:
        return len(self._standards)

    def children(self, standard: Standard) -> list[Standard]:
        """The direct children of a framework standard, in order."""
        return list(self._children.get((standard.source, standard.key), []))

    def parent(self, standard: Standard) -> Standard | None:
        """The parent of a standard (framework item or built-in component), if known."""
        if not standard.parent:
            return None
        for candidate in self._by_code.get(standard.parent.upper(), []):
            if candidate.source == standard.source:
                return candidate
        found = self._by_uuid.get(standard.parent.lower())
        if found is not None:
            return found
        return self._resolve(standard.parent, None, record=False)

    def members(self, standard: Standard) -> list[Standard]:
        """The standards a group (domain, cluster) holds, in order; [] for a standard.

        Built-in CCSS groups from the bundled catalog; a framework file's groups
        from its tree (its items with no children of their own, or typed Standard).
        """
        if not standard.group:
            return []
        if standard.builtin:
            from .bundled import standards_in

            found = (
                self._resolve(item.code, None, record=False) for item in standards_in(standard.key)
            )
            return [s for s in found if s is not None]
        out: list[Standard] = []
        for child in self.children(standard):
            out.extend(self.members(child) if child.group else [child])
        return out

    def trail(self, standard: Standard) -> list[Standard]:
        """The ancestors of a standard, outermost first (domain > cluster > standard)."""
        out: list[Standard] = []
        seen = {standard.key}
        parent = self.parent(standard)
        while parent is not None and parent.key not in seen and len(out) < 12:
            out.insert(0, parent)
            seen.add(parent.key)
            parent = self.parent(parent)
        return out

    def known_codes(self) -> list[str]:
        """Codes from framework files, then built-in codes already resolved."""
        codes = [s.code for s in self._standards if s.code]
        return codes + [c for c in self._seen if c.upper() not in self._by_code]

    # ------------------------------------------------------------------ resolving

    def enabled(self, code: Code) -> bool:
        """True when the portfolio recognises ``code``'s built-in scheme."""
        return code.scheme.lower() in self.schemes

    def _from_files(self, text: str, framework: str | None = None) -> Standard | None:
        found = self._by_code.get(text.upper())
        if found:
            return self._prefer(found, framework)
        uuid = _uuid_key(text)
        if uuid is not None:
            return self._by_uuid.get(uuid)
        if "://" in text:
            hit = self._by_uri.get(_uri_key(text))
            if hit is not None:
                return hit
            tail = _TRAILING_UUID.search(text.strip().lower())
            if tail is not None:
                return self._by_uuid.get(tail.group(1))
        return None

    @staticmethod
    def _prefer(found: list[Standard], framework: str | None) -> Standard:
        if framework:
            wanted = framework.strip().lower()
            for standard in found:
                if standard.framework.lower() == wanted:
                    return standard
        return found[0]

    def resolve(self, text: str, framework: str | None = None) -> Standard | None:
        """The standard ``text`` names (a code in any accepted spelling, a CASE
        UUID or URI, an official CCSS URL), or None.

        ``framework`` (a framework's display name) picks among framework files
        that define the same code.
        """
        if not isinstance(text, str):
            return self._resolve(text, framework, record=True)
        key = (text, framework)
        if key not in self._resolved:  # a live preview resolves the same codes on every save
            self._resolved[key] = self._resolve(text, framework, record=True)
        return self._resolved[key]

    def _resolve(self, text: object, framework: str | None, record: bool) -> Standard | None:
        if not isinstance(text, str) or not text.strip():
            return None
        text = text.strip()
        hit = self._from_files(text, framework)
        if hit is not None:
            return hit
        code = parse_code(text) or (code_from_url(text) if "://" in text else None)
        if code is None:
            return None
        found = self._by_code.get(code.canonical.upper())
        if found:
            return self._prefer(found, framework)
        if not self.enabled(code) or not in_catalog(code):
            return None
        if record:
            self._seen.setdefault(code.canonical, None)
        return builtin_standard(code)

    def resolve_alignment(
        self,
        name: str | None = None,
        url: str | None = None,
        code: str | None = None,
        framework: str | None = None,
    ) -> Standard | None:
        """The standard an Open Badge alignment points at, or None.

        Tries, in order: the URL as a CASE URI or UUID (exact identity), the
        code (a code, or a UUID/URI someone put in targetCode), the URL as an
        official CCSS URL, and the name when it is itself a code.
        """
        texts = [t.strip() for t in (url, code) if isinstance(t, str) and t.strip()]
        for text in texts:
            if "://" in text or _uuid_key(text):
                hit = self._from_files(text, framework)
                if hit is not None:
                    return hit
        for given in (code, url, name):
            if isinstance(given, str) and given.strip():
                hit = self.resolve(given, framework)
                if hit is not None:
                    return hit
        return None

    # ------------------------------------------------------------------ unknown codes

    def suggest(self, text: str, extra: Iterable[str] = ()) -> list[str]:
        """Did-you-mean candidates for an unknown ``text``, best first.

        Separator repairs of a near-code (``HS.ETS1.2`` -> ``HS-ETS1-2``), then
        close matches among the framework codes, the built-in codes resolved so
        far and ``extra`` (e.g. every code the portfolio uses).
        """
        if not isinstance(text, str) or not text.strip():
            return []
        out: list[str] = []
        itself = parse_code(text)
        if itself is not None and self.enabled(itself) and not in_catalog(itself):
            out.extend(_catalog_near(itself)[1])
            if out:  # the catalog knows best: no need to compare with every code
                return out[:5]
        for canonical in repairs(text):
            if itself is not None and canonical == itself.canonical:
                continue
            standard = self._resolve(canonical, None, record=False)
            if standard is not None and standard.code and standard.code not in out:
                out.append(standard.code)
        import difflib  # imported here: only an unknown code needs it

        pool: dict[str, str] = {}
        for candidate in [*self.known_codes(), *extra]:
            parsed = parse_code(candidate)
            shown = parsed.canonical if parsed else candidate
            pool.setdefault(shown.upper(), shown)
            if parsed is not None:
                pool.setdefault(parsed.short.upper(), shown)
        word = text.strip().upper()
        scored: dict[str, float] = {}
        for key, shown in pool.items():
            matcher = difflib.SequenceMatcher(None, word, key)
            if matcher.real_quick_ratio() < 0.6 or matcher.quick_ratio() < 0.6:
                continue
            ratio = matcher.ratio()
            if ratio >= 0.6 and key != word:
                scored[shown] = max(ratio, scored.get(shown, 0.0))
        for shown, _ in sorted(scored.items(), key=lambda kv: (-kv[1], kv[0])):
            if shown not in out:
                out.append(shown)
        return out[:5]

    def hint(self, text: str, extra: Iterable[str] = ()) -> str:
        """`` (did you mean 'X'?)`` with the best suggestion, or an empty string."""
        found = self.suggest(text, extra)
        return f" (did you mean '{found[0]}'?)" if found else ""

    def unknown_message(self, text: object, extra: Iterable[str] = ()) -> str:
        """The message for a code that does not resolve, with the reason and a hint."""
        if not isinstance(text, str):
            kind = "empty" if text is None else type(text).__name__
            return f"a standard must be a code (a string), not {kind}"
        shown = text.strip()
        code = parse_code(shown)
        if code is not None and not self.enabled(code):
            listed = ", ".join(sorted(self.schemes)) or "none"
            return (
                f"'{shown}' is a {code.framework} code, but this portfolio's standards: "
                f"lists only {listed}; add {code.scheme.lower()} to recognise it"
            )
        if code is not None and not in_catalog(code):
            reason, near = _catalog_near(code)
            hint = f" (did you mean '{near[0]}'?)" if near else self.hint(shown, extra)
            return f"'{shown}' is not in {code.framework}: {reason}{hint}"
        why = explain_code(shown)
        if why is not None:
            return f"'{shown}' is not a valid code: {why}{self.hint(shown, extra)}"
        return f"unknown standard '{shown}'{self.hint(shown, extra)}"

    # ------------------------------------------------------------------ search

    def search(self, text: str) -> list[Standard]:
        """Standards whose code or statement matches ``text``, best first.

        Ranking: the standard ``text`` resolves to (a built-in code is included
        even without a framework file), codes starting with it, codes containing
        it, then statements containing every word of it. Case-insensitive.
        """
        if not isinstance(text, str) or not text.strip():
            return []
        query = text.strip()
        upper = query.upper()
        words = query.lower().split()
        ranked: list[tuple[int, int, Standard]] = []
        exact = self._resolve(query, None, record=False)
        if exact is not None:
            ranked.append((0, -1, exact))
        for position, standard in enumerate(self._standards):
            if standard is exact:
                continue
            code = (standard.code or "").upper()
            short = (standard.short or "").upper()
            haystack = " ".join(t for t in (standard.statement, standard.abbreviated) if t).lower()
            if code and (code.startswith(upper) or short.startswith(upper)):
                rank = 1
            elif code and (upper in code or upper in short):
                rank = 2
            elif haystack and all(word in haystack for word in words):
                rank = 3
            else:
                continue
            ranked.append((rank, position, standard))
        ranked.sort(key=lambda r: (r[0], r[1]))
        return [standard for _, _, standard in ranked]


def _catalog_near(code: Code) -> tuple[str, list[str]]:
    """Why a well-formed built-in code is not in the bundled catalog, and what it may mean."""
    from . import bundled

    if code.scheme == "NGSS":
        return bundled.ngss_near(code.canonical)
    return bundled.ccss_near(code.short, code.canonical)


def load_framework_file(
    path: Path, display: str | None = None, kind: str | None = None
) -> tuple[Framework | None, list[Diagnostic]]:
    """One framework file. ``kind`` is "case" or "yaml"; by default ``.yml``/``.yaml``
    files are YAML frameworks and anything else is read as a CASE package."""
    if kind is None:
        kind = "yaml" if path.suffix.lower() in (".yml", ".yaml") else "case"
    if kind == "case":
        from .case import load_case  # only when there is one

        framework, problems = load_case(path, display)
    else:
        from .yaml_framework import load_yaml_framework  # PyYAML: only when there is one

        framework, problems = load_yaml_framework(path, display)
    return (_with_trails(framework) if framework is not None else None), problems


def _with_trails(framework: Framework) -> Framework:
    """Each item with its ancestors (type, label, statement), for the standard's page."""
    by_key = {s.key: s for s in framework.standards}
    out = []
    for standard in framework.standards:
        trail: list[tuple[str, str, str]] = []
        seen = {standard.key}
        up = by_key.get(standard.parent or "")
        while up is not None and up.key not in seen and len(trail) < 12:
            trail.insert(0, (up.item_type or "", up.label, up.statement or ""))
            seen.add(up.key)
            up = by_key.get(up.parent or "")
        out.append(dataclasses.replace(standard, trail=tuple(trail)) if trail else standard)
    return dataclasses.replace(framework, standards=tuple(out))


def load_frameworks(
    root: Path, *, schemes: Iterable[str] | None = None
) -> tuple[Catalog, list[Diagnostic]]:
    """Every framework in ``root/standards/`` (none when the folder is missing).

    Paths in diagnostics are relative to ``root`` (``standards/ccss-math.json``).
    A file with errors still contributes whatever could be read from it. A code
    defined by two files, or the same CASE document imported twice, is a
    warning; the file that sorts first wins.
    """
    folder = root / "standards"
    diagnostics: list[Diagnostic] = []
    frameworks: list[Framework] = []
    if not folder.is_dir():
        return Catalog((), schemes), diagnostics
    files = []
    for p in [folder, *sorted(folder.iterdir())]:  # the file policy: paths.py
        if p != folder and skipped(p.name):
            continue
        problem = refusal(root, p)
        if problem is not None:
            diagnostics.append(Diagnostic(p.relative_to(root).as_posix(), None, WARNING, problem))
            if p == folder:
                return Catalog((), schemes), diagnostics
        elif p.is_file() and p.suffix.lower() in FRAMEWORK_SUFFIXES:
            files.append(p)
    documents: dict[str, str] = {}
    codes: dict[str, Standard] = {}
    for path in files:
        display = path.relative_to(root).as_posix()
        framework, problems = load_framework_file(path, display)
        diagnostics.extend(problems)
        if framework is None:
            continue
        if framework.uuid:
            first = documents.get(framework.uuid.lower())
            if first is not None:
                diagnostics.append(
                    Diagnostic(
                        display,
                        None,
                        WARNING,
                        f"same CASE document as {first} (identifier {framework.uuid}); "
                        "this copy is ignored",
                    )
                )
                continue
            documents[framework.uuid.lower()] = display
        for standard in framework.standards:
            if not standard.code:
                continue
            parsed = parse_code(standard.code)
            key = (parsed.canonical if parsed else standard.code).upper()
            other = codes.get(key)
            if other is None:
                codes[key] = standard
            elif other.source != standard.source:
                where = f"{other.source}:{other.line}" if other.line else str(other.source)
                diagnostics.append(
                    Diagnostic(
                        display,
                        standard.line,
                        WARNING,
                        f"code '{standard.code}' is also defined in {where} "
                        f"({other.framework}); that one is used",
                    )
                )
        frameworks.append(framework)
    return Catalog(frameworks, schemes), diagnostics

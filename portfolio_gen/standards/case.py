"""CASE (1EdTech Competencies and Academic Standards Exchange) CFPackage import.

Reads a CASE 1.0 or 1.1 CFPackage JSON (bare, or wrapped in ``{"CFPackage": ...}``
as CASE 1.1 servers return it) into a Framework: the tree from ``isChildOf``
associations, codes from ``humanCodingScheme`` (canonicalised when they follow
a built-in grammar, so ``7.RP.A.2`` in a package is the same standard as
``CCSS.Math.Content.7.RP.A.2`` in front matter), statements, URIs, UUIDs and
grades from ``educationLevel``.

Nothing here raises on bad input: every problem becomes a Diagnostic with the
file and the line of the offending item or key, through the one validation
helper (``schema.Reporter`` over ``schema.load_json``'s lines).
"""

from __future__ import annotations

from dataclasses import field
from pathlib import Path
from typing import Any

from ..diagnostics import ERROR, Diagnostic, Diagnostics, InputError
from ..lazy_dataclass import dataclass
from ..schema import KeyPath, Reporter, key_name, load_json
from ..yamlio import Located
from .model import Framework, Standard
from .schemes import band_for_grade, parse_code

# --------------------------------------------------------------------------- helpers

_EDUCATION_LEVELS = {"KG": 0, "K": 0, **{f"{n:02d}": n for n in range(1, 13)}}
_EDUCATION_LEVELS.update({str(n): n for n in range(1, 13)})


def grade_from_education_levels(levels: object) -> str | None:
    """``["06", "07", "08"]`` -> ``"6-8"``; ``["KG"]`` -> ``"K"``; unknown -> None."""
    if not isinstance(levels, list):
        return None
    known = (v.strip().upper() for v in levels if isinstance(v, str))
    numbers = sorted({_EDUCATION_LEVELS[v] for v in known if v in _EDUCATION_LEVELS})
    if not numbers:
        return None
    low = "K" if numbers[0] == 0 else str(numbers[0])
    return low if numbers[0] == numbers[-1] else f"{low}-{numbers[-1]}"


def _json_type(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return "a string"


@dataclass
class _Item:
    """One CFItem of a CASE package, while the package is being read."""

    index: int
    line: int | None
    identifier: str
    uri: str | None
    code: str | None  # canonical when it follows a built-in grammar
    raw: dict
    parents: list[tuple[int, int | None, _Item | None]] = field(default_factory=list)
    # (association index, sequenceNumber, parent item or None for the document)

    @property
    def key(self) -> str:
        return self.code or self.identifier

    @property
    def label(self) -> str:
        return self.code or self.identifier


def _text(raw: dict[str, Any], key: str, at: KeyPath, report: Reporter) -> str | None:
    """The text of ``raw[key]`` (``raw`` is the value at ``at``), or None and an error."""
    value = raw.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        message = f"{key_name(at)}: {key} must be a string, not {_json_type(value)}"
        report.error_at((*at, key), message)
        return None
    return value.strip() or None


# --------------------------------------------------------------------------- entry points


def load_case(path: Path, display: str | None = None) -> tuple[Framework | None, list[Diagnostic]]:
    """Read a CASE package file; ``display`` is the path shown in messages."""
    where = display if display is not None else str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        return None, [Diagnostic(where, None, ERROR, f"cannot read file: {exc.strerror or exc}")]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return None, [Diagnostic(where, line, ERROR, "not UTF-8 text, so not a CASE JSON package")]
    return parse_case(text, where, default_name=path.stem)


def parse_case(
    text: str, source: str, default_name: str | None = None
) -> tuple[Framework | None, list[Diagnostic]]:
    """Parse CFPackage JSON text. Returns the framework (None when unusable) and problems.

    A framework with problems is still returned when its items could be read:
    a duplicate code keeps the first item, a dangling or cycle-closing
    association is ignored. Callers that must refuse bad packages (``standards
    import``) check the diagnostics for errors.
    """
    diagnostics = Diagnostics()
    report = Reporter(source, Located(None), diagnostics)
    try:
        located = load_json(text, depth=_depth)
    except InputError as exc:
        report.error_at((), exc.message, exc.line)
        return None, list(diagnostics)
    data = located.data
    package = data.get("CFPackage") if isinstance(data, dict) else None
    if isinstance(package, dict):  # CASE 1.1 servers wrap it: paths start inside
        inside = located.lines.items()
        located = Located(package, {p[1:]: n for p, n in inside if p[0] == "CFPackage"})
    else:
        package = data
    report.located = located
    if not isinstance(package, dict):
        report.error_at(
            (),
            "not a CASE package: expected a JSON object with CFDocument, CFItems and "
            f"CFAssociations, found {_json_type(package)}",
            1,
        )
        return None, list(diagnostics)
    raw_items = package.get("CFItems")
    if raw_items is None:
        found = ", ".join(sorted(str(k) for k in package)[:6]) or "nothing"
        report.error_at((), f"not a CASE package: no CFItems (found: {found})")
        return None, list(diagnostics)
    if not isinstance(raw_items, list):
        report.error_at(("CFItems",), f"CFItems must be a list, not {_json_type(raw_items)}")
        return None, list(diagnostics)
    if not raw_items:
        report.error_at(("CFItems",), "CFItems is empty: the package defines no standards")
        return None, list(diagnostics)

    doc = _document(package, report)
    name = doc["title"] or default_name or Path(source).stem
    items = _read_items(raw_items, report)
    _read_associations(package, doc, items, report)
    _break_cycles(items, report)
    standards = _standards(items, doc, name, source)
    framework = Framework(
        name=name,
        source=source,
        kind="CASE",
        standards=tuple(standards),
        url=doc["uri"],
        uuid=doc["identifier"],
        subject=doc["subject"],
        creator=doc["creator"],
        license=doc["license"],
        description=doc["description"],
        version=doc["version"],
    )
    return framework, list(diagnostics)


def _depth(data: Any) -> int:
    """How deep lines are needed: the items of CFItems and CFAssociations, in the wrapper too."""
    wrapped = isinstance(data, dict) and isinstance(data.get("CFPackage"), dict)
    return 3 if wrapped else 2


def _document(package: dict[str, Any], report: Reporter) -> dict[str, str | None]:
    doc: dict[str, str | None] = dict.fromkeys(
        ("title", "identifier", "uri", "subject", "creator", "license", "description", "version")
    )
    raw = package.get("CFDocument")
    at = ("CFDocument",)
    if raw is None:
        report.error_at((), "no CFDocument: a CASE package needs one, with a title and identifier")
        return doc
    if not isinstance(raw, dict):
        report.error_at(at, f"CFDocument must be an object, not {_json_type(raw)}")
        return doc
    for key in ("title", "identifier", "uri", "creator", "description"):
        doc[key] = _text(raw, key, at, report)
    if doc["title"] is None:
        report.error_at(at, "CFDocument has no title")
    if doc["identifier"] is None:
        report.error_at(at, "CFDocument has no identifier")
    subject = raw.get("subject")
    if isinstance(subject, list):
        doc["subject"] = (
            ", ".join(s.strip() for s in subject if isinstance(s, str) and s.strip()) or None
        )
    elif isinstance(subject, str):
        doc["subject"] = subject.strip() or None
    licence = raw.get("licenseURI")
    if isinstance(licence, dict):
        title, uri = licence.get("title"), licence.get("uri")
        doc["license"] = (
            title if isinstance(title, str) and title else uri if isinstance(uri, str) else None
        )
    version = raw.get("caseVersion") or raw.get("CFPackageVersion")
    doc["version"] = version if isinstance(version, str) else None
    return doc


def _read_items(raw_items: list[Any], report: Reporter) -> list[_Item]:
    items: list[_Item] = []
    by_id: dict[str, _Item] = {}
    by_code: dict[str, _Item] = {}
    for index, raw in enumerate(raw_items):
        at = ("CFItems", index)
        line, where = report.line(at), key_name(at)
        if not isinstance(raw, dict):
            report.error_at(at, f"{where} must be an object, not {_json_type(raw)}")
            continue
        identifier = _text(raw, "identifier", at, report)
        if identifier is None:
            report.error_at(at, f"{where} has no identifier")
            continue
        first = by_id.get(identifier.lower())
        if first is not None:
            message = f"duplicate CFItem identifier '{identifier}' (first at line {first.line})"
            report.error_at(at, message)
            continue
        code = _text(raw, "humanCodingScheme", at, report)
        if code is not None:
            parsed = parse_code(code)
            code = parsed.canonical if parsed else code
            first = by_code.get(code.upper())
            if first is not None:
                report.error_at(at, f"duplicate code '{code}' (first at line {first.line})")
                code = None  # the item stays addressable by its URI and UUID
        item = _Item(index, line, identifier, _text(raw, "uri", at, report), code, raw)
        if _text(raw, "fullStatement", at, report) is None:
            report.warning_at(at, f"CFItem '{item.label}' has no fullStatement")
        items.append(item)
        by_id[identifier.lower()] = item
        if code is not None:
            by_code[code.upper()] = item
    return items


def _read_associations(
    package: dict[str, Any], doc: dict[str, str | None], items: list[_Item], report: Reporter
) -> None:
    raw_assocs = package.get("CFAssociations")
    if raw_assocs is None:
        return
    if not isinstance(raw_assocs, list):
        message = f"CFAssociations must be a list, not {_json_type(raw_assocs)}"
        report.error_at(("CFAssociations",), message)
        return
    by_id = {item.identifier.lower(): item for item in items}
    by_uri = {item.uri.lower(): item for item in items if item.uri}
    doc_id = (doc["identifier"] or "").lower()
    doc_uri = (doc["uri"] or "").lower()

    def find(node: dict) -> _Item | str | None:
        ident, uri = node.get("identifier"), node.get("uri")
        if isinstance(ident, str) and ident.strip():
            key = ident.strip().lower()
            if key in by_id:
                return by_id[key]
            if doc_id and key == doc_id:
                return "document"
        if isinstance(uri, str) and uri.strip():
            key = uri.strip().lower()
            if key in by_uri:
                return by_uri[key]
            if doc_uri and key == doc_uri:
                return "document"
        return None

    for index, raw in enumerate(raw_assocs):
        at = ("CFAssociations", index)
        where = key_name(at)
        if not isinstance(raw, dict):
            report.error_at(at, f"{where} must be an object, not {_json_type(raw)}")
            continue
        kind = raw.get("associationType")
        if not isinstance(kind, str) or not kind.strip():
            report.error_at(at, f"{where} has no associationType")
            continue
        ends: list[dict] = []
        for end in ("originNodeURI", "destinationNodeURI"):
            node = raw.get(end)
            if not isinstance(node, dict) or not (
                isinstance(node.get("identifier"), str) or isinstance(node.get("uri"), str)
            ):
                report.error_at(at, f"{where} ({kind}) has no {end} with an identifier or uri")
                break
            ends.append(node)
        if len(ends) != 2:
            continue
        origin, destination = (find(node) for node in ends)
        names = [_node_name(node) for node in ends]
        if kind == "isChildOf":
            if origin is None:
                report.error_at(
                    at,
                    f"dangling isChildOf association: child '{names[0]}' is not an item of "
                    "this package",
                )
            elif origin == "document":
                report.error_at(at, "isChildOf association makes the CFDocument a child")
            if destination is None and not doc_id and not doc_uri:
                destination = "document"  # no CFDocument (reported already): a top-level item
            if destination is None:
                report.error_at(
                    at,
                    f"dangling isChildOf association: parent '{names[1]}' is neither an item "
                    "of this package nor its CFDocument",
                )
            if isinstance(origin, _Item) and destination is not None:
                seq = raw.get("sequenceNumber")
                order = seq if isinstance(seq, int) and not isinstance(seq, bool) else None
                parent = destination if isinstance(destination, _Item) else None
                origin.parents.append((index, order, parent))
            continue
        labels = ("origin", "destination")
        for node, found, name, end in zip(ends, (origin, destination), names, labels, strict=True):
            uri = node.get("uri")
            if found is None and not (isinstance(uri, str) and uri.strip()):
                report.error_at(
                    at,
                    f"dangling {kind} association: {end} '{name}' is not in this package "
                    "and has no uri",
                )


def _node_name(node: dict) -> str:
    for key in ("title", "identifier", "uri"):
        value = node.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return "?"


def _break_cycles(items: list[_Item], report: Reporter) -> None:
    """Report every isChildOf cycle once and drop the association that closes it."""
    state: dict[int, int] = {}  # id(item) -> 1 on the path, 2 done
    for start in items:
        if state.get(id(start)):
            continue
        path = [start]
        stack = [(start, iter(list(start.parents)))]
        state[id(start)] = 1
        while stack:
            node, edges = stack[-1]
            edge = next(edges, None)
            if edge is None:
                state[id(node)] = 2
                stack.pop()
                path.pop()
                continue
            parent = edge[2]
            if parent is None:
                continue
            seen = state.get(id(parent), 0)
            if seen == 0:
                state[id(parent)] = 1
                path.append(parent)
                stack.append((parent, iter(list(parent.parents))))
            elif seen == 1:
                cycle = path[path.index(parent) :] + [parent]
                report.error_at(
                    ("CFAssociations", edge[0]),
                    "cycle in isChildOf: "
                    + " -> ".join(f"'{item.label}'" for item in cycle)
                    + " (each is a child of the next)",
                )
                node.parents.remove(edge)


def _grade(item: _Item) -> str | None:
    return grade_from_education_levels(item.raw.get("educationLevel"))


def _item_type(raw: dict) -> str | None:
    kind = raw.get("CFItemType")
    if isinstance(kind, str) and kind.strip():
        return kind.strip()
    ref = raw.get("CFItemTypeURI")
    title = ref.get("title") if isinstance(ref, dict) else None
    return title.strip() or None if isinstance(title, str) else None


def _standards(
    items: list[_Item], doc: dict[str, str | None], name: str, source: str
) -> list[Standard]:
    """Standards in tree order (children by sequenceNumber), loose items after."""
    children: dict[int | None, list[tuple[int, int, _Item]]] = {}
    for item in items:
        for _, order, parent in item.parents:
            key = id(parent) if parent is not None else None
            sort = order if order is not None else 1 << 30
            children.setdefault(key, []).append((sort, item.index, item))
    for entries in children.values():
        entries.sort(key=lambda e: (e[0], e[1]))
    roots = [e[2] for e in children.get(None, [])]
    roots += [item for item in items if not item.parents]
    out: list[Standard] = []
    done: set[int] = set()

    def visit(item: _Item, parent: _Item | None, inherited: str | None) -> None:
        stack = [(item, parent, inherited)]
        while stack:
            node, up, grade_above = stack.pop()
            if id(node) in done:
                continue
            done.add(id(node))
            standard = _standard(node, up, grade_above, doc, name, source)
            out.append(standard)
            below = children.get(id(node), [])
            stack.extend((child, node, standard.grade) for _, _, child in reversed(below))

    for root in roots:
        visit(root, None, None)
    for item in items:  # anything left (only reachable through a dropped cycle)
        if id(item) not in done:
            first = next((p for _, _, p in item.parents if p is not None), None)
            visit(item, first, None)
    return out


def _standard(
    item: _Item,
    parent: _Item | None,
    inherited_grade: str | None,
    doc: dict[str, str | None],
    name: str,
    source: str,
) -> Standard:
    raw = item.raw
    parsed = parse_code(item.code) if item.code else None
    grade = _grade(item) or (parsed.grade if parsed else None) or inherited_grade
    statement = raw.get("fullStatement")
    abbreviated = raw.get("abbreviatedStatement")
    return Standard(
        code=item.code,
        framework=name,
        subject=doc["subject"] or (parsed.subject if parsed else None),
        grade=grade,
        band=band_for_grade(grade) or (parsed.band if parsed else None),
        statement=statement.strip() or None if isinstance(statement, str) else None,
        url=item.uri or (parsed.url if parsed else None),
        uuid=item.identifier,
        parent=parent.key if parent is not None else None,
        source=source,
        item_type=_item_type(raw) or (parsed.item_type if parsed else None),
        line=item.line,
        scheme=parsed.scheme if parsed else None,
        abbreviated=abbreviated.strip() or None if isinstance(abbreviated, str) else None,
        domain=parsed.domain if parsed else None,
    )

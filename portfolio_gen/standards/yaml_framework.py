"""The simple YAML framework format for a program's own skills (see docs/standards.md).

```yaml
framework: Hive Maker Skills
url: https://hive-maker.example.org/skills/   # optional
subject: Making                              # optional, inherited by every standard
grade: 6-8                                   # optional, inherited
standards:
  - code: HIVE.DESIGN.1
    statement: Sketches a design before building.
    children: [...]                          # optional nesting, same keys
```

Read through PyYAML's node tree so every problem carries its line.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ..diagnostics import ERROR, WARNING, Diagnostic
from ..schema import Key, Schema
from .model import Framework, Standard
from .schemes import band_for_grade, parse_code

# The keys of a framework file. Their values are read from YAML nodes below (a
# code written 7 and one written "7" differ), so the keys have no checkers here.
FRAMEWORK = Schema(
    "framework",
    (
        Key("framework", doc="the name shown", required=True),
        Key("url", doc="the framework's page"),
        Key("subject", doc="inherited by every standard"),
        Key("grade", doc="inherited by every standard (a grade, a range, MS, HS...)"),
        Key("description", doc="a line about it"),
        Key("license", doc="its licence and who holds it"),
        Key("standards", doc="the list of standards, with the keys below", required=True),
    ),
    unknown=None,
)
FRAMEWORK_ITEM = Schema(
    "standards[]",
    (
        Key("code", doc="a string, unique in the file (matched ignoring case)", required=True),
        Key("statement", doc="what it asks of a learner (without one: a warning)"),
        Key("grade", doc="overrides the inherited grade", shown="the framework's"),
        Key("subject", doc="overrides the inherited subject", shown="the framework's"),
        Key("url", doc="the standard's own page"),
        Key("children", doc="nested standards, same keys"),
    ),
    unknown=None,
)
TOP_KEYS = FRAMEWORK.names
ITEM_KEYS = FRAMEWORK_ITEM.names

_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_NULL = "tag:yaml.org,2002:null"
_KINDS = {
    "tag:yaml.org,2002:int": "a number",
    "tag:yaml.org,2002:float": "a number",
    "tag:yaml.org,2002:bool": "true/false",
    "tag:yaml.org,2002:timestamp": "a date",
    "tag:yaml.org,2002:null": "empty",
}


def _line(node: Node) -> int:
    return node.start_mark.line + 1


def _kind(node: Node) -> str:
    if isinstance(node, MappingNode):
        return "a mapping"
    if isinstance(node, SequenceNode):
        return "a list"
    return _KINDS.get(node.tag, "a string")


class _Reader:
    def __init__(self, source: str) -> None:
        self.source = source
        self.diagnostics: list[Diagnostic] = []
        self.standards: list[Standard] = []
        self.codes: dict[str, int] = {}  # upper-cased code -> line
        self.name = ""
        self.subject: str | None = None

    def error(self, message: str, node: Node | None) -> None:
        line = _line(node) if node is not None else None
        self.diagnostics.append(Diagnostic(self.source, line, ERROR, message))

    def warning(self, message: str, node: Node | None) -> None:
        line = _line(node) if node is not None else None
        self.diagnostics.append(Diagnostic(self.source, line, WARNING, message))

    def mapping(self, node: MappingNode, schema: Schema, where: str) -> dict[str, Node]:
        """Key -> value node; unknown, duplicate and non-string keys are reported."""
        out: dict[str, Node] = {}
        prefix = f"{where}: " if where else ""
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode) or key_node.tag != _STR:
                self.error(f"{prefix}keys must be plain words, not {_kind(key_node)}", key_node)
                continue
            key = key_node.value
            if key in out:
                self.error(f"{prefix}duplicate key '{key}'", key_node)
                continue
            if key not in schema:
                self.error(schema.unknown_error(where, key), key_node)
                continue
            out[key] = value_node
        return out

    def text(self, node: Node | None, what: str, numbers_ok: bool = False) -> str | None:
        """A scalar's text; None (and an error) for the wrong kind of value."""
        if node is None or (isinstance(node, ScalarNode) and node.tag == _NULL):
            return None
        if isinstance(node, ScalarNode) and (node.tag == _STR or (numbers_ok and node.tag == _INT)):
            return node.value.strip() or None
        hint = ""
        if isinstance(node, ScalarNode):
            hint = f' (put it in quotes: "{node.value}")'
        self.error(f"{what} must be a string, not {_kind(node)}{hint}", node)
        return None

    def items(
        self,
        node: Node,
        parent: Standard | None,
        grade: str | None,
        subject: str | None,
    ) -> None:
        where = f"{parent.code}: children" if parent is not None else "standards"
        if isinstance(node, ScalarNode) and node.tag == _NULL:
            self.error(f"{where} is empty: list the standards under it", node)
            return
        if not isinstance(node, SequenceNode):
            self.error(f"{where} must be a list of standards, not {_kind(node)}", node)
            return
        for index, item in enumerate(node.value):
            label = f"{where}[{index}]"
            if not isinstance(item, MappingNode):
                self.error(
                    f"{label} must be a mapping with code and statement, not {_kind(item)}", item
                )
                continue
            keys = self.mapping(item, FRAMEWORK_ITEM, label)
            if "code" not in keys:
                self.error(f"{label} has no code", item)
                continue
            code = self.text(keys["code"], f"{label}: code")
            if code is None:
                if isinstance(keys["code"], ScalarNode) and keys["code"].tag in (_STR, _NULL):
                    self.error(f"{label}: code is empty", keys["code"])
                continue
            first = self.codes.get(code.upper())
            if first is not None:
                self.error(f"duplicate code '{code}' (first at line {first})", keys["code"])
                continue
            self.codes[code.upper()] = _line(keys["code"])
            statement = self.text(keys.get("statement"), f"{code}: statement")
            if statement is None and "statement" not in keys:
                self.warning(f"standard '{code}' has no statement", item)
            item_grade = self.text(keys.get("grade"), f"{code}: grade", numbers_ok=True) or grade
            item_subject = self.text(keys.get("subject"), f"{code}: subject") or subject
            parsed = parse_code(code)
            standard = Standard(
                code=code,
                framework=self.name,
                subject=item_subject or (parsed.subject if parsed else None),
                grade=item_grade or (parsed.grade if parsed else None),
                band=band_for_grade(item_grade) or (parsed.band if parsed else None),
                statement=statement,
                url=self.text(keys.get("url"), f"{code}: url"),
                parent=parent.code if parent is not None else None,
                source=self.source,
                item_type="Standard",
                line=_line(item),
                scheme=parsed.scheme if parsed else None,
                domain=parsed.domain if parsed else None,
            )
            self.standards.append(standard)
            if "children" in keys:
                self.items(keys["children"], standard, item_grade, item_subject)


def load_yaml_framework(
    path: Path, display: str | None = None
) -> tuple[Framework | None, list[Diagnostic]]:
    """Read a YAML framework file; ``display`` is the path shown in messages."""
    where = display if display is not None else str(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        return None, [Diagnostic(where, None, ERROR, f"cannot read file: {exc.strerror or exc}")]
    except UnicodeDecodeError:
        return None, [Diagnostic(where, None, ERROR, "not UTF-8 text")]
    return parse_yaml_framework(text, where)


def parse_yaml_framework(text: str, source: str) -> tuple[Framework | None, list[Diagnostic]]:
    """Parse YAML framework text. The framework is None when nothing usable was found."""
    reader = _Reader(source)
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        problem = " ".join(p for p in (exc.context, exc.problem) if p) or "invalid YAML"
        return None, [Diagnostic(source, line, ERROR, f"invalid YAML: {problem}")]
    except yaml.YAMLError as exc:
        return None, [Diagnostic(source, None, ERROR, f"invalid YAML: {exc}")]
    if root is None:
        return None, [Diagnostic(source, None, ERROR, "empty framework file")]
    if not isinstance(root, MappingNode):
        reader.error(
            f"a framework file is a mapping with framework: and standards:, not {_kind(root)}",
            root,
        )
        return None, reader.diagnostics
    keys = reader.mapping(root, FRAMEWORK, "")
    name = reader.text(keys.get("framework"), "framework")
    if name is None:
        if "framework" not in keys:
            reader.error("framework file has no 'framework:' name", root)
        return None, reader.diagnostics
    reader.name = name
    url = reader.text(keys.get("url"), "url")
    subject = reader.text(keys.get("subject"), "subject")
    grade = reader.text(keys.get("grade"), "grade", numbers_ok=True)
    description = reader.text(keys.get("description"), "description")
    licence = reader.text(keys.get("license"), "license")
    if "standards" not in keys:
        reader.error("framework file has no 'standards:' list", root)
    else:
        reader.items(keys["standards"], None, grade, subject)
        if not reader.standards and isinstance(keys["standards"], SequenceNode):
            if not keys["standards"].value:
                reader.warning("standards: the list is empty", keys["standards"])
    framework = Framework(
        name=name,
        source=source,
        kind="YAML",
        standards=tuple(reader.standards),
        url=url,
        subject=subject,
        license=licence,
        description=description,
    )
    return framework, reader.diagnostics

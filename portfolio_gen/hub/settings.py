"""HUB.yml: the hub's settings, every bad key reported at its line (docs/hubs.md)."""

from __future__ import annotations

from dataclasses import field
from pathlib import Path
from typing import Any

from .. import validate as v
from .. import yamlio
from ..diagnostics import Diagnostics
from ..entries import portfolio_entries
from ..lazy_dataclass import dataclass
from ..schema import Key, Schema
from ..schema import Reporter as _Reporter

HUB_SCHEMA = "portfolio-gen-hub/1"
HUB = Schema(  # HUB.yml (its checkers are in load_hub_config)
    "HUB.yml",
    (
        Key("title", doc="the club, library or class", required=True, example="Hive Maker Club"),
        Key("description", doc="a line about it"),
        Key(
            "members",
            doc="who opted in: portfolio folders (relative to HUB.yml), "
            "portfolio.json or site addresses",
            required=True,
            example="[../maya, ../jay]",
        ),
        Key("goals", doc="standard codes the club works towards", default=()),
        Key("standards", doc="which built-in schemes the goals use", shown="all built-in"),
        Key("language", doc="the hub pages' language (theme strings)", default="en"),
        Key("member_timeout", doc="seconds one member's build may take", shown="`120`"),
        Key("member_max_size", doc="how large one member's site may grow", shown="`500 MB`"),
    ),
)
HUB_KEYS = HUB.names
MEMBERS_DIR = "members"


# ----------------------------------------------------------------- HUB.yml


@dataclass(frozen=True)
class HubConfig:
    path: Path
    title: str
    description: str = ""
    members: tuple[str, ...] = ()
    goals: tuple[str, ...] = ()
    standards: tuple[str, ...] = ()  # identifier schemes for the goals; default: all built-in
    language: str = "en"
    member_timeout: float = 120.0  # seconds
    member_max_size: int = 500_000_000  # bytes
    lines: dict[tuple[Any, ...], int] = field(default_factory=dict, repr=False, compare=False)

    @property
    def folder(self) -> Path:
        return self.path.parent

    def line(self, *key: Any) -> int | None:
        return self.lines.get(key)


def load_hub_config(path: Path, diagnostics: Diagnostics) -> HubConfig | None:
    """Read HUB.yml; every bad key reported at its line; None when it cannot be used."""
    located = yamlio.load_mapping(
        path,
        diagnostics,
        missing="no such file; a hub needs a HUB.yml with title and members",
        expected="title: ..., members: ...",
    )
    if located is None:
        return None
    data = located.data
    report = _Reporter(path, located, diagnostics)
    values: dict[str, Any] = {}
    checks = {
        "title": v.text,
        "description": v.text,
        "goals": v.text_list,
        "standards": v.text_list,
        "language": v.text,
        "member_timeout": _seconds,
        "member_max_size": _size,
    }
    for key, value in data.items():
        if key in checks:
            try:
                values[key] = checks[key](value)
            except v.Invalid as exc:
                report.bad((key,), str(exc))
        elif key == "members":
            values["members"] = _members(value, report)
        else:
            report.unknown((), key, HUB)
    for key, example in (("title", "Hive Maker Club"), ("members", "[../maya, ../jay]")):
        if key not in data:
            diagnostics.error(path, f"{key}: required; add a line like '{key}: {example}'", 1)
    if "title" not in values or "members" not in data:
        return None
    for key in ("goals", "standards"):
        if key in values:
            values[key] = tuple(values[key])
    return HubConfig(path=path, lines=located.lines, **values)


def _seconds(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not value > 0:
        raise v.Invalid(f"expected a number of seconds such as 120, got {v.describe(value)}")
    return float(value)


_UNITS = {"B": 1, "KB": 10**3, "MB": 10**6, "GB": 10**9}


def _size(value: Any) -> int:
    """A size: '500 MB', '2 GB' (or a number of bytes)."""
    number, unit = value, "B"
    if isinstance(value, str):
        number, _, unit = value.strip().partition(" ")
        unit = unit.strip().upper() or "B"
        try:
            number = float(number)
        except ValueError:
            number = None
    if isinstance(number, bool) or not isinstance(number, (int, float)) or unit not in _UNITS:
        raise v.Invalid(f"expected a size such as '500 MB', got {v.describe(value)}")
    if not number > 0:
        raise v.Invalid(f"expected a size above 0, such as '500 MB', got {value!r}")
    return int(number * _UNITS[unit])


def _members(value: Any, report: _Reporter) -> tuple[str, ...]:
    expected = "portfolio folders or portfolio.json addresses"
    return portfolio_entries(value, report, "members", expected)

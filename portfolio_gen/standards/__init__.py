"""Academic standards: built-in CCSS/NGSS grammars, CASE and YAML frameworks, levels.

The public API (see docs/standards.md for the formats)::

    from portfolio_gen.standards import load_frameworks, parse_code

    catalog, diagnostics = load_frameworks(portfolio_root, schemes=["ccss", "ngss"])
    standard = catalog.resolve("7.rp.a.2")          # -> Standard or None
    badge_std = catalog.resolve_alignment(name, url, code, framework)
    message = catalog.unknown_message("3.RP.A.1")   # reason + did-you-mean
"""

from .frameworks import FRAMEWORK_SUFFIXES, Catalog, load_framework_file, load_frameworks
from .levels import DEFAULT_LEVELS, Levels, check_level
from .model import Framework, Standard, builtin_standard
from .schemes import (
    BANDS,
    BUILTIN_SCHEMES,
    SCHEME_NAMES,
    Code,
    SchemeInfo,
    band_for_grade,
    code_from_url,
    explain_code,
    grade_range,
    grade_sort_key,
    looks_like_code,
    parse_code,
)

__all__ = [
    "BANDS",
    "BUILTIN_SCHEMES",
    "DEFAULT_LEVELS",
    "FRAMEWORK_SUFFIXES",
    "SCHEME_NAMES",
    "Catalog",
    "Code",
    "Framework",
    "Levels",
    "SchemeInfo",
    "Standard",
    "band_for_grade",
    "builtin_standard",
    "check_level",
    "code_from_url",
    "explain_code",
    "grade_range",
    "grade_sort_key",
    "load_case",
    "load_framework_file",
    "load_frameworks",
    "load_yaml_framework",
    "looks_like_code",
    "parse_case",
    "parse_code",
    "parse_yaml_framework",
    "register",
]


def __getattr__(name: str) -> object:
    """Imported when first asked for, not by every build: CASE and YAML frameworks
    (PyYAML) and the ``standards`` commands (tempfile, textwrap)."""
    if name in ("load_case", "parse_case"):
        from . import case

        return getattr(case, name)
    if name in ("load_yaml_framework", "parse_yaml_framework"):
        from . import yaml_framework

        return getattr(yaml_framework, name)
    if name == "register":
        from .commands import register

        return register
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

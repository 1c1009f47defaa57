"""The key tables in the docs, made from the schemas (portfolio_gen/schema.py).

Each table sits between ``<!-- keys: NAME -->`` and ``<!-- /keys -->`` in a
page of docs/; NAME is a schema's name below. ``python scripts/key_tables.py``
rewrites the tables; ``--check`` only says which are out of date (exit 1), as
tests/test_schema.py does.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from portfolio_gen import config
from portfolio_gen.content import feedback, projects
from portfolio_gen.hub import settings as hub_settings
from portfolio_gen.schema import Schema
from portfolio_gen.standards import reviews, yaml_framework

DOCS = Path(__file__).resolve().parent.parent / "docs"
SCHEMAS: tuple[Schema, ...] = (
    config.PORTFOLIO, config.LEARNER, config.LINK, config.PRIVACY, config.THEME_OPTIONS,
    projects.FRONT_MATTER, projects.PERSON, projects.STANDARD_REF, feedback.NOTE,
    reviews.REVIEWS_FILE, reviews.REVIEW_ENTRY,
    yaml_framework.FRAMEWORK, yaml_framework.FRAMEWORK_ITEM,
    hub_settings.HUB,
)  # fmt: skip
REGION = re.compile(r"(<!-- keys: (.+?) -->\n)(.*?)(<!-- /keys -->)", re.DOTALL)


def updated(text: str, where: str, problems: list[str]) -> str:
    """``text`` with each key table made again from its schema."""
    by_name = {schema.name: schema for schema in SCHEMAS}

    def table(match: re.Match[str]) -> str:
        schema = by_name.get(match.group(2))
        if schema is None:
            problems.append(f"{where}: no schema named {match.group(2)!r}")
            return match.group(0)
        made = schema.table()
        if match.group(3) != made:
            problems.append(f"{where}: the table of {schema.name} is out of date")
        return match.group(1) + made + match.group(4)

    return REGION.sub(table, text)


def main(argv: list[str]) -> int:
    check = "--check" in argv
    problems: list[str] = []
    for page in sorted(DOCS.glob("*.md")):
        text = page.read_text(encoding="utf-8")
        new = updated(text, page.name, problems)
        if new != text and not check:
            page.write_text(new, encoding="utf-8")
    for problem in problems:
        print(
            problem if check else problem.replace("is out of date", "is made again"),
            file=sys.stderr,
        )
    return 1 if check and problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

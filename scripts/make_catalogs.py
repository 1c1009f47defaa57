"""Make the bundled standards catalogs (portfolio_gen/standards/data/) from public sources.

    python scripts/make_catalogs.py MATH.json ELA.json [OUT_DIR]

MATH.json and ELA.json are the Achievement Standards Network (ASN) JSON trees
of the Common Core State Standards, documents D10003FB (Mathematics) and
D10003FC (English Language Arts & Literacy), as kept in the public repository
easypublish/EasyPublish (commit 478a8b8dca630992f6a0b303526f148d351d8ce9,
files commoncore/ccss_math_D10003FB.json and commoncore/ccss_ela_D10003FC.json).
See docs/standards.md ("Bundled catalogs") for the provenance and licences.

Writes, byte-for-byte reproducibly:

- ccss.tsv.gz: one row per CCSS item, tab-separated, in the official order:
  ``code  kind  parent  grade  old  text``. ``code`` is the canonical dot
  notation (CCSS.Math.Content.K.CC.B.4a); ``kind`` is Category, Domain, Cluster,
  Standard or Component; ``parent`` the parent's code (empty at the top);
  ``grade`` K, 1-8, HS, 9-10, 11-12, 6-8 or K-12; ``old`` the 2010 spelling
  (K.CC.4.a, A.SSE.1), empty when none; ``text`` the statement (or heading).
  Grade-level domains (K.CC, HSA-SSE, RL.7) are made from the codes below them.
- ngss.tsv: ``code  url`` for every NGSS performance expectation, from the
  table below (the NGSS "DCI arrangements": how many expectations each grade
  has for each core idea) and the nextgenscience.org page address pattern.
"""

from __future__ import annotations

import gzip
import html
import json
import re
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "portfolio_gen" / "standards" / "data"

# NGSS performance expectations: (grade, core idea) -> how many (NGSS Lead
# States 2013, the DCI arrangements at nextgenscience.org/search-standards).
NGSS_COUNTS: dict[str, dict[str, int]] = {
    "K": {"PS2": 2, "PS3": 2, "LS1": 1, "ESS2": 2, "ESS3": 3},
    "1": {"PS4": 4, "LS1": 2, "LS3": 1, "ESS1": 2},
    "2": {"PS1": 4, "LS2": 2, "LS4": 1, "ESS1": 1, "ESS2": 3},
    "3": {"PS2": 4, "LS1": 1, "LS2": 1, "LS3": 2, "LS4": 4, "ESS2": 2, "ESS3": 1},
    "4": {"PS3": 4, "PS4": 3, "LS1": 2, "ESS1": 1, "ESS2": 2, "ESS3": 2},
    "5": {"PS1": 4, "PS2": 1, "PS3": 1, "LS1": 1, "LS2": 1, "ESS1": 2, "ESS2": 2, "ESS3": 1},
    "K-2": {"ETS1": 3},
    "3-5": {"ETS1": 3},
    "MS": {
        "PS1": 6, "PS2": 5, "PS3": 5, "PS4": 3, "LS1": 8, "LS2": 5, "LS3": 2, "LS4": 6,
        "ESS1": 4, "ESS2": 6, "ESS3": 5, "ETS1": 4,
    },
    "HS": {
        "PS1": 8, "PS2": 6, "PS3": 5, "PS4": 5, "LS1": 7, "LS2": 8, "LS3": 3, "LS4": 6,
        "ESS1": 6, "ESS2": 7, "ESS3": 6, "ETS1": 4,
    },
}  # fmt: skip
# The topic part of a performance expectation's page address on nextgenscience.org
# (https://www.nextgenscience.org/pe/ms-ls1-6-molecules-organisms-structures-and-processes).
NGSS_SLUGS = {
    "PS1": "matter-and-its-interactions",
    "PS2": "motion-and-stability-forces-and-interactions",
    "PS3": "energy",
    "PS4": "waves-and-their-applications-technologies-information-transfer",
    "LS1": "molecules-organisms-structures-and-processes",
    "LS2": "ecosystems-interactions-energy-and-dynamics",
    "LS3": "heredity-inheritance-and-variation-traits",
    "LS4": "biological-evolution-unity-and-diversity",
    "ESS1": "earths-place-universe",
    "ESS2": "earths-systems",
    "ESS3": "earth-and-human-activity",
    "ETS1": "engineering-design",
}
NGSS_PAGE = "https://www.nextgenscience.org/pe/"

_TAG = re.compile(r"<[^>]*>")
_HS_CATEGORY = {"N": "Number and Quantity", "A": "Algebra", "F": "Functions",
                "G": "Geometry", "S": "Statistics and Probability"}  # fmt: skip


def clean(text: str) -> str:
    """Plain text: entities decoded (twice: the ASN escapes some twice), tags dropped."""
    text = html.unescape(html.unescape(text))
    text = _TAG.sub("", text).replace("\t", " ")
    return re.sub(r"\s+", " ", text).strip()


def _grade(node: dict) -> str:
    levels = node.get("dcterms_educationLevel") or []
    if isinstance(levels, dict):
        levels = [levels]
    labels = [str(level.get("prefLabel", "")) for level in levels]
    if not labels:
        return ""
    if len(labels) == 1:
        return labels[0]
    first, last = labels[0], labels[-1]
    if (first, last) == ("9", "12"):
        return "HS"
    return f"{first}-{last}"


def _label(node: dict) -> str:
    return (node.get("asn_statementLabel") or {}).get("literal") or ""


def ccss_rows(math: list, ela: list) -> list[tuple[str, ...]]:
    rows: list[tuple[str, ...]] = []
    made: set[str] = set()

    def add(code: str, kind: str, parent: str, grade: str, old: str, text: str) -> None:
        if code not in made:
            made.add(code)
            rows.append((code, kind, parent, grade, old, clean(text)))

    def math_group(code: str, heading: str, grade: str) -> str:
        """The grade-level domain of a cluster code (K.CC for K.CC.A), made once."""
        short = code.removeprefix("CCSS.Math.Content.")
        head, _cluster = short.rsplit(".", 1)
        domain = f"CCSS.Math.Content.{head}"
        parent = ""
        if head.startswith("HS"):
            parent = f"CCSS.Math.Content.{head.split('-')[0]}"
            add(parent, "Category", "", "HS", "", _HS_CATEGORY[head[2]])
        add(domain, "Domain", parent, grade, "", heading)
        return domain

    def walk_math(node: dict, heading: str, parent: str) -> None:
        code = node.get("asn_statementNotation") or ""
        kind = _label(node)
        text = node.get("text") or ""
        mine = parent
        if kind == "Domain" or not code:
            heading = text if kind == "Domain" else heading
        elif kind == "Cluster":
            domain = math_group(code, heading, _grade(node))
            add(code, "Cluster", domain, _grade(node), "", text)
            mine = code
        elif kind in ("Standard", "Component"):
            grade = _grade(node) or "K-12"
            if code.startswith("CCSS.Math.Practice."):
                grade, parent = "K-12", ""
            add(code, kind, parent, grade, node.get("asn_altStatementNotation") or "", text)
            mine = code
        for child in node.get("children") or []:
            walk_math(child, heading, mine)

    for top in math:
        walk_math(top, "", "")

    def walk_ela(node: dict, strand: str, parent: str) -> None:
        code = node.get("asn_statementNotation") or ""
        kind = _label(node)
        text = node.get("text") or ""
        mine = parent
        if not code and not parent:
            strand = text if strand == "" or _label(node) == "" and "Standards" in text else strand
        if kind == "Standard":
            short = code.removeprefix("CCSS.ELA-Literacy.")
            head = short.rsplit(".", 1)[0]  # RL.7, CCRA.R
            group = f"CCSS.ELA-Literacy.{head}"
            grade = "K-12" if head.startswith("CCRA.") else head.split(".", 1)[1]
            title = strand if head.startswith("CCRA.") else f"{strand}, {_grades(grade)}"
            add(group, "Domain", "", grade, "", title)
            add(code, "Standard", group, grade, node.get("asn_altStatementNotation") or "", text)
            mine = code
        elif kind == "Component":
            grade = rows[-1][3] if rows else ""
            for row in reversed(rows):
                if row[0] == parent:
                    grade = row[3]
                    break
            add(code, "Component", parent, grade, node.get("asn_altStatementNotation") or "", text)
        for child in node.get("children") or []:
            walk_ela(child, strand, mine)

    for top in ela:
        walk_ela(top, clean(top.get("text") or ""), "")
    return rows


def _grades(grade: str) -> str:
    return f"grades {grade}" if "-" in grade else f"grade {grade}"


def ngss_rows() -> list[tuple[str, str]]:
    rows = []
    for grade, ideas in NGSS_COUNTS.items():
        for idea, count in ideas.items():
            for n in range(1, count + 1):
                code = f"{grade}-{idea}-{n}"
                rows.append((code, f"{NGSS_PAGE}{code.lower()}-{NGSS_SLUGS[idea]}"))
    return rows


def write(math_path: Path, ela_path: Path, out: Path) -> tuple[int, int]:
    math = json.loads(math_path.read_text(encoding="utf-8"))
    ela = json.loads(ela_path.read_text(encoding="utf-8"))
    ccss = ccss_rows(math, ela)
    text = "".join("\t".join(row) + "\n" for row in ccss).encode("utf-8")
    out.mkdir(parents=True, exist_ok=True)
    with open(out / "ccss.tsv.gz", "wb") as raw:  # mtime 0, no name: the same bytes every time
        with gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9) as gz:
            gz.write(text)
    ngss = ngss_rows()
    (out / "ngss.tsv").write_text("".join(f"{c}\t{u}\n" for c, u in ngss), encoding="utf-8")
    return len(ccss), len(ngss)


def main(argv: list[str]) -> int:
    if len(argv) not in (2, 3):
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    out = Path(argv[2]) if len(argv) == 3 else OUT
    ccss, ngss = write(Path(argv[0]), Path(argv[1]), out)
    print(f"wrote {out}/ccss.tsv.gz ({ccss} CCSS items) and {out}/ngss.tsv ({ngss} NGSS PEs)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

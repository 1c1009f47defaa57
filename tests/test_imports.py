"""A warm build imports only what it uses: no Pillow, badge crypto, Markdown, YAML or workers.

Each check runs the build in a fresh interpreter, where ``sys.modules`` shows
everything the command line imported (the test process has imported it all),
and checks that every dataclass it imported has a docstring of its own.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

from support.helpers import project

import portfolio_gen

# Modules a build imports only to read a source, a badge, an image or a
# framework file again, to render a page, or to start worker processes, and
# those of other commands: a warm build needs none of them.
HEAVY = (
    "jinja2",
    "portfolio_gen.site.render",
    "PIL",
    "cryptography",
    "pyld",
    "urllib.request",
    "cmarkgfm",
    "nh3",
    "pygments",
    "concurrent.futures.process",
    "difflib",  # a did-you-mean: only for a mistake
    "html",  # html.entities' table: only for a text with a character reference (escaping.py)
    "mimetypes",  # a bundle's own files read again (content/projects.py)
    "portfolio_gen.badges.reader",
    "portfolio_gen.badges.model",  # (a portfolio without badges: FILES)
    "portfolio_gen.badges.normalise",  # a badge read again
    "portfolio_gen.content.markdown",
    "portfolio_gen.contract",  # a peer's portfolio.json read (site/network.py)
    "portfolio_gen.media.images",
    "portfolio_gen.site.matrix",
    "portfolio_gen.standards.case",
    "portfolio_gen.standards.commands",
    "portfolio_gen.standards.reviews",  # (a portfolio without a reviews/ folder)
    "portfolio_gen.svg",  # an SVG picture or badge read again (media/pictures.py asks for it)
    "yaml",
)

BUILD = """
import dataclasses, json, sys
from portfolio_gen.cli import main

code = main(sys.argv[1:])
# A dataclass without a docstring of its own gets one made with inspect.signature
# when its module is imported: 0.2 ms each.
undocumented = [f"{name}.{c.__qualname__}" for name, module in list(sys.modules.items())
                if name.startswith("portfolio_gen") for c in vars(module).values()
                if isinstance(c, type) and c.__module__ == name and dataclasses.is_dataclass(c)
                and c.__doc__.startswith(c.__name__ + "(")]
# portfolio_gen/lazy_dataclass.py makes a dataclass's methods when first used: the
# classes whose __eq__ or __hash__ this build made, and how many it left unmade.
classes = {c for name, module in list(sys.modules.items()) if name.startswith("portfolio_gen")
           for c in vars(module).values() if isinstance(c, type) and c.__module__ == name
           and dataclasses.is_dataclass(c) and "__slots__" not in vars(c)}
compared = sorted(f"{c.__qualname__}.{m}" for c in classes for m in ("__eq__", "__hash__")
                  if type(vars(c).get(m)).__name__ == "function")
unmade = sum(type(vars(c).get("__eq__")).__name__ == "_Lazy" for c in classes)
print(json.dumps({"code": code, "heavy": [m for m in HEAVY if m in sys.modules],
                  "undocumented": undocumented, "compared": compared, "unmade": unmade}))
"""


def build_in_fresh_process(root: Path, out: Path) -> tuple[int, list[str], str]:
    """(exit code, heavy modules imported, what the build printed) of a build in a new
    Python that imports this checkout's portfolio_gen."""
    package_parent = str(Path(portfolio_gen.__file__).resolve().parent.parent)
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, (package_parent, env.get("PYTHONPATH"))))
    result = subprocess.run(
        [sys.executable, "-c", f"HEAVY = {HEAVY!r}\n{BUILD}", "build", str(root), "-o", str(out)],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    lines = result.stdout.splitlines()
    assert lines, result.stderr
    report = json.loads(lines[-1])
    assert report["undocumented"] == []
    # No build compares or hashes a record (a made __eq__ costs ~0.2 ms an exec), and
    # the build's dataclasses are lazy ones (a plain @dataclass makes all at import).
    assert report["compared"] == []
    assert report["unmade"] > 10
    return report["code"], report["heavy"], "\n".join(lines[:-1]) + result.stderr


FILES = {
    "content/projects/robot-arm/index.md": project(
        "Robot Arm",
        body=(
            "I built an arm; see [the bridge](../bridge.md) and [about me](../../about.md).\n\n"
            "```python\nprint('hello')\n```\n"
        ),
        summary="An arm.",
    ),
    "content/projects/bridge.md": project(
        "Bridge", date="2026-02-03", body="Back to [the arm](robot-arm/)."
    ),
    "content/about.md": "---\ntitle: About me\n---\nI make things.\n",
}


def test_warm_build_imports_no_heavy_module(cli, make_portfolio, tmp_path):
    root = make_portfolio(FILES)
    out = tmp_path / "site"
    cold = cli("build", str(root), "-o", str(out))
    assert cold.code == 0, cold.err
    assert "(0 rendered" not in cold.out
    assert '<span class="nb">print</span>' in (out / "projects/robot-arm/index.html").read_text(
        encoding="utf-8"
    )  # the cold build highlighted the code block

    code, heavy, printed = build_in_fresh_process(root, out)
    assert code == 0, printed
    assert "(0 rendered" in printed  # warm: everything from the cache
    assert heavy == []


def test_warm_build_with_a_picture_needs_no_pillow(cli, make_portfolio, tmp_path):
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (600, 400), "green").save(buffer, "PNG")
    files = dict(FILES)
    files["content/projects/robot-arm/arm.png"] = buffer.getvalue()
    files["content/projects/robot-arm/index.md"] = project(
        "Robot Arm", body="![The arm, folded](arm.png)\n"
    )
    root = make_portfolio(files)
    out = tmp_path / "site"
    assert cli("build", str(root), "-o", str(out)).code == 0
    assert (out / "projects/robot-arm/arm.png.480w.webp").is_file()

    code, heavy, printed = build_in_fresh_process(root, out)
    assert code == 0, printed
    assert "(0 rendered" in printed
    assert heavy == []
    assert (out / "projects/robot-arm/arm.png.480w.webp").is_file()


def test_an_edit_to_a_text_parses_no_yaml(cli, make_portfolio, tmp_path):
    """The front matter is unchanged, so it comes from the YAML memo (yamlio.py)."""
    root = make_portfolio(FILES)
    out = tmp_path / "site"
    assert cli("build", str(root), "-o", str(out)).code == 0
    source = root / "content/projects/bridge.md"
    source.write_text(
        source.read_text(encoding="utf-8") + "\n\nA new paragraph.\n", encoding="utf-8"
    )

    code, heavy, printed = build_in_fresh_process(root, out)
    assert code == 0, printed
    assert "(1 rendered" in printed
    assert "cmarkgfm" in heavy and "jinja2" in heavy
    assert "yaml" not in heavy
    assert "html" not in heavy  # no "&" in the text: escaping.py needs no html.unescape
    assert "portfolio_gen.badges.model" not in heavy  # no badges: the page needs no badge model
    page = (out / "projects/bridge/index.html").read_text(encoding="utf-8")
    assert "A new paragraph." in page and '<h1 dir="auto">Bridge</h1>' in page


def test_an_edit_beside_a_badge_needs_its_model_alone(cli, make_portfolio, tmp_path):
    """The badge comes from the cache: its model (badges/model.py), not what reads
    and normalises a credential (reader.py, normalise.py)."""
    from support.badge_factory import ob2_assertion, png_image

    from portfolio_gen.badges import bake

    files = dict(FILES)
    files["badges/arm.png"] = bake(png_image(), json.dumps(ob2_assertion()))
    root = make_portfolio(files)
    out = tmp_path / "site"
    assert cli("build", str(root), "-o", str(out)).code == 0
    assert (out / "badges").is_dir()
    source = root / "content/projects/bridge.md"
    source.write_text(source.read_text(encoding="utf-8") + "\n\nMore.\n", encoding="utf-8")

    code, heavy, printed = build_in_fresh_process(root, out)
    assert code == 0, printed
    assert "(1 rendered" in printed
    assert "portfolio_gen.badges.model" in heavy
    assert not {"portfolio_gen.badges.reader", "portfolio_gen.badges.normalise"} & set(heavy)


def test_the_first_edit_after_a_cold_build_parses_no_yaml(cli, make_portfolio, tmp_path):
    """Sources read by worker processes keep their parsed front matter in their
    records (content/frontmatter.py), so reading one again needs no YAML parser."""
    from portfolio_gen.build import PARALLEL_THRESHOLD

    files = {f"content/projects/p{i:02}.md": project(f"P{i}", body="Text.")
             for i in range(PARALLEL_THRESHOLD)}  # fmt: skip
    root = make_portfolio(files)
    out = tmp_path / "site"
    assert cli("build", str(root), "-o", str(out), "--jobs", "2").code == 0
    source = root / "content/projects/p00.md"
    source.write_text(source.read_text(encoding="utf-8") + "\n\nMore.\n", encoding="utf-8")

    code, heavy, printed = build_in_fresh_process(root, out)
    assert code == 0, printed
    assert "(1 rendered" in printed
    assert "cmarkgfm" in heavy and "yaml" not in heavy
    assert "More." in (out / "projects/p00/index.html").read_text(encoding="utf-8")


HELP = """
import json, sys
from portfolio_gen.cli import main

try:
    main(sys.argv[1:])
except SystemExit:
    pass
print(json.dumps(sorted(m for m in sys.modules if m.startswith("portfolio_gen"))))
"""


def test_help_imports_no_command(tmp_path):
    """``--help`` and a mistyped command import the command line alone; another
    command's help imports that command's module, not the build."""
    package_parent = str(Path(portfolio_gen.__file__).resolve().parent.parent)
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, (package_parent, env.get("PYTHONPATH"))))

    def imported(*argv: str) -> list[str]:
        run = subprocess.run([sys.executable, "-c", HELP, *argv], cwd=tmp_path, env=env,
                             capture_output=True, text=True, check=True)  # fmt: skip
        return json.loads(run.stdout.splitlines()[-1])

    assert imported("--help") == ["portfolio_gen", "portfolio_gen.cli"]
    assert imported("biuld") == ["portfolio_gen", "portfolio_gen.cli"]
    review = imported("review", "--help")
    assert "portfolio_gen.review" in review
    assert not {"portfolio_gen.build", "portfolio_gen.badges.commands"} & set(review)

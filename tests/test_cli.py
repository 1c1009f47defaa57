"""The commands: init, new project, build, check, and every bad input's message."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from support.helpers import BASIC_CONFIG, html, project, tree_bytes, write_tree


def test_init_scaffolds_a_portfolio_that_builds(cli, tmp_path):
    target = tmp_path / "my-portfolio"
    run = cli("init", str(target))
    assert run.code == 0, run.err
    for name in ("portfolio.yml", "content/about.md", "content/projects/my-first-project/index.md",
                 "badges/README.md", ".gitignore", "netlify.toml", ".github/workflows/pages.yml"):  # fmt: skip
        assert (target / name).is_file(), name
    gitignore = (target / ".gitignore").read_text().split()
    assert (
        "site/" in gitignore
        and "portfolio.local.yml" in gitignore
        and ".portfolio-cache/" in gitignore
    )
    workflow = (target / ".github/workflows/pages.yml").read_text()
    assert "actions/upload-pages-artifact" in workflow and "actions/deploy-pages" in workflow
    assert "steps.pages.outputs.base_url" in workflow
    run = cli("build", str(target))
    assert run.code == 0, run.err
    # a fresh portfolio builds; its only warnings are the placeholders to edit
    # (test_firstrun.py: check --strict fails until they are edited)
    assert all("is a placeholder from portfolio-gen init" in line for line in run.lines), run.err
    assert (target / "site/projects/my-first-project/index.html").is_file()
    assert cli("check", str(target)).code == 0


def test_init_never_overwrites(cli, tmp_path):
    assert cli("init", str(tmp_path)).code == 0
    (tmp_path / "portfolio.yml").write_text("title: Mine\n")
    run = cli("init", str(tmp_path))
    assert run.code == 1 and "a portfolio already exists here" in run.err
    assert (tmp_path / "portfolio.yml").read_text() == "title: Mine\n"


def test_new_project(cli, tmp_path):
    assert cli("init", str(tmp_path)).code == 0
    run = cli("new", "project", "Robot Arm: v2", str(tmp_path))
    assert run.code == 0, run.err
    index = tmp_path / "content/projects/robot-arm-v2/index.md"
    text = index.read_text()
    assert (
        'title: "Robot Arm: v2"' in text and "## What I learned" in text and "draft: true" in text
    )
    assert cli("build", str(tmp_path), "--drafts", "--quiet").code == 0
    page = html(tmp_path / "site/projects/robot-arm-v2/index.html")
    assert page.find("h1").text == "Robot Arm: v2"
    assert page.select_one("section.reflection") is not None
    run = cli("new", "project", "Robot Arm: v2", str(tmp_path))
    assert run.code == 1 and "exists" in run.err


def test_console_script_and_module_entry_points(tmp_path):
    for command in ([sys.executable, "-m", "portfolio_gen", "--help"],
                    [str(Path(sys.executable).with_name("portfolio-gen")), "--help"]):  # fmt: skip
        result = subprocess.run(command, capture_output=True, text=True, check=False)
        assert result.returncode == 0, result.stderr
        for name in ("init", "new", "build", "check", "badges", "standards"):
            assert name in result.stdout


def test_entry_points_exit_with_the_code_and_all_output(make_portfolio, tmp_path):
    """run() leaves without tearing the interpreter down: the exit code and every
    line written to a pipe must still arrive, and exit handlers must still run."""
    good = make_portfolio({"content/projects/a.md": project()})
    bad = write_tree(
        tmp_path / "bad",
        {"portfolio.yml": BASIC_CONFIG, "content/projects/a.md": "---\ntitle: [\n---\n"},
    )
    script = str(Path(sys.executable).with_name("portfolio-gen"))
    for command in ([sys.executable, "-m", "portfolio_gen"], [script]):
        ok = subprocess.run([*command, "build", str(good), "-o", str(tmp_path / "out")],
                            capture_output=True, text=True, check=False)  # fmt: skip
        assert ok.returncode == 0 and ok.stdout.startswith("built "), ok.stderr
        failed = subprocess.run([*command, "build", str(bad)], capture_output=True, text=True,
                                check=False)  # fmt: skip
        assert failed.returncode == 1
        assert "content/projects/a.md:" in failed.stderr and "build failed" in failed.stderr
    code = "import atexit, sys; from portfolio_gen import cli; atexit.register(print, 'bye'); "
    code += "sys.argv = ['portfolio-gen', '--version']; cli.run()"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0 and "portfolio-gen" in result.stdout
    code = code.replace("'--version'", "'check', " + repr(str(good)))
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0 and result.stdout.endswith("bye\n"), result.stdout


def test_the_other_commands_are_listed_as_their_modules_define_them():
    """--help and a mistyped command list the other commands without importing
    them (cli.OTHER_COMMANDS): the same help as with every command defined."""
    from portfolio_gen.cli import OTHER_COMMANDS, make_parser

    assert make_parser(command="").format_help() == make_parser().format_help()
    for name in OTHER_COMMANDS:
        one = make_parser(command=name)
        assert one.format_help() == make_parser().format_help()
        sub = next(a for a in one._actions if a.dest == "==SUPPRESS==" and a.choices)
        full = next(a for a in make_parser()._actions if a.dest == "==SUPPRESS==" and a.choices)
        assert sub.choices[name].format_help() == full.choices[name].format_help()


def test_core_commands_parse_the_same_without_the_other_commands():
    from portfolio_gen.cli import CORE_COMMANDS, make_parser

    def helps(parser):
        sub = next(a for a in parser._actions if a.dest == "==SUPPRESS==" and a.choices)
        return {name: sub.choices[name].format_help() for name in CORE_COMMANDS}

    assert helps(make_parser(only_core=True)) == helps(make_parser())
    argv = ["--debug", "build", "somewhere", "-o", "out", "--jobs", "2", "--strict"]
    assert vars(make_parser(only_core=True).parse_args(argv)) == vars(
        make_parser().parse_args(argv)
    )


def test_a_core_command_parses_the_same_defined_alone():
    """Running a core command defines only its parser (cli.main): the same help,
    the same parse and the same usage errors as with every command defined."""
    from portfolio_gen.cli import CORE_COMMANDS, make_parser

    argvs = {
        "init": ["init", "here", "--title", "T"],
        "new": ["--debug", "new", "project", "A title", "there"],
        "build": ["build", "somewhere", "-o", "out", "--jobs", "2", "--strict", "--debug"],
        "check": ["check", "--online"],
        "serve": ["serve", "p", "--port", "0", "--no-drafts"],
    }
    assert set(argvs) == set(CORE_COMMANDS)
    full = make_parser(only_core=True)
    for name, argv in argvs.items():
        alone = make_parser(only_core=True, command=name)
        sub = next(a for a in alone._actions if a.dest == "==SUPPRESS==" and a.choices)
        assert list(sub.choices) == [name]
        whole = next(a for a in full._actions if a.dest == "==SUPPRESS==" and a.choices)
        assert sub.choices[name].format_help() == whole.choices[name].format_help()
        assert vars(alone.parse_args(argv)) == vars(full.parse_args(argv))


def test_usage_errors_exit_2(cli):
    assert cli("build", "--jobs", "0").code == 2
    assert cli("no-such-command").code == 2
    assert cli().code == 2


def test_summary_line(cli, make_portfolio):
    root = make_portfolio({"content/projects/a.md": project()})
    run = cli("build", str(root))
    assert run.code == 0
    assert run.out.startswith("built ") and " pages (" in run.out and "0 warnings" in run.out
    assert cli("build", str(root), "--quiet").out == ""


# Bad input: every case reports `path:line: error: ...`, exits 1 and leaves the previous site alone.
BAD_INPUTS = {
    "malformed YAML": (
        {"content/projects/a.md": "---\ntitle: A\ndate: 2026-01-01\ntags: [unclosed\n---\nBody\n"},
        "content/projects/a.md:4: error: front matter: malformed YAML",
    ),
    "front matter not a mapping": (
        {"content/projects/a.md": "---\n- just\n- a list\n---\nBody\n"},
        "content/projects/a.md:2: error: front matter must be a mapping",
    ),
    "no front matter": (
        {"content/projects/a.md": "Just text\n"},
        "content/projects/a.md:1: error: no front matter",
    ),
    "unclosed front matter": (
        {"content/projects/a.md": "---\ntitle: A\n"},
        "content/projects/a.md:1: error: front matter starts with '---' but never ends",
    ),
    "missing title": (
        {"content/projects/a.md": "---\ndate: 2026-01-01\n---\nBody\n"},
        "content/projects/a.md:2: error: title: required",
    ),
    "missing date": (
        {"content/projects/a.md": "---\ntitle: A\n---\nBody\n"},
        "content/projects/a.md:2: error: date: required",
    ),
    "bad date": (
        {"content/projects/a.md": "---\ntitle: A\ndate: March 3rd\n---\nBody\n"},
        "content/projects/a.md:3: error: date: expected an ISO date like 2026-03-14, got 'March 3rd'",
    ),
    "bad setting": (
        {"content/projects/a.md": project(setting="out-of-scool")},
        "content/projects/a.md:4: error: setting: expected one of in-school, out-of-school, home, online, community, got 'out-of-scool' (did you mean 'out-of-school'?)",
    ),
    "folder without index.md": (
        {"content/projects/arm/README.md": "# hi\n"},
        "content/projects/arm: error: project folder has no index.md; rename README.md to index.md",
    ),
    "duplicate slugs": (
        {
            "content/projects/arm.md": project("One"),
            "content/projects/Arm/index.md": project("Two"),
        },
        "content/projects/Arm/index.md: error: two projects would be published at projects/arm/",
    ),
    "non-UTF-8 file": (
        {"content/projects/a.md": b"---\ntitle: A\ndate: 2026-01-01\n---\ncaf\xe9\n"},
        "content/projects/a.md:5: error: not UTF-8 text; save the file as UTF-8",
    ),
    "link to a missing project": (
        {"content/projects/a.md": project(body="Intro.\n\nSee [b](b.md).\n")},
        "content/projects/a.md:7: error: link b.md: no project 'b' in content/projects/",
    ),
    "link to a missing file": (
        {"content/projects/a/index.md": project(body="![Photo](photo.jpg)\n")},
        "content/projects/a/index.md:5: error: link photo.jpg: no file content/projects/a/photo.jpg",
    ),
    "bad config": (
        {"portfolio.yml": "title: T\nlearner:\n  name: [a, b]\n"},
        "portfolio.yml:3: error: learner.name: expected text, got a list",
    ),
    "unknown badge": (
        {"content/projects/a.md": project(badges="[nope.png]")},
        "content/projects/a.md:4: error: badges: no file badges/nope.png",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_input_gives_a_message_exit_1_and_keeps_the_site(case, cli, make_portfolio):
    files, expected = BAD_INPUTS[case]
    root = make_portfolio({"content/projects/good.md": project("Good")})
    assert cli("build", str(root), "--quiet").code == 0
    before = tree_bytes(root / "site")
    root = make_portfolio(files)
    run = cli("build", str(root))
    assert run.code == 1
    assert any(line.startswith(expected) for line in run.lines), run.err
    assert "Traceback" not in run.err
    assert tree_bytes(root / "site") == before
    assert cli("check", str(root)).code == 1


def test_all_problems_of_a_run_are_reported_at_once(cli, make_portfolio):
    root = make_portfolio(
        {
            "content/projects/a.md": "---\ntitle: A\n---\n",
            "content/projects/b.md": "---\ndate: 2026-01-01\n---\n",
            "content/projects/c.md": b"\xff\xfe",
        }
    )
    run = cli("build", str(root))
    assert run.code == 1
    assert [line.split(": error:")[0] for line in run.lines if ": error:" in line] == [
        "content/projects/a.md:2", "content/projects/b.md:2", "content/projects/c.md:1",
    ]  # fmt: skip


def test_unreadable_file(cli, make_portfolio, monkeypatch):
    root = make_portfolio({"content/projects/a.md": project()})
    real = Path.read_bytes

    def deny(self: Path) -> bytes:
        if self.name == "a.md":
            raise PermissionError(13, "Permission denied")
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", deny)
    run = cli("build", str(root))
    assert run.code == 1
    assert "content/projects/a.md: error: cannot read: Permission denied" in run.lines


@pytest.mark.parametrize("where", ["content", "content/site", ".", "badges"])
def test_refuses_output_inside_sources(where, cli, make_portfolio):
    root = make_portfolio({"content/projects/a.md": project(), "badges/README.md": "x"})
    before = tree_bytes(root)
    run = cli("build", str(root), "-o", str(root / where))
    assert run.code == 1 and "error:" in run.err
    assert tree_bytes(root) == before


def test_refuses_a_folder_it_did_not_make(cli, make_portfolio, tmp_path):
    root = make_portfolio({"content/projects/a.md": project()})
    theirs = tmp_path / "theirs"
    theirs.mkdir()
    (theirs / "important.txt").write_text("keep me")
    run = cli("build", str(root), "-o", str(theirs))
    assert run.code == 1 and "was not made by portfolio-gen" in run.err
    assert (theirs / "important.txt").read_text() == "keep me"


def test_unknown_front_matter_key_warns_and_strict_fails(cli, make_portfolio):
    root = make_portfolio({"content/projects/a.md": project(standard="[X]")})
    run = cli("build", str(root))
    assert run.code == 0
    assert (
        "content/projects/a.md:4: warning: unknown key 'standard' is kept for templates (did you mean 'standards'?)"
        in run.lines
    )
    run = cli("build", str(root), "--strict")
    assert run.code == 1 and "warnings are errors with --strict" in run.err


def test_internal_errors_have_no_traceback_unless_debug(cli, make_portfolio, monkeypatch):
    root = make_portfolio({"content/projects/a.md": project()})

    def boom(*args, **kwargs):
        raise RuntimeError("kaboom")

    monkeypatch.setattr("portfolio_gen.build.build", boom)  # (cli imports it when it runs)
    run = cli("build", str(root))
    assert (
        run.code == 1
        and "internal error (RuntimeError: kaboom)" in run.err
        and "Traceback" not in run.err
    )
    run = cli("build", str(root), "--debug")
    assert run.code == 1 and "Traceback" in run.err
    run = cli("--debug", "build", str(root))  # before the command, too
    assert run.code == 1 and "Traceback" in run.err


def test_debug_before_or_after_the_command():
    from portfolio_gen.cli import make_parser

    for only_core in (True, False):
        parser = make_parser(only_core)
        assert parser.parse_args(["--debug", "build"]).debug is True
        assert parser.parse_args(["build", "--debug"]).debug is True
        assert parser.parse_args(["build"]).debug is False
        assert parser.parse_args(["--debug", "new", "project", "X"]).debug is True


def test_a_reader_that_goes_away_is_no_error(make_portfolio):
    import subprocess
    import sys

    root = make_portfolio({"content/projects/a.md": project()})
    build = subprocess.Popen(
        [sys.executable, "-m", "portfolio_gen", "build", str(root)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    build.stdout.close()  # like '| head -0': the summary line has nowhere to go
    err = build.stderr.read()
    assert build.wait() == 141 and err == b""
    assert (root / "site/index.html").is_file()

"""Mentor and peer feedback: feedback/ notes and front matter entries, shown as a conversation."""

from __future__ import annotations

import textwrap

from support.helpers import html, project, site_json


def note(author: str | None = "Ms. Rivera", role: str | None = "mentor", date: str | None = "2026-03-20",
         body: str = "Great testing table.", **extra: str) -> str:  # fmt: skip
    fields = {"author": author, "role": role, "date": date, **extra}
    lines = [f"{k}: {v}" for k, v in fields.items() if v is not None]
    return "---\n" + "\n".join(lines) + "\n---\n" + body + "\n"


FRONT_MATTER_FEEDBACK = textwrap.dedent(
    """\
    ---
    title: Poems
    date: 2026-01-20
    feedback:
      - author: Aunt Rosa
        role: family
        date: 2026-01-24
        text: I took *three* copies on my bus. <script>alert(1)</script>
      - {author: Ms. Okoye, role: teacher, date: 2026-02-03, text: "Try an argument next.", url: "https://okoye.example.org/"}
    ---
    Twelve pages of bus-stop poems.
    """
)


def test_feedback_folder_is_a_conversation_on_the_project_page(cli, make_portfolio):
    root = make_portfolio(
        {
            "content/projects/arm/index.md": project("Arm", "2026-03-14"),
            "content/projects/arm/feedback/ms-rivera.md": note(body="You changed **one thing** at a time."),
            "content/projects/arm/feedback/jay.md": note("Jay", "peer", "2026-03-18", "Best gripper in the club."),
            "content/projects/arm/feedback/reply.md": note("Ana B.", "learner", "2026-03-21", "Thanks!"),
            "content/projects/arm/feedback/sketch.pdf": b"%PDF-1.4 attached to a note",
            "content/projects/arm/notes.pdf": b"%PDF-1.4 a real download",
        }
    )  # fmt: skip
    run = cli("build", str(root), "--quiet")
    assert run.code == 0, run.err
    page = html(root / "site/projects/arm/index.html")
    section = page.find("section", class_="feedback")
    assert section.find("h2").get_text(strip=True) == "Feedback"
    notes = section.select("ol.conversation > li")
    # oldest first, each clearly attributed: who, in what role, when
    # (the name is isolated in a <bdi>, so the text is read without added spaces)
    assert [" ".join(n.select_one(".note-author").get_text().split()) for n in notes] == [
        "Jay, peer",
        "Ms. Rivera, mentor",
        "Reply from Ana B.",
    ]
    assert [n.find("time")["datetime"] for n in notes] == ["2026-03-18", "2026-03-20", "2026-03-21"]
    assert "reply" in notes[2]["class"] and "role-peer" in notes[0]["class"]
    assert notes[1].find("strong").get_text() == "one thing"
    article = notes[1].find("article")
    assert page.find(id=article["aria-labelledby"]).get_text(strip=True) == "Ms. Rivera, mentor"
    # feedback files are not downloads; the bundle's own files still are
    downloads = [a.get_text(strip=True) for a in page.select(".downloads a")]
    assert downloads == ["notes.pdf"]
    assert not (root / "site/projects/arm/feedback").exists()
    data = site_json(root / "site")
    assert data["projects"][0]["feedback"] == {"count": 2, "roles": {"mentor": 1, "peer": 1}}


def test_front_matter_feedback_is_rendered_and_sanitized(cli, make_portfolio):
    root = make_portfolio({"content/projects/poems.md": FRONT_MATTER_FEEDBACK})
    run = cli("build", str(root), "--quiet")
    assert run.code == 0, run.err
    page = html(root / "site/projects/poems/index.html")
    notes = page.select(".feedback .note")
    assert len(notes) == 2
    assert notes[0].select_one(".role-tag").get_text() == "Family"
    assert notes[0].find("em").get_text() == "three"
    assert page.select_one(".feedback script") is None
    link = notes[1].select_one(".note-meta a")
    assert link["href"] == "https://okoye.example.org/"
    assert site_json(root / "site")["projects"][0]["feedback"]["roles"] == {
        "family": 1,
        "teacher": 1,
    }


def test_a_project_without_feedback_has_no_section(cli, make_portfolio):
    root = make_portfolio({"content/projects/a.md": project("A")})
    assert cli("build", str(root), "--quiet").code == 0
    assert html(root / "site/projects/a/index.html").find("section", class_="feedback") is None
    assert site_json(root / "site")["projects"][0]["feedback"] == {"count": 0, "roles": {}}


def test_bad_feedback_files_are_reported_with_file_and_line(cli, make_portfolio):
    folder = "content/projects/arm/feedback/"
    root = make_portfolio(
        {
            "content/projects/arm/index.md": project("Arm"),
            folder + "no-author.md": note(author=None),
            folder + "bad-role.md": note(role="mentr"),
            folder + "bad-date.md": note(date="last tuesday"),
            folder + "empty.md": note(body=""),
            folder + "plain.md": "Just text, no front matter.\n",
            folder + "extra.md": note(mood="happy"),
        }
    )
    run = cli("build", str(root), "--quiet")
    assert run.code == 1
    roles = "mentor, peer, teacher, coach, family, expert, community, learner"
    expected = [
        f"{folder}bad-date.md:4: error: date: expected an ISO date like 2026-03-14, got 'last tuesday'",
        f"{folder}bad-role.md:3: error: role: expected one of {roles}, got 'mentr' (did you mean 'mentor'?)",
        f"{folder}empty.md:6: error: the note is empty; write it below the front matter",
        f"{folder}extra.md:5: error: unknown key 'mood' (allowed: author, role, date, url, text)",
        f"{folder}no-author.md:2: error: author: required; add a line like 'author: Ms. Rivera'",
        f"{folder}plain.md:1: error: a feedback note starts with front matter: '---', then "
        "'author:', 'role:' and 'date:' lines, then '---', then the note",
    ]  # fmt: skip
    for line in expected:
        assert line in run.lines, (line, run.lines)
    assert not (root / "site").exists()


def test_bad_front_matter_feedback_is_reported_at_its_line(cli, make_portfolio):
    source = textwrap.dedent(
        """\
        ---
        title: Poems
        date: 2026-01-20
        feedback:
          - role: peer
            date: 2026-01-24
            text: Nice.
          - author: Jay
            role: best friend
            date: soon
            text: Cool.
          - author: Lee
            role: peer
            date: 2026-02-01
          - just a sentence
        ---
        Body.
        """
    )
    root = make_portfolio({"content/projects/poems.md": source})
    run = cli("build", str(root), "--quiet")
    assert run.code == 1
    where = "content/projects/poems.md"
    for line in [
        f"{where}:5: error: feedback[0].author: required; add a line like 'author: Ms. Rivera'",
        f"{where}:9: error: feedback[1].role: expected one of mentor, peer, teacher, coach, family, "
        "expert, community, learner, got 'best friend'",
        f"{where}:10: error: feedback[1].date: expected an ISO date like 2026-03-14, got 'soon'",
        f"{where}:12: error: feedback[2]: text: required; write the note in 'text: ...'",
        f"{where}:15: error: feedback[3]: expected a note like {{author: Jay, role: peer, "
        "date: 2026-03-16, text: ...}, got text",
    ]:
        assert line in run.lines, (line, run.lines)


def test_feedback_not_a_list(cli, make_portfolio):
    root = make_portfolio({"content/projects/a.md": project("A", feedback="great job")})
    run = cli("build", str(root), "--quiet")
    assert run.code == 1
    assert (
        "content/projects/a.md:4: error: feedback: expected a list of notes "
        "({author, role, date, text}), got text"
    ) in run.lines


def test_links_in_feedback_are_checked_like_the_project_text(cli, make_portfolio):
    root = make_portfolio(
        {
            "content/projects/arm/index.md": project("Arm"),
            "content/projects/poem.md": project("Poem"),
            "content/projects/arm/feedback/a.md": note(
                body="Compare with [the poem](../poem.md).\n\nAnd [this](../nothing.md)."
            ),
        }
    )
    run = cli("build", str(root), "--quiet")
    assert run.code == 1
    assert any(
        line.startswith("content/projects/arm/index.md") and "no project 'nothing'" in line
        for line in run.lines
    ), run.lines
    (root / "content/projects/arm/feedback/a.md").write_text(
        note(body="Compare with [the poem](../poem.md)."), encoding="utf-8"
    )
    assert cli("build", str(root), "--quiet").code == 0
    link = html(root / "site/projects/arm/index.html").select_one(".feedback .note-text a")
    assert link["href"] == "../poem/"


def test_a_new_note_updates_the_page_and_portfolio_json_on_a_warm_build(cli, make_portfolio):
    root = make_portfolio(
        {
            "content/projects/arm/index.md": project("Arm", "2026-03-01"),
            "content/projects/b.md": project("B", "2026-03-02"),
        }
    )
    assert cli("build", str(root), "--quiet").code == 0
    assert site_json(root / "site")["projects"][1]["feedback"]["count"] == 0
    feedback = root / "content/projects/arm/feedback"
    feedback.mkdir()
    (feedback / "jay.md").write_text(note("Jay", "peer"), encoding="utf-8")
    assert cli("build", str(root), "--quiet").code == 0
    assert site_json(root / "site")["projects"][1]["feedback"]["count"] == 1
    assert html(root / "site/projects/arm/index.html").select_one(".feedback .note-author")


def test_the_demo_shows_mentor_and_peer_feedback(cli, tmp_path):
    from pathlib import Path

    repo = Path(__file__).resolve().parents[2]
    out = tmp_path / "site"
    assert cli("build", str(repo), "-o", str(out), "--quiet").code == 0
    roles = set()
    for project_page in out.glob("projects/*/index.html"):
        for tag in html(project_page).select(".feedback .role-tag"):
            roles.add(tag.get_text())
    assert {"Mentor", "Peer"} <= roles

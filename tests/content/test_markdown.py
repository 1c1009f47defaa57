from bs4 import BeautifulSoup

from portfolio_gen.content.markdown import LinkTarget, MarkdownRenderer, resolve_target

MD = MarkdownRenderer()


def render(text: str, source: str = "projects/a/index.md"):
    result = MD.render(text, source)
    return result, BeautifulSoup(result.html, "html.parser")


def test_github_style_markdown():
    text = """\
# Title

| a | b |
|---|---|
| 1 | 2 |

```python
print("hi")
```

- [x] done
- [ ] todo

Say "hello" -- it's fine.[^1]

[^1]: A note.
"""
    _, soup = render(text)
    assert soup.find("table").find("td").text == "1"
    code = soup.select_one("div.highlight pre")
    assert code is not None and code.find("span", class_=True) is not None
    assert not soup.select("[style]")  # CSS classes, never inline styles
    boxes = soup.select("li.task input[type=checkbox]")
    assert [b.has_attr("checked") for b in boxes] == [True, False]
    assert all(b.has_attr("disabled") for b in boxes)
    assert soup.select_one("sup.footnote-ref a")["href"] == "#fn-1"
    assert "\u201chello\u201d" in soup.text and "\u2013" in soup.text  # smart quotes and dashes
    heading = soup.find("h2")  # the page title is the only h1, so '#' becomes h2
    assert heading["id"] == "title" and heading.find("a", class_="headerlink")["href"] == "#title"


def test_reflection_section_is_wrapped_and_footnotes_stay_whole():
    text = "Body.[^n]\n\n## What I learned\n\nLots.\n\n[^n]: Note.\n"
    _, soup = render(text)
    section = soup.find("section", class_="reflection")
    assert section.find("h2").text.startswith("What I learned") and "Lots." in section.text
    assert soup.select_one("section.footnotes li#fn-n") is not None
    assert soup.select_one("sup a#fnref-n") is not None
    assert soup.select_one("section.reflection section.footnotes") is None


def test_links_between_projects_resolve_to_pages():
    text = "[b](../b/) [c](../c.md) [d](../d/index.md#part) [about](../../about.md) [x](photo.jpg)"
    result, soup = render(text)
    assert [a["href"] for a in soup.find_all("a")] == [
        "../b/",
        "../c/",
        "../d/#part",
        "../../about/",
        "photo.jpg",
    ]
    assert [(t.kind, t.key) for t in result.links] == [
        ("project", "b"), ("project", "c"), ("project", "d"), ("page", "about/"), ("file", "projects/a/photo.jpg"),
    ]  # fmt: skip


def test_links_from_a_single_file_project():
    _, soup = render("[b](b.md) [c](c/) [pic](pic.png)", source="projects/a.md")
    assert [a["href"] for a in soup.find_all("a")] == ["../b/", "../c/", "../pic.png"]


def test_unusable_links_are_errors_with_lines():
    result, soup = render("ok\n\n[root](/projects/x/)\n\n[out](../../../etc/passwd)\n")
    assert [(line, severity) for line, severity, _ in result.problems] == [
        (3, "error"),
        (5, "error"),
    ]
    assert "breaks under a sub-path" in result.problems[0][2]
    assert "outside content/" in result.problems[1][2]
    assert all(not a.get("href") for a in soup.find_all("a"))


def test_external_images_become_links_and_missing_alt_warns():
    result, soup = render("![](pic.png)\n\n![A cat](https://cdn.example.com/cat.jpg)\n")
    assert soup.find("img")["src"] == "pic.png"
    link = soup.find("a", class_="external-image")
    assert link["href"] == "https://cdn.example.com/cat.jpg" and "A cat" in link.text
    messages = [(line, message) for line, _, message in result.problems]
    assert messages[0][0] == 1 and "no alt text" in messages[0][1]
    assert messages[1][0] == 3 and "another host" in messages[1][1]


def test_raw_html_is_sanitized():
    text = '<script>alert(1)</script><img src="x.png" onerror="alert(1)" alt="x">\n\n<a href="javascript:alert(1)">j</a>'
    _, soup = render(text)
    assert soup.find("script") is None
    assert not soup.find("img").has_attr("onerror")
    assert not soup.find("a").get("href")


def test_summary_is_the_first_paragraph():
    result, _ = render("## Heading\n\nFirst *para*\ngraph.\n\nSecond.")
    assert result.summary == "First para graph."


def test_resolve_target_kinds():
    assert resolve_target("about.md", "projects/x/", 1) == LinkTarget(
        "project", "x", "projects/x/", "projects/x/", 1
    )
    assert isinstance(resolve_target("about.md", "notes.md", 1), str)
    badge = resolve_target("projects/a.md", "../../badges/Maker.png", 2)
    assert badge.kind == "badge" and badge.url == "badges/maker/"


def test_images_from_allowed_hosts_stay_images():
    allowing = MarkdownRenderer(image_hosts=("images.example.org",))
    html = allowing.render(
        "![Ok](https://images.example.org/a.png)\n\n![No](https://other.example.org/b.png)\n\n"
        "![Plain http](http://images.example.org/c.png)\n\n"
        '<img src="https://images.example.org/raw.png" alt="Raw">\n',
        "projects/a/index.md",
    ).html
    soup = BeautifulSoup(html, "html.parser")
    assert [img["src"] for img in soup.find_all("img")] == [
        "https://images.example.org/a.png",
        "https://images.example.org/raw.png",
    ]
    assert len(soup.select("a.external-image")) == 2


def test_allow_images_from_is_validated(tmp_path):
    from portfolio_gen.config import load_config
    from portfolio_gen.diagnostics import Diagnostics

    (tmp_path / "portfolio.yml").write_text(
        "title: T\nallow_images_from: [images.example.org, 'https://x.org/']\n"
    )
    diagnostics = Diagnostics(tmp_path)
    load_config(tmp_path, diagnostics)
    assert [str(d) for d in diagnostics] == [
        "portfolio.yml:2: error: allow_images_from: expected host names like images.example.org, got 'https://x.org/'"
    ]


def test_headings_move_down_a_level_only_when_there_is_an_h1():
    _, soup = render("# A\n\n##### E\n\n###### F\n\n## B\n\n## B\n")
    assert [(h.name, h["id"]) for h in soup.find_all(["h1", "h2", "h3", "h4", "h5", "h6"])] == [
        ("h2", "a"), ("h6", "e"), ("h6", "f"), ("h3", "b"), ("h3", "b-1"),
    ]  # fmt: skip
    assert all(h.find("a", class_="headerlink") for h in soup.find_all(["h2", "h3", "h6"]))
    _, soup = render("## B\n\n### C\n")
    assert [h.name for h in soup.find_all(["h1", "h2", "h3", "h4"])] == ["h2", "h3"]


def test_the_control_check_by_bytes_agrees_with_the_pattern_on_every_character():
    """``has_control`` (a byte count, the renderer's shortcut) says what a search with
    ``_CONTROL`` says: for each character alone, among others, and next to characters
    whose UTF-8 holds bytes of every value from 0x80 up; the controls still become U+FFFD."""
    from portfolio_gen.content.markdown import _CONTROL, has_control

    every = [chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF]
    for char in every[:0x800]:  # every one- and two-byte character, alone and in text
        assert has_control(char) == bool(_CONTROL.search(char)), hex(ord(char))
        assert has_control(f"é{char}x") == bool(_CONTROL.search(char)), hex(ord(char))
    clean = [c for c in every if not _CONTROL.search(c)]
    for start in range(0, len(clean), 4096):
        assert not has_control("".join(clean[start : start + 4096]) + "\t\n\x0c\r")
    assert has_control("".join(clean[-4096:]) + "\x7f")
    result, _ = render("A\x01b \u4e2d\x1f.\n")
    assert result.summary == "A\ufffdb \u4e2d\ufffd."

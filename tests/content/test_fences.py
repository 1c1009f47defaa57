"""Remembered code blocks (content/fences.py) give exactly the HTML Python-Markdown's own do."""

from __future__ import annotations

import markdown
import pytest
from helpers import generated
from hypothesis import given
from hypothesis import strategies as st
from markdown.extensions.codehilite import CodeHiliteExtension
from markdown.extensions.fenced_code import FencedCodeExtension
from markdown.extensions.footnotes import FootnoteExtension

from portfolio_gen.content import fences
from portfolio_gen.content.markdown import MarkdownRenderer


def _markdown(remember: bool) -> tuple[markdown.Markdown, fences.RememberedFences | None]:
    md = markdown.Markdown(
        extensions=[
            FencedCodeExtension(),
            CodeHiliteExtension(css_class="highlight", guess_lang=False),
            FootnoteExtension(),
        ],
        output_format="html",
    )
    return md, fences.install(md) if remember else None


STOCK, _ = _markdown(False)
OURS, REMEMBERED = _markdown(True)


def _ours(text: str, known: dict[str, str]) -> tuple[str, dict[str, str]]:
    assert REMEMBERED is not None
    OURS.reset()
    REMEMBERED.known, REMEMBERED.used = known, {}
    return OURS.convert(text), REMEMBERED.used


def _check(text: str) -> None:
    stock = STOCK.reset().convert(text)
    first, used = _ours(text, {})
    assert first == stock
    again, _ = _ours(text, used)  # every block from what is known
    assert again == stock


SAMPLES = [
    "```python\nprint('hi')\n```\n",
    "Text.\n\n```\nno language\n```\n\nMore *text* with `code`.\n\n~~~ js\nlet a = 1 < 2;\n~~~\n",
    "```{.python .extra #ident hl_lines='1'}\nx = 1\ny = 2\n```\n",
    '```python hl_lines="2"\na\nb\n```\n',
    "```{.python\nunbalanced attributes\n```\n\n```python\nafter\n```\n",
    "````\n```\nnested fence\n```\n````\n",
    "```nosuchlanguage\n<script>alert(1)</script>\n```\n",
    "- item\n\n    ```python\n    indented fence in a list\n    ```\n",
    "```python\nsame\n```\n\n```python\nsame\n```\n",  # one block text, twice
    "    indented code, left to codehilite's tree processor\n",
    "No code at all.[^1]\n\n[^1]: A note.\n",
]


@pytest.mark.parametrize("text", SAMPLES)
def test_same_html_as_python_markdown(text):
    _check(text)


def test_a_known_block_is_not_highlighted_again():
    text = "```python\nprint('hi')\n```\n"
    _, used = _ours(text, {})
    block = next(iter(used))
    marked = {block: '<div class="highlight">remembered</div>'}
    html, _ = _ours(text, marked)
    assert "remembered" in html


def test_an_edit_keeps_the_html_of_the_unchanged_blocks():
    renderer = MarkdownRenderer()
    text = "Intro.\n\n```python\nprint('hi')\n```\n\n```js\nlet a = 1;\n```\n"
    first = renderer.render(text, "projects/a.md")
    assert len(first.code_html) == 2
    edited = renderer.render(text.replace("Intro.", "A new intro."), "projects/a.md", 0,
                             first.code_html)  # fmt: skip
    assert edited.code_html == first.code_html
    assert edited.html.replace("A new intro.", "Intro.") == first.html


def test_read_project_passes_the_previous_blocks(tmp_path):
    from portfolio_gen.content.projects import ReadSettings, read_project

    (tmp_path / "content/projects").mkdir(parents=True)
    path = tmp_path / "content/projects/a.md"
    path.write_text("---\ntitle: A\ndate: 2026-01-01\n---\n```python\nx = 1\n```\n", "utf-8")
    settings = ReadSettings(tmp_path, ("beginning", "developing", "proficient", "extending"))
    project, _ = read_project(path, settings)
    assert project is not None and len(project.code_html) == 1
    block = next(iter(project.code_html))
    again, _ = read_project(path, settings, {block: "<pre>from before</pre>"})
    assert again is not None and "from before" in again.body_html


# fmt: off
TOKENS = ["```", "~~~", "````", "\n", "\n\n", " ", "python", "js", "{", "}", ".py", "#id",
          "hl_lines=\"1\"", "x = 1", "<b>", "&", "`", "- ", "    ", "text", "[^1]", "[^1]: n\n"]
# fmt: on
fenced = st.lists(st.sampled_from(TOKENS) | st.characters(), max_size=80).map("".join)


@generated()
@given(fenced)
def test_same_html_for_generated_markdown(text):
    _check(text)


def test_a_lexer_is_looked_up_once_per_language_and_options():
    from markdown.extensions import codehilite

    assert codehilite.get_lexer_by_name is fences.remembered_lexer  # installed above
    python = fences.remembered_lexer("python", stripnl=False)
    assert python.name == "Python" and not python.stripnl
    assert fences.remembered_lexer("python", stripnl=False) is python
    assert fences.remembered_lexer("py", stripnl=False) is not python  # another key, same kind
    assert fences.remembered_lexer("python", stripnl=True).stripnl


def test_an_unknown_language_fails_every_time_and_is_shown_as_text():
    from pygments.util import ClassNotFound

    errors = []
    for _ in range(3):
        with pytest.raises(ClassNotFound) as info:
            fences.remembered_lexer("no-such-language")
        errors.append(info.value)
    assert errors[0] is not errors[1]  # a new error each time: no traceback grows
    assert str(errors[2]) == "no lexer for alias 'no-such-language' found"
    html = MarkdownRenderer().render("```no-such-language\n<b>x</b>\n```\n", "about.md").html
    assert "&lt;b&gt;x&lt;/b&gt;" in html and 'class="highlight"' in html

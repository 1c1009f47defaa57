import pytest

from portfolio_gen.urls import output_path, relative_url


@pytest.mark.parametrize(
    ("page", "target", "expected"),
    [
        ("", "projects/", "projects/"),
        ("projects/a/", "projects/b/", "../b/"),
        ("projects/a/", "", "../../"),
        ("projects/a/", "projects/a/", "./"),
        ("projects/a/", "projects/b/photo.jpg", "../b/photo.jpg"),
        ("about/", "static/style.css", "../static/style.css"),
        ("404.html", "projects/", "projects/"),
    ],
)
def test_relative_url(page, target, expected):
    assert relative_url(page, target) == expected


def test_index_html_for_file_urls():
    assert relative_url("projects/a/", "projects/b/", index_html=True) == "../b/index.html"
    assert relative_url("projects/a/", "projects/b/x.png", index_html=True) == "../b/x.png"


def test_output_path():
    assert output_path("") == "index.html"
    assert output_path("projects/x/") == "projects/x/index.html"
    assert output_path("404.html") == "404.html"

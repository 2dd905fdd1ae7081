"""Data placed in Streamlit markdown stays literal text."""

from hypothesis import given
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from dashboard.ui.text import md

RENDER = MarkdownIt("commonmark").render


def test_links_html_and_formatting_are_shown_literally():
    hostile = "<img src=x onerror=alert(1)> [click](javascript:alert(2)) **bold** :red[x] $x$"
    html = RENDER(md(hostile))
    assert "<img" not in html and "<a" not in html and "<strong>" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "[click](javascript:alert(2))" in html


def test_a_line_break_cannot_start_a_heading_or_list():
    assert "<h1>" not in RENDER(md("Area\n# Heading"))
    assert "<li>" not in RENDER(md("Area\n- item"))


@given(st.text(max_size=60))
def test_any_text_renders_as_one_paragraph_of_itself(text):
    html = RENDER(md(text))
    assert html.count("<p>") <= 1
    for tag in ("<a", "<img", "<script", "<strong", "<em", "<code", "<h", "<li"):
        assert tag not in html


def test_bare_urls_www_names_and_email_addresses_cannot_become_links():
    from dashboard.ui.text import JOINER

    urls = ("http://evil.example/x", "HTTPS://evil.example", "www.evil.example", "a@b.example")
    for text in urls:
        shown = md(text)
        # Streamlit's GitHub-flavoured markdown links these even with their punctuation escaped;
        # a word joiner inside the trigger stops it, and the reader sees the text unchanged.
        assert JOINER in shown
        assert shown.replace(JOINER, "").replace("\\", "") == text

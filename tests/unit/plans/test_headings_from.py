"""Stored guidance and answers fit the page's heading outline: no level skipped."""

from plans.templatetags.plans_tags import headings_from


def test_guidance_with_h4s_becomes_h2s_under_the_pages_h1():
    assert headings_from("<h4>Aims</h4><p>x</p><h4 id='b'>Scope</h4>", 2) == (
        "<h2>Aims</h2><p>x</p><h2 id='b'>Scope</h2>"
    )


def test_nested_levels_keep_their_order_without_gaps():
    html = "<h2>A</h2><h4>B</h4><h6>C</h6>"
    assert headings_from(html, 3) == "<h3>A</h3><h4>B</h4><h5>C</h5>"


def test_text_without_headings_is_unchanged():
    assert headings_from("<p>No <strong>headings</strong> here; h4 in words.</p>", 2) == (
        "<p>No <strong>headings</strong> here; h4 in words.</p>"
    )

from django import template

from coproseries.markdown import render_markdown, render_markdown_text

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text):
    """Render organiser- or speaker-written Markdown through the one sanitising function."""
    return render_markdown(text)


@register.filter(name="markdown_text")
def markdown_text_filter(text):
    """Markdown as plain words, escaped by the template like any other text."""
    return render_markdown_text(text)

from django import template

from coproseries.markdown import render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text):
    """Render organiser- or speaker-written Markdown through the one sanitising function."""
    return render_markdown(text)

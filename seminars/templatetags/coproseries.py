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


@register.filter
def ordinal(number):
    """1st, 2nd, 3rd, 4th, … 11th, 12th, 13th, … 21st: a position in plain English."""
    number = int(number)
    if number % 100 in {11, 12, 13}:
        return f"{number}th"
    return f"{number}{ {1: 'st', 2: 'nd', 3: 'rd'}.get(number % 10, 'th') }"

"""How council papers write times and dates ("7.00 pm", "Monday 14 December 2015")."""

import datetime

from django import template

register = template.Library()


@register.filter
def council_time(value: datetime.time | None) -> str:
    """A time as minutes print it: 7.00 pm, 10.00 am, 12.30 pm."""
    if value is None:
        return ""
    hour = value.hour % 12 or 12
    return f"{hour}.{value.minute:02d} {'am' if value.hour < 12 else 'pm'}"


@register.filter
def unbroken(value: str) -> str:
    """Words that stay on one line ("Pages 3 - 6"): spaces made non-breaking, and a word
    joiner after each hyphen, where a line could otherwise break."""
    return (value or "").replace(" ", "\u00a0").replace("-", "-\u2060")

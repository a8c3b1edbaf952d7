"""Small helpers the tests share."""

import html
import re


def text_of(response) -> str:
    """A page's visible words: scripts and tags removed, entities decoded, spacing folded."""
    markup = response.content.decode()
    markup = re.sub(r"<(script|style)\b.*?</\1>", " ", markup, flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", markup)))

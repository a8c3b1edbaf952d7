"""Turn a plan's light-structure text into blocks that templates render.

Seed and entered text is plain: paragraphs split by a blank line, `- ` lines for bullets and
`### ` lines for sub-headings (fixtures/README.md). No HTML is made here; the template
`_partials/text_blocks.html` renders the blocks, escaping every word.
"""

from django import template

register = template.Library()


@register.filter
def text_blocks(value: str) -> list[dict]:
    """Blocks of a light-structure text: {"kind": "p"|"h"|"ul", "text"|"items": …}."""
    blocks: list[dict] = []
    paragraph: list[str] = []
    previous_was_item = False

    def end_paragraph():
        if paragraph:
            blocks.append({"kind": "p", "text": "\n".join(paragraph)})
            paragraph.clear()

    for raw in (value or "").splitlines():
        line = raw.strip()
        if not line:
            end_paragraph()
        elif line.startswith("### "):
            end_paragraph()
            blocks.append({"kind": "h", "text": line[4:].strip()})
        elif line.startswith("- "):
            end_paragraph()
            if blocks and blocks[-1]["kind"] == "ul" and previous_was_item:
                blocks[-1]["items"].append(line[2:].strip())
            else:
                blocks.append({"kind": "ul", "items": [line[2:].strip()]})
        else:
            paragraph.append(line)
        previous_was_item = line.startswith("- ")
    end_paragraph()
    return blocks


@register.filter
def first_line(value: str) -> str:
    """The first line of a text (an action's title before its sub-list)."""
    return (value or "").strip().splitlines()[0] if (value or "").strip() else ""


@register.filter
def counted(label: str, count) -> str:
    """A plan's own label, lower case, in the number a count needs: "1 proposed action",
    "30 proposed actions", "2 emerging issues", "1 measure of success". A label the plan
    prints in the plural ("Proposed Actions") is made singular for one."""
    if not isinstance(count, int):
        count = len(count)
    word = (label or "").lower()
    if not word:
        return word
    # The noun that takes the number comes before "of" ("measures of success").
    head, of, rest = word.partition(" of ")
    head = _singular(head)
    if count != 1:
        head = _plural(head)
    return head + of + rest


def _singular(words: str) -> str:
    if words.endswith("ies"):
        return words[:-3] + "y"
    if words.endswith("s") and not words.endswith(("ss", "us", "is")):
        return words[:-1]
    return words


def _plural(words: str) -> str:
    if words.endswith(("s", "x", "ch", "sh")):
        return words + "es"
    if words.endswith("y") and words[-2:-1] not in "aeiou":
        return words[:-1] + "ies"
    return words + "s"

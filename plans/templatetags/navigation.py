"""Where a page sits: `{% breadcrumbs %}` draws the trail every page shows above its content.

In the plans app because every app's templates may load it (`{% load navigation %}`); the
markup is `_partials/breadcrumbs.html`, and no HTML is made here.
"""

from django import template

register = template.Library()


@register.filter
def link(label: str, url: str) -> tuple[str, str]:
    """A crumb that is not a model's own page: `"Meetings"|link:meetings_url`."""
    return (label, url)


@register.inclusion_tag("_partials/breadcrumbs.html")
def breadcrumbs(*crumbs) -> dict:
    """The trail below "Partnerships", one argument a crumb: a model instance (its name or
    title, linked to its get_absolute_url), a `label|link:url` pair, or a plain string shown
    without a link. An empty one (a county the partnership does not have) is left out."""
    trail = []
    for crumb in crumbs:
        if not crumb:
            continue
        if isinstance(crumb, tuple):
            trail.append(crumb)
        elif isinstance(crumb, str):
            trail.append((crumb, ""))
        else:
            label = getattr(crumb, "name", None) or crumb.title
            trail.append((label, crumb.get_absolute_url()))
    return {"trail": trail}

"""The site's form renderer: every field goes through templates/forms/field.html."""

from django.forms.renderers import TemplatesSetting


class GovukFormRenderer(TemplatesSetting):
    """Render fields with GOV.UK Design System markup (label, hint, error message)."""

    field_template_name = "forms/field.html"
    form_template_name = "forms/form.html"

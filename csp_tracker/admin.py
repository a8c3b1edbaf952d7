"""What every admin page shares: coordinators see, change and choose only their partnerships;
versioned records stay versioned."""

from csp_tracker import permissions


class PartnershipScopedAdmin:
    """Mix into a ModelAdmin; `partnership_path` leads from the model to its Partnership.

    The change list and change pages list only the coordinator's partnerships' records, and
    every choice of a record that belongs to a partnership (a plan, a priority, a body…) offers
    and accepts only theirs, so a form cannot be posted into another partnership.
    """

    partnership_path = "partnership"

    def get_queryset(self, request):
        return self._scoped(super().get_queryset(request), self.partnership_path, request)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        related_admin = self.admin_site._registry.get(db_field.related_model)
        if isinstance(related_admin, PartnershipScopedAdmin) and "queryset" not in kwargs:
            related = db_field.related_model._default_manager.all()
            kwargs["queryset"] = self._scoped(related, related_admin.partnership_path, request)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @staticmethod
    def _scoped(queryset, path, request):
        ids = permissions.admin_partnership_ids(request.user)
        return queryset if ids is None else queryset.filter(**{f"{path}__in": ids})


class VersionedAdmin:
    """Mix into a ModelAdmin of a model with a `version` raised on every edit (the stale-edit
    check of the services): the admin shows it read-only and raises it on each change, its
    inlines' rows included, so a form opened before an admin edit is refused as stale."""

    def get_readonly_fields(self, request, obj=None):
        return [*dict.fromkeys([*super().get_readonly_fields(request, obj), "version"])]

    def save_model(self, request, obj, form, change):
        if change:
            obj.version += 1
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        if any(f.name == "version" for f in formset.model._meta.fields):
            for row in formset.forms:
                if row.instance.pk and row.has_changed() and row not in formset.deleted_forms:
                    row.instance.version += 1
        super().save_formset(request, form, formset, change)

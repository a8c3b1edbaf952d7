"""What every admin page shares. The admin is the site administrators' tool (permissions.
can_use_admin); anyone else signed in is sent to their workspace in the app.

Every ModelAdmin and inline mixes in ScopedAdmin or ScopedInline, which hold the one rule for
what an admin page lists, offers and changes:

- a *shared* record (partnerships, memberships, agencies, priority categories) is the site
  administrators' to change;
- any other record belongs to a partnership (`partnership_path` leads to it): it is listed
  only where the app would show it to the same user (its `visible_to`, restricted items
  included), changed only where the user coordinates the partnership, and its history shows
  only versions the user may read; a history version is never saved back (no reverts);
- every foreign-key, many-to-many and inline choice offers only what the user may see, and
  the record's own partnership link only partnerships the user may change.
"""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from simple_history.admin import SimpleHistoryAdmin

from csp_tracker import permissions

NOT_FOR_YOU = (
    "The admin is for site administrators. Everything a partnership does, its coordinators "
    "do here, in the service."
)


class SiteAdministratorsAdminSite(admin.AdminSite):
    """The admin for site administrators only: the app's sign-in instead of the admin's own,
    and a signed-in user who is not a site administrator is sent to their workspace."""

    site_header = "CSP Tracker: site administration"
    site_title = "CSP Tracker site administration"
    index_title = "Partnerships, people and shared lists"

    def has_permission(self, request):
        return permissions.can_use_admin(request.user)

    def admin_view(self, view, cacheable=False):
        inner = super().admin_view(view, cacheable)

        def gatekeeper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not self.has_permission(request):
                return workspace_redirect(request)
            return inner(request, *args, **kwargs)

        gatekeeper.__dict__.update(inner.__dict__)
        return gatekeeper

    def login(self, request, extra_context=None):
        """One sign-in for the whole service (with its checks): the app's, then back here."""
        if request.user.is_authenticated:
            if self.has_permission(request):
                return redirect("admin:index")
            return workspace_redirect(request)
        return redirect_to_login(request.GET.get("next") or reverse("admin:index"))


def workspace_redirect(request):
    """A signed-in user who is not a site administrator: to their partnership's page (the
    first they coordinate, else their only one), or to the list of partnerships."""
    messages.info(request, NOT_FOR_YOU)
    mine = permissions.memberships(request.user)
    coordinated = permissions.coordinated_partnership_ids(request.user)
    chosen = sorted(coordinated) or (sorted(mine) if len(mine) == 1 else [])
    if chosen:
        return redirect("reports:partnership", slug=mine[chosen[0]].partnership.slug)
    return redirect("plans:home")


def partnership_id_of(obj, path: str) -> int | None:
    """The id of the partnership `path` ("plan__partnership") leads to from `obj`."""
    *hops, last = path.split("__")
    if last == "pk":
        return obj.pk
    for hop in hops:
        obj = getattr(obj, hop, None)
        if obj is None:
            return None
    return getattr(obj, f"{last}_id", None)


def readable_rows(model, user, path: str):
    """The rows of `model` the app shows `user`: its own visible_to where it has one, else
    those whose first hop along `path` is readable (a priority is as readable as its plan),
    else those of the user's partnerships."""
    manager = model._default_manager
    if hasattr(manager, "visible_to"):
        return manager.visible_to(user)
    first, _, rest = path.partition("__")
    if not rest:
        return manager.filter(**{f"{first}__in": permissions.member_partnerships(user)})
    related = model._meta.get_field(first).related_model
    return manager.filter(**{f"{first}__in": readable_rows(related, user, rest)})


def choices_for(admin_site, model, user, *, owner_path: str | None = None):
    """What a form field naming `model` may offer: a shared record's whole list; otherwise
    the rows the user may read, and where the field is the record's own link to its
    partnership (`owner_path` from `model` to it), only those of partnerships the user may
    change. A model no admin describes cannot be offered: register it, or give the field a
    queryset of its own."""
    related_admin = admin_site._registry.get(model)
    if related_admin is None:
        raise ImproperlyConfigured(f"No admin says what of {model._meta.label} a user may choose.")
    if not isinstance(related_admin, ScopedAdmin):  # Django's own users and groups
        return model._default_manager.all()
    if related_admin.shared:
        rows = model._default_manager.all()
        return rows if owner_path is None else rows.filter(**_within(owner_path, user))
    rows = readable_rows(model, user, related_admin.partnership_path)
    if owner_path is not None:
        rows = rows.filter(**_within(owner_path, user))
    return rows


def _without(fields, hidden: set[str]) -> list:
    """A fieldset's fields (names, or tuples of names on one line) less the hidden ones."""
    kept = []
    for field in fields:
        if isinstance(field, (list, tuple)):
            line = [name for name in field if name not in hidden]
            if line:
                kept.append(tuple(line))
        elif field not in hidden:
            kept.append(field)
    return kept


def _within(path: str, user) -> dict:
    ids = permissions.admin_changeable_partnerships(user)
    return {"pk__in": ids} if path == "pk" else {f"{path}__in": ids}


class ChoicesLimited:
    """Every foreign-key and many-to-many choice through choices_for (ModelAdmin and inline)."""

    shared = False
    partnership_path = "partnership"

    def _owner_path(self, db_field) -> str | None:
        if self.shared:
            return None
        first, _, rest = self.partnership_path.partition("__")
        if db_field.name != first:
            return None
        return rest or "pk"

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "queryset" not in kwargs:
            kwargs["queryset"] = choices_for(
                self.admin_site,
                db_field.related_model,
                request.user,
                owner_path=self._owner_path(db_field),
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "queryset" not in kwargs:
            kwargs["queryset"] = choices_for(self.admin_site, db_field.related_model, request.user)
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class ScopedAdmin(ChoicesLimited):
    """Mix into every ModelAdmin first. `shared = True` for the site administrators' own
    records; otherwise `partnership_path` leads from the model to its Partnership."""

    def get_queryset(self, request):
        rows = super().get_queryset(request)
        if self.shared:
            return rows
        readable = readable_rows(self.model, request.user, self.partnership_path)
        return rows.filter(pk__in=readable.values("pk"))

    def may_change(self, request, obj=None) -> bool:
        """Site administrators change shared records; a partnership's records are changed by
        its coordinators (obj None: whether the user may change any)."""
        if self.shared:
            return permissions.can_change_shared_lists(request.user)
        ids = permissions.admin_changeable_partnerships(request.user)
        if obj is None:
            return bool(ids)
        return partnership_id_of(obj, self.partnership_path) in ids

    def has_add_permission(self, request, *args):
        return super().has_add_permission(request, *args) and self.may_change(request)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self.may_change(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self.may_change(request, obj)

    def get_fieldsets(self, request, obj=None):
        """A record the user may only read shows no link to a record they may not (a
        published minute citing a draft plan's action, a paper of an unpublished plan)."""
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or self.shared or self.may_change(request, obj):
            return fieldsets
        hidden = self.unreadable_links(request, obj)
        if not hidden:
            return fieldsets
        return [
            (title, {**options, "fields": _without(options["fields"], hidden)})
            for title, options in fieldsets
        ]

    def unreadable_links(self, request, obj) -> set[str]:
        """The names of `obj`'s foreign keys and many-to-many fields that name a record of a
        partnership the user may not read."""
        hidden = set()
        for field in self.model._meta.get_fields():
            if not field.is_relation or field.auto_created:
                continue  # reverse relations are auto-created
            if not (field.concrete or field.many_to_many):
                continue
            related_admin = self.admin_site._registry.get(field.related_model)
            if not isinstance(related_admin, ScopedAdmin) or related_admin.shared:
                continue
            if field.many_to_many:
                ids = set(getattr(obj, field.name).values_list("pk", flat=True))
            else:
                ids = {getattr(obj, field.attname)} - {None}
            if not ids:
                continue
            readable = readable_rows(
                field.related_model, request.user, related_admin.partnership_path
            ).filter(pk__in=ids)
            if readable.count() != len(ids):
                hidden.add(field.name)
        return hidden

    def save_model(self, request, obj, form, change):
        """Saved only into a partnership the user may change: a field that moves the record
        (a minute's meeting decides its body) is checked as saved, and refused in the admin's
        transaction, so nothing of it stays."""
        super().save_model(request, obj, form, change)
        if not self.may_change(request, obj):
            raise PermissionDenied("That record belongs to a partnership you do not coordinate.")

    def delete_queryset(self, request, queryset):
        """ "Delete selected" removes only records the user may change, or none."""
        if not all(self.may_change(request, obj) for obj in queryset):
            raise PermissionDenied("Some of those records are not yours to delete.")
        super().delete_queryset(request, queryset)

    # History: only what the user may read, never saved back.

    def get_history_queryset(self, request, history_manager, pk_name, object_id):
        versions = super().get_history_queryset(request, history_manager, pk_name, object_id)
        if self.shared:
            return versions
        path = self.partnership_path
        current = self.get_queryset(request).filter(pk=object_id).first()
        here = Q(pk__in=[]) if current is None else Q(**{path: partnership_id_of(current, path)})
        mine = Q(**{f"{path}__in": permissions.member_partnerships(request.user)})
        if path == "pk":
            return versions.filter(here | mine)
        versions = versions.filter(here | mine)
        if any(f.name == "restricted" for f in self.model._meta.fields):
            versions = versions.filter(permissions.readable_restricted(request.user, path))
        return versions

    def history_view(self, request, object_id, extra_context=None):
        get_object_or_404(self.get_queryset(request), pk=unquote(object_id))
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """A past version, to read: posting it back (a revert) is refused."""
        if request.method != "GET":
            raise PermissionDenied("A past version cannot be saved back; change the record.")
        object_id = unquote(object_id)
        get_object_or_404(self.get_queryset(request), pk=object_id)
        history = self.model._meta.simple_history_manager_attribute
        versions = self.get_history_queryset(
            request, getattr(self.model, history), self.model._meta.pk.attname, object_id
        )
        if not versions.filter(history_id=version_id).exists():
            raise Http404
        return super().history_form_view(request, object_id, version_id, extra_context)

    def revert_disabled(self, request, obj=None):
        return True


class ScopedInline(ChoicesLimited):
    """Mix into every inline first: its rows are those the user may read, changed where the
    parent record may be; its partnership path follows the parent admin's."""

    @property
    def _parent_admin(self):
        return self.admin_site._registry[self.parent_model]

    @property
    def shared(self):
        return self._parent_admin.shared

    @property
    def partnership_path(self):
        from django.forms.models import _get_foreign_key

        fk = _get_foreign_key(self.parent_model, self.model, fk_name=self.fk_name)
        parent_path = self._parent_admin.partnership_path
        return fk.name if parent_path == "pk" else f"{fk.name}__{parent_path}"

    def get_queryset(self, request):
        rows = super().get_queryset(request)
        if self.shared:
            return rows
        readable = readable_rows(self.model, request.user, self.partnership_path)
        return rows.filter(pk__in=readable.values("pk"))

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and self._parent_admin.may_change(
            request, obj
        )

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._parent_admin.may_change(
            request, obj
        )

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._parent_admin.may_change(
            request, obj
        )


class ScopedHistoryAdmin(ScopedAdmin, SimpleHistoryAdmin):
    """A ModelAdmin with history, scoped: what almost every model is registered with."""


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

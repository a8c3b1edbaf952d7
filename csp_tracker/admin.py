"""What every admin page shares: coordinators see and change only their partnerships."""

from csp_tracker import permissions


class PartnershipScopedAdmin:
    """Mix into a ModelAdmin; `partnership_path` leads from the model to its Partnership."""

    partnership_path = "partnership"

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        ids = permissions.coordinated_partnership_ids(request.user)
        return queryset.filter(**{f"{self.partnership_path}__in": ids})

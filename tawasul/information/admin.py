"""Admin of the access-to-information portal. Requests are read-only here (every change goes
through the services); the proactive-publication registers are edited here.

Defaults that DOMAIN.md marks [M] (from memory, `settings.INFORMATION_TO_CONFIRM`, and the [M]
refusal grounds) are shown as "to confirm" at the top of every list of this app (R1 conventions:
"Defaults tagged [M] must be labelled 'to confirm' in the admin interface")."""

from django.conf import settings
from django.contrib import admin, messages
from django.utils.translation import gettext as _

from .models import REFUSAL_GROUNDS_TO_CONFIRM, InfoRequest, ProactiveCategory, ProactiveEntry, RefusalGround


def settings_to_confirm() -> list[tuple[str, object]]:
    """(name, current value) of each [M] setting of the portal."""
    return [(name, getattr(settings, name, None)) for name in settings.INFORMATION_TO_CONFIRM]


class _ToConfirmMixin:
    def changelist_view(self, request, extra_context=None):
        values = ", ".join(f"{name} = {value}" for name, value in settings_to_confirm())
        grounds = ", ".join(str(RefusalGround(g).label) for g in sorted(REFUSAL_GROUNDS_TO_CONFIRM))
        messages.warning(
            request,
            _("To confirm (law 31-13 defaults from memory, not yet checked against a published text): %(values)s.")
            % {"values": values},
        )
        messages.warning(request, _("Refusal grounds to confirm: %(grounds)s.") % {"grounds": grounds})
        return super().changelist_view(request, extra_context)


@admin.register(InfoRequest)
class InfoRequestAdmin(_ToConfirmMixin, admin.ModelAdmin):
    list_display = ["case", "requester_type", "delivery_mode", "outcome", "refusal_ground", "published_at"]
    list_filter = ["outcome", "refusal_ground", "delivery_mode", "publish_consent"]
    search_fields = ["case__reference"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ProactiveCategory)
class ProactiveCategoryAdmin(_ToConfirmMixin, admin.ModelAdmin):
    list_display = ["code", "name_ar", "name_fr", "position"]


@admin.register(ProactiveEntry)
class ProactiveEntryAdmin(admin.ModelAdmin):
    list_display = ["title", "administration", "category", "published_on"]
    list_filter = ["category"]
    search_fields = ["title"]
    autocomplete_fields = ["administration"]

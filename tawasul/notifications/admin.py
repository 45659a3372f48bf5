from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import Notification, StaffAlert
from .services import notifications_send_again


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "channel", "template", "status", "attempts", "subject_ref"]
    list_filter = ["status", "channel", "template"]
    search_fields = ["subject_ref"]
    readonly_fields = [field.name for field in Notification._meta.fields]
    actions = ["send_again"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Send again the messages that were given up"), permissions=["change"])
    def send_again(self, request, queryset):
        selected = queryset.count()
        count = notifications_send_again(queryset.values_list("pk", flat=True))
        self.message_user(
            request,
            ngettext("%(count)d message will be sent again.", "%(count)d messages will be sent again.", count)
            % {"count": count},
            messages.SUCCESS if count else messages.WARNING,
        )
        if selected > count:
            self.message_user(
                request,
                ngettext(
                    "%(count)d message was left as it is: it was not given up, or its content has "
                    "already been blanked.",
                    "%(count)d messages were left as they are: they were not given up, or their content "
                    "has already been blanked.",
                    selected - count,
                )
                % {"count": selected - count},
                messages.WARNING,
            )


@admin.register(StaffAlert)
class StaffAlertAdmin(admin.ModelAdmin):
    """Read-only: alerts are written by the services and read in the back office."""

    list_display = ["created_at", "user", "kind", "case_reference", "read_at", "digested_at"]
    list_filter = ["kind"]
    search_fields = ["case_reference"]
    readonly_fields = [field.name for field in StaffAlert._meta.fields]

    def has_add_permission(self, request):
        return False

from django.contrib import admin

from .models import Notification, StaffAlert


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "channel", "template", "status", "attempts", "subject_ref"]
    list_filter = ["status", "channel", "template"]
    search_fields = ["subject_ref"]
    readonly_fields = [field.name for field in Notification._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(StaffAlert)
class StaffAlertAdmin(admin.ModelAdmin):
    """Read-only: alerts are written by the services and read in the back office."""

    list_display = ["created_at", "user", "kind", "case_reference", "read_at", "digested_at"]
    list_filter = ["kind"]
    search_fields = ["case_reference"]
    readonly_fields = [field.name for field in StaffAlert._meta.fields]

    def has_add_permission(self, request):
        return False

from django.contrib import admin

from .models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "channel", "template", "status", "attempts", "subject_ref"]
    list_filter = ["status", "channel", "template"]
    search_fields = ["subject_ref"]
    readonly_fields = [field.name for field in Notification._meta.fields]

    def has_add_permission(self, request):
        return False

"""Read-only admin views of cases: every change goes through the services (ARCHITECTURE.md §3.1)."""

from django.contrib import admin

from .models import Attachment, Case, CaseEvent, Message


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Case)
class CaseAdmin(ReadOnlyAdmin):
    list_display = ["reference", "portal", "kind", "administration", "status", "received_at", "is_overdue"]
    list_filter = ["portal", "kind", "status", "is_overdue", "escalation_level"]
    search_fields = ["reference"]
    exclude = ["tracking_token_hash"]


@admin.register(CaseEvent)
class CaseEventAdmin(ReadOnlyAdmin):
    list_display = ["case", "action", "from_status", "to_status", "actor_role", "created_at"]
    list_filter = ["action"]
    # Newest first through the primary key: events have no index by time alone (ADR 0053), and
    # an exact count of millions of events is not worth a page load.
    ordering = ["-pk"]
    show_full_result_count = False


@admin.register(Message)
class MessageAdmin(ReadOnlyAdmin):
    list_display = ["case", "kind", "author_role", "created_at"]


@admin.register(Attachment)
class AttachmentAdmin(ReadOnlyAdmin):
    list_display = ["case", "display_name", "mime", "size", "created_at"]

"""The national unit edits the offices (joined or not) and the price table here (DOMAIN.md R3)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import CivilStatusOffice, Payment, PriceItem


@admin.register(CivilStatusOffice)
class CivilStatusOfficeAdmin(admin.ModelAdmin):
    list_display = ("code", "name_ar", "name_fr", "kind", "administration", "joined", "joined_on")
    list_filter = ("kind", "joined")
    search_fields = ("code", "name_ar", "name_fr")
    autocomplete_fields = ("administration",)
    raw_id_fields = ("commune",)


@admin.register(PriceItem)
class PriceItemAdmin(admin.ModelAdmin):
    list_display = ("code", "amount", "to_confirm_label", "source", "updated_at")
    list_editable = ("amount",)
    readonly_fields = ("updated_at",)

    @admin.display(description=_("to confirm"), boolean=False)
    def to_confirm_label(self, item: PriceItem) -> str:
        return str(_("To confirm")) if item.to_confirm else ""

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Payment)
class PaymentAdmin(admin.ModelAdmin):
    list_display = ("pk", "order", "amount", "status", "gateway", "created_at", "confirmed_at")
    list_filter = ("status",)
    readonly_fields = [f.name for f in Payment._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

"""Admin of core's staff-edited tables: holiday overrides go through the services."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import HolidayOverride
from .services import holiday_override_delete, holiday_override_save


@admin.register(HolidayOverride)
class HolidayOverrideAdmin(admin.ModelAdmin):
    list_display = ["date", "kind", "name_ar", "name_fr", "source", "updated_at"]
    list_filter = ["kind", ("date", admin.DateFieldListFilter)]
    search_fields = ["name_ar", "name_fr", "name_zgh", "name_en", "source"]
    date_hierarchy = "date"
    ordering = ["-date"]
    fieldsets = [
        (None, {"fields": ["date", "kind", "source"]}),
        (_("Names"), {"fields": ["name_ar", "name_fr", "name_zgh", "name_en"]}),
    ]

    def save_model(self, request, obj, form, change):
        saved = holiday_override_save(
            actor=request.user,
            day=obj.date,
            kind=obj.kind,
            source=obj.source,
            name_ar=obj.name_ar,
            name_fr=obj.name_fr,
            name_zgh=obj.name_zgh,
            name_en=obj.name_en,
            override=obj if change else None,
        )
        obj.pk = saved.pk

    def delete_model(self, request, obj):
        holiday_override_delete(actor=request.user, override=obj)

    def delete_queryset(self, request, queryset):
        for override in queryset:
            holiday_override_delete(actor=request.user, override=override)

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Administration, Commune, Province, Region
from .services import administration_save, build_search_text


class DivisionAdmin(admin.ModelAdmin):
    """Divisions come from `manage.py import_divisions`; the admin corrects names (e.g. Tifinagh)."""

    search_fields = ("code", "name_ar", "name_fr", "name_zgh", "name_en")
    readonly_fields = ("code",)

    def save_model(self, request, obj, form, change):
        obj.search_text = build_search_text(*obj.names())
        super().save_model(request, obj, form, change)


@admin.register(Region)
class RegionAdmin(DivisionAdmin):
    list_display = ("code", "iso_code", "name_ar", "name_fr", "name_zgh", "population")


@admin.register(Province)
class ProvinceAdmin(DivisionAdmin):
    list_display = ("code", "name_ar", "name_fr", "kind", "region", "population")
    list_filter = ("kind", "region")
    list_select_related = ("region",)


@admin.register(Commune)
class CommuneAdmin(DivisionAdmin):
    list_display = ("code", "name_ar", "name_fr", "kind", "province", "population")
    list_filter = ("kind", "province__region")
    list_select_related = ("province",)


@admin.register(Administration)
class AdministrationAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name_ar", "name_fr", "acronym", "kind", "group", "level", "region", "joined_on", "left_on")
    list_filter = ("group", "kind", "level", "region", "joined_on", "left_on")
    search_fields = ("code", "acronym", "name_ar", "name_fr", "name_zgh", "name_en")
    list_select_related = ("region",)
    autocomplete_fields = ("parent", "province", "commune")
    date_hierarchy = "joined_on"

    def save_model(self, request, obj, form, change):
        # The same write path as the importer and the API: keeps search_text and records the user.
        administration_save(actor=request.user, administration=obj)

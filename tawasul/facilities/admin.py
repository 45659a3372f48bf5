"""Staff edit facilities in the admin and import files (CSV or GeoJSON) through the same importer
as `manage.py import_facilities`."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from tawasul.registry.services import build_search_text

from .importers import ALL_OR_NOTHING, VALID_ONLY, facilities_import, read_file
from .models import Facility, FacilityType, Service


class NamedAdmin(admin.ModelAdmin):
    search_fields = ("code", "name_ar", "name_fr", "name_zgh", "name_en")
    exclude = ("search_text",)

    def save_model(self, request, obj, form, change):
        obj.search_text = build_search_text(*obj.names())
        super().save_model(request, obj, form, change)


@admin.register(FacilityType)
class FacilityTypeAdmin(NamedAdmin):
    list_display = ("code", "name_ar", "name_fr", "name_zgh", "position")


@admin.register(Service)
class ServiceAdmin(NamedAdmin):
    list_display = ("code", "name_ar", "name_fr", "name_zgh")


class ImportForm(forms.Form):
    file = forms.FileField(label=_("File (CSV or GeoJSON)"))
    mode = forms.ChoiceField(
        label=_("When some rows are wrong"),
        choices=[
            (ALL_OR_NOTHING, _("Import nothing (all or nothing)")),
            (VALID_ONLY, _("Import the valid rows only")),
        ],
        initial=ALL_OR_NOTHING,
        widget=forms.RadioSelect,
    )


@admin.register(Facility)
class FacilityAdmin(SimpleHistoryAdmin, NamedAdmin):
    list_display = ("code", "name_ar", "name_fr", "type", "commune", "phone", "is_active")
    list_filter = ("is_active", "type", "commune__province__region", "wheelchair_access")
    list_select_related = ("type", "commune")
    autocomplete_fields = ("commune", "administration")
    filter_horizontal = ("services",)
    change_list_template = "admin/facilities/facility/change_list.html"

    def get_urls(self):
        extra = [path("import/", self.admin_site.admin_view(self.import_view), name="facilities_facility_import")]
        return extra + super().get_urls()

    def import_view(self, request):
        if not self.has_add_permission(request) or not self.has_change_permission(request):
            raise PermissionDenied
        form = ImportForm(request.POST or None, request.FILES or None)
        result = None
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                rows = read_file(upload.name, upload.read())
            except (UnicodeDecodeError, ValueError) as exc:
                form.add_error("file", str(exc))
            else:
                result = facilities_import(actor=request.user, rows=rows, mode=form.cleaned_data["mode"])
                level = messages.SUCCESS if result.ok else messages.WARNING
                counts = {
                    "rows": result.rows,
                    "created": result.created,
                    "updated": result.updated,
                    "skipped": result.skipped,
                }
                summary = _("%(rows)s rows: %(created)s created, %(updated)s updated, %(skipped)s not imported.")
                self.message_user(request, summary % counts, level)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Import facilities"),
            "form": form,
            "result": result,
        }
        return TemplateResponse(request, "admin/facilities/facility/import.html", context)

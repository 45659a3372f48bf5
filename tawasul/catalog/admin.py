"""The national unit manages themes and their sub-themes in the Django admin (issue 6):
a theme page with its sub-themes inline. Procedures are edited in the catalog's own staff pages
(the editorial workflow), not here."""

from django.contrib import admin

from tawasul.accounts.permissions import has_role
from tawasul.accounts.roles import Role

from .models import SubTheme, Theme


class NationalUnitMixin:
    """Django's model permissions, or a staff account of the national unit."""

    def _national_unit(self, request) -> bool:
        return request.user.is_active and request.user.is_staff and has_role(request.user, Role.NATIONAL_UNIT)

    def has_module_permission(self, request):
        return super().has_module_permission(request) or self._national_unit(request)

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) or self._national_unit(request)

    def has_add_permission(self, request, *args):
        return super().has_add_permission(request, *args) or self._national_unit(request)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) or self._national_unit(request)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) or self._national_unit(request)


class SubThemeInline(NationalUnitMixin, admin.TabularInline):
    model = SubTheme
    fields = ("position", "slug", "name_ar", "name_fr", "name_zgh", "name_en")
    extra = 1
    ordering = ("position", "id")


def _index_names(obj) -> None:
    from tawasul.core.text import normalize

    obj.search_text = "\n".join(n for n in (normalize(v) for v in obj.names()) if n)


@admin.register(Theme)
class ThemeAdmin(NationalUnitMixin, admin.ModelAdmin):
    list_display = ("position", "slug", "name_ar", "name_fr", "name_en")
    list_display_links = ("slug",)
    search_fields = ("slug", "name_ar", "name_fr", "name_zgh", "name_en")
    fields = ("position", "slug", "name_ar", "name_fr", "name_zgh", "name_en")
    inlines = [SubThemeInline]

    def save_model(self, request, obj, form, change):
        _index_names(obj)
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        for sub in formset.save(commit=False):
            _index_names(sub)
            sub.save()
        for sub in formset.deleted_objects:
            sub.delete()
        formset.save_m2m()


@admin.register(SubTheme)
class SubThemeAdmin(NationalUnitMixin, admin.ModelAdmin):
    list_display = ("slug", "name_ar", "name_fr", "theme", "position")
    list_filter = ("theme",)
    search_fields = ("slug", "name_ar", "name_fr", "name_zgh", "name_en")
    fields = ("theme", "position", "slug", "name_ar", "name_fr", "name_zgh", "name_en")

    def save_model(self, request, obj, form, change):
        _index_names(obj)
        super().save_model(request, obj, form, change)

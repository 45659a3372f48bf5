"""Back office for users and memberships.

The admin's own login page is replaced by allauth's (`secure_admin_login`): signing in to the admin
goes through the same lockout (django-axes), rate limits and TOTP step as every other sign-in.
"""

from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .models import Membership, User

admin.site.login = secure_admin_login(admin.site.login)


class MembershipInline(admin.TabularInline):
    model = Membership
    fk_name = "user"
    extra = 0
    fields = ("administration", "role", "is_active", "starts_on", "ends_on", "created_at")
    readonly_fields = ("created_at",)
    # raw ids: the registry's admin (another module) decides whether administrations are searchable.
    raw_id_fields = ("administration",)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ("username", "email", "first_name", "last_name", "is_active", "is_staff")
    search_fields = ("username", "email", "first_name", "last_name", "phone", "cin")
    inlines = [MembershipInline]
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        (_("Citizen profile"), {"fields": ("preferred_language", "phone", "cin", "postal_address")}),
    )


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ("user", "administration", "role", "is_active", "starts_on", "ends_on")
    list_filter = ("role", "is_active")
    search_fields = ("user__email", "user__username", "administration__name_ar", "administration__name_fr")
    autocomplete_fields = ("user",)
    raw_id_fields = ("administration",)
    readonly_fields = ("created_at",)

    def save_model(self, request, obj, form, change):
        obj._history_user = request.user
        super().save_model(request, obj, form, change)

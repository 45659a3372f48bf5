"""The reception program in the Django admin (superusers), with the history of reference data."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Activity, ReceptionSite, SiteCheck, SurveyAnswer


class SiteCheckInline(admin.TabularInline):
    model = SiteCheck
    extra = 0


@admin.register(ReceptionSite)
class ReceptionSiteAdmin(SimpleHistoryAdmin):
    list_display = ("code", "administration", "is_model_site", "labelled_on", "is_active")
    list_filter = ("is_model_site", "is_active")
    search_fields = ("code",)
    raw_id_fields = ("facility", "administration")
    inlines = [SiteCheckInline]


@admin.register(Activity)
class ActivityAdmin(SimpleHistoryAdmin):
    list_display = ("title_ar", "administration", "status", "completion", "planned_start", "planned_end")
    list_filter = ("status",)
    raw_id_fields = ("administration", "site")


@admin.register(SurveyAnswer)
class SurveyAnswerAdmin(admin.ModelAdmin):
    list_display = ("site", "answered_on", "channel", "overall")
    list_filter = ("channel",)
    raw_id_fields = ("site",)
    readonly_fields = ("nonce",)

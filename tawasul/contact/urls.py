from django.urls import path

from . import views

app_name = "contact"

urlpatterns = [
    path("", views.index, name="index"),
    # Agents (SPEC.md §8): the console, filing for a caller, the log; supervisors: statistics.
    path("console/", views.console, name="console"),
    path("console/log/", views.console_log, name="console_log"),
    path("console/complaint/", views.console_complaint, name="console_complaint"),
    path("console/complaint/<str:reference>/", views.console_complaint_done, name="console_complaint_done"),
    path("log/", views.log, name="log"),
    path("statistics/", views.statistics, name="statistics"),
    path("statistics/export.csv", views.statistics_csv, name="statistics_csv"),
    # The public assistant and its hand-over to an agent.
    path("assistant/", views.assistant, name="assistant"),
    path("assistant/callback/", views.callback, name="callback"),
    path("assistant/callback/sent/", views.callback_sent, name="callback_sent"),
]

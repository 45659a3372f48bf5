from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "tawasul.jobs"
    label = "jobs"

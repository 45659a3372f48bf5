from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "tawasul.documents"
    label = "documents"

    def ready(self):
        from . import workflow  # noqa: F401 - registers the document-order workflow with the case core

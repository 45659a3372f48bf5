"""The platform's URLs plus the baseline views under /bench/, and the same views under
/api/bench/, where they go through the API's shorter middleware chain (tawasul.core.api_chain)
as the API's scenarios do."""

from django.urls import path

from bench.baseline import views
from config.urls import urlpatterns as platform_urlpatterns

urlpatterns = [
    path("bench/hello", views.hello),
    path("bench/select/<int:pk>", views.select),
    path("bench/insert", views.insert),
    path("api/bench/select/<int:pk>", views.select),
    path("api/bench/insert", views.insert),
    *platform_urlpatterns,
]

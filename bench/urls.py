"""The platform's URLs plus the baseline views under /bench/."""

from django.urls import path

from bench.baseline import views
from config.urls import urlpatterns as platform_urlpatterns

urlpatterns = [
    path("bench/hello", views.hello),
    path("bench/select/<int:pk>", views.select),
    path("bench/insert", views.insert),
    *platform_urlpatterns,
]

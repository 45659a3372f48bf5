from django.urls import path

from . import views

app_name = "facilities"

urlpatterns = [
    path("", views.index, name="index"),
    path("points.json", views.points, name="points"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/card.json", views.card, name="card"),
]

from django.urls import path

from . import views

app_name = "documents"

urlpatterns = [
    path("", views.index, name="index"),
    path("offices/", views.offices, name="offices"),
    path("order/", views.order, name="order"),
    path("order/<str:reference>/", views.order_detail, name="order_detail"),
    path("order/<str:reference>/pay/", views.order_pay, name="order_pay"),
    path("order/<str:reference>/cancel/", views.order_cancel_view, name="order_cancel"),
    path("pay/demo/<str:token>/", views.demo_pay, name="demo_pay"),
    path("track/", views.track, name="track"),
    path("track/<str:reference>/<str:token>/", views.track_link, name="track_link"),
]

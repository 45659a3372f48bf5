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
    path("pay/cmi/callback/", views.cmi_callback, name="cmi_callback"),
    path("pay/cmi/<str:token>/", views.cmi_pay, name="cmi_pay"),
    path("pay/cmi/<str:token>/ok/", views.cmi_ok, name="cmi_ok"),
    path("pay/cmi/<str:token>/fail/", views.cmi_fail, name="cmi_fail"),
    path("track/", views.track, name="track"),
    path("track/<str:reference>/<str:token>/", views.track_link, name="track_link"),
]

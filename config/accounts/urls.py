"""The second-factor pages, under /account/ (``config.urls``)."""

from django.urls import path

from config.accounts import views

app_name = "accounts"
urlpatterns = [
    path("verify/", views.verify, name="verify"),
    path("two-factor/", views.two_factor, name="two_factor"),
]

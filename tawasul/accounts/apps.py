from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "tawasul.accounts"
    label = "accounts"

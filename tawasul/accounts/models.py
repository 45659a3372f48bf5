"""Users. One user model for citizens and staff; what a staff member may do comes from
their memberships (administration + role), never from flags on the user."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    email = models.EmailField(_("email address"), unique=True, null=True, blank=True)
    preferred_language = models.CharField(_("preferred language"), max_length=8, default="ar")

    def __str__(self) -> str:
        return self.email or self.username

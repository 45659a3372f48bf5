"""Account pages of our own (allauth serves sign-in, sign-up, email and two-factor pages)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from .forms import ProfileForm
from .services import PROFILE_FIELDS, user_update_profile


@login_required
def profile(request):
    """The signed-in person's profile (name, phone, CIN, address, language)."""
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            user_update_profile(
                actor=request.user, user=request.user, **{f: form.cleaned_data[f] for f in PROFILE_FIELDS}
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Your profile was saved."))
            return redirect("accounts:profile")
    return render(request, "accounts/profile.html", {"form": form})

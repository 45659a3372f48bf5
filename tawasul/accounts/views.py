"""Account pages of our own (allauth serves sign-in, sign-up, email and two-factor pages)."""

import json

from django import forms
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .forms import ProfileForm
from .personal_data import personal_data_erase, personal_data_export
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


# --- Personal data, law 09-08 (issue 8 item 7) ------------------------------------------------------


class EraseForm(forms.Form):
    confirm = forms.BooleanField(
        label=gettext_lazy(
            "I understand that my account will be closed and my name and contact details removed from my requests."
        ),
        error_messages={"required": gettext_lazy("Tick the box to confirm the erasure.")},
    )


@login_required
@require_GET
def personal_data(request):
    """What the platform holds about the person, and the two rights of law 09-08: access, erasure."""
    data = personal_data_export(user=request.user)
    return render(request, "accounts/personal_data.html", {"cases": data.get("cases", []), "erase_form": EraseForm()})


@never_cache
@login_required
@require_GET
def personal_data_export_view(request):
    """Everything held about the signed-in person, as a JSON file (law 09-08 art. 7)."""
    data = personal_data_export(user=request.user)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json; charset=utf-8"
    )
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="tawasul-personal-data-{stamp}.json"'
    response["Cache-Control"] = "private, no-store"
    return response


@never_cache
@login_required
def personal_data_erase_view(request):
    """Erasure of the person's identity (law 09-08 art. 8): asks for confirmation, then signs out."""
    form = EraseForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        personal_data_erase(actor=request.user, user=request.user)
        logout(request)
        messages.success(request, _("Your account was closed and your identity removed from your requests."))
        return redirect("home:index")
    return render(
        request,
        "accounts/personal_data_erase.html",
        {"erase_form": form},
        status=400 if form.is_bound and form.errors else 200,
    )

"""The pages that take a second factor (``verify``: the code; ``two_factor``: adding an
authenticator app, confirmed with a first code), and ``locked_out``, django-axes' answer."""

from __future__ import annotations

import base64
from typing import Any

import django_otp
from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django_otp.forms import OTPAuthenticationFormMixin, OTPTokenForm
from django_otp.plugins.otp_totp.models import TOTPDevice

from config.accounts.models import LoginEventKind
from config.accounts.services import SecondFactor, login_event_record, second_factor_step

CODE_MESSAGES = {
    **OTPAuthenticationFormMixin.otp_error_messages,
    "token_required": "Enter the code your authenticator app shows.",
    "invalid_token": "That code is not right. Codes change every 30 seconds: enter the one "
    "your app shows now (and check that your phone's clock is right).",
}


class CodeForm(OTPTokenForm):
    """django-otp's code form, in the desk's words."""

    otp_error_messages = CODE_MESSAGES

    def __init__(self, user: Any, request: HttpRequest | None = None, **kwargs: Any) -> None:
        super().__init__(user, request, **kwargs)
        choices = self.fields["otp_device"].choices
        self.fields["otp_device"].label = "Authenticator"
        if len(choices) == 2:  # the blank entry and one device: that one
            self.fields["otp_device"].initial = choices[1][0]
        self.fields["otp_token"].label = "Code"
        self.fields["otp_token"].widget.attrs.update(
            {"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        )


class NewDeviceForm(forms.Form):
    name = forms.CharField(
        max_length=64, initial="Authenticator app", help_text="To tell your devices apart."
    )
    code = forms.CharField(
        max_length=10,
        label="Code",
        help_text="The 6-digit code the app shows once it has the secret.",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


def _next(request: HttpRequest) -> str:
    """Where to go once the step is done: ``next`` if it stays on this site, else the admin."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    here = {"allowed_hosts": {request.get_host()}, "require_https": request.is_secure()}
    return target if url_has_allowed_host_and_scheme(target, **here) else reverse("admin:index")


def _redirect(name: str, next_url: str) -> HttpResponseRedirect:
    return HttpResponseRedirect(f"{reverse(name)}?{urlencode({'next': next_url})}")


def _page(request: HttpRequest, template: str, context: dict[str, Any], status: int = 200):
    return render(request, template, {**admin.site.each_context(request), **context}, status=status)


def _verified(request: HttpRequest, device: TOTPDevice, kind: str) -> None:
    """The session holds its second factor: a new key (one stolen before the code is worth
    nothing after), the device in the session, the step on record."""
    request.session.cycle_key()
    django_otp.login(request, device)
    login_event_record(kind=kind, request=request, user=request.user)


@login_required
def verify(request: HttpRequest) -> HttpResponse:
    next_url = _next(request)
    step = second_factor_step(request.user)
    if step is SecondFactor.NOTHING:
        return HttpResponseRedirect(next_url)
    if step is SecondFactor.SETUP:
        return _redirect("accounts:two_factor", next_url)
    form = CodeForm(request.user, request, data=request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            _verified(request, form.get_user().otp_device, LoginEventKind.CODE_ACCEPTED)
            return HttpResponseRedirect(next_url)
        login_event_record(kind=LoginEventKind.CODE_REFUSED, request=request, user=request.user)
    return _page(
        request, "accounts/verify.html", {"form": form, "next": next_url, "title": "Your code"}
    )


@staff_member_required
def two_factor(request: HttpRequest) -> HttpResponse:
    next_url = _next(request)
    if second_factor_step(request.user) is SecondFactor.CODE:
        # Adding an authenticator needs the one already held: a password alone adds none.
        return _redirect("accounts:verify", request.get_full_path())
    pending = TOTPDevice.objects.filter(user=request.user, confirmed=False).order_by("pk").first()
    if pending is None:
        pending = TOTPDevice.objects.create(
            user=request.user, name="Authenticator app", confirmed=False
        )
    form = NewDeviceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            device = TOTPDevice.objects.select_for_update().get(pk=pending.pk)
            allowed, _ = device.verify_is_allowed()
            confirmed = allowed and device.verify_token(form.cleaned_data["code"])
            if confirmed:
                device.name, device.confirmed = form.cleaned_data["name"], True
                device.save(update_fields=["name", "confirmed"])
        if confirmed:
            _verified(request, device, LoginEventKind.DEVICE_ADDED)
            messages.success(request, f"“{device.name}” is set up; logins now ask for its code.")
            return HttpResponseRedirect(next_url)
        form.add_error(
            "code",
            CODE_MESSAGES["invalid_token"] if allowed else "Too many wrong codes: wait a little.",
        )
    secret = base64.b32encode(pending.bin_key).decode()
    return _page(
        request,
        "accounts/two_factor.html",
        {
            "form": form,
            "next": next_url,
            "title": "Two-factor authentication",
            "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
            "otpauth_uri": pending.config_url,
            "devices": TOTPDevice.objects.filter(user=request.user, confirmed=True),
            "required": settings.REQUIRE_2FA_FOR_EDITORS,
        },
    )


def locked_out(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: Any = None
) -> HttpResponse:
    """The login page's answer once django-axes has locked the login: 429, in plain words."""
    cooloff = settings.AXES_COOLOFF_TIME
    return _page(
        request,
        "accounts/locked_out.html",
        {
            "title": "Login locked",
            "failure_limit": settings.AXES_FAILURE_LIMIT,
            "cooloff_minutes": int(cooloff.total_seconds() // 60) if cooloff else None,
        },
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )

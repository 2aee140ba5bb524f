"""Sessions that still owe a second factor reach only the pages that take it."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from config.accounts.services import SecondFactor, second_factor_step

STEP_PAGES = {SecondFactor.CODE: "accounts:verify", SecondFactor.SETUP: "accounts:two_factor"}


class SecondFactorMiddleware:
    """While a session owes a code or an authenticator (``second_factor_step``), an admin page
    redirects to the step it owes; the step pages and the logout stay open; anything else (the
    browsable API) sees nobody logged in. After django-otp's ``OTPMiddleware``."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        step = second_factor_step(request.user)
        if step is SecondFactor.NOTHING:
            return self.get_response(request)
        path = request.path_info
        if path in {reverse(name) for name in (*STEP_PAGES.values(), "admin:logout")}:
            return self.get_response(request)
        if path.startswith(reverse("admin:index")):
            return redirect_to_login(request.get_full_path(), reverse(STEP_PAGES[step]))
        request.user = AnonymousUser()
        return self.get_response(request)

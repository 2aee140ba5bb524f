"""The login record in the admin (read-only, for administrators) and API tokens."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from claims.admin.base import ReadOnlyAdminMixin
from config.accounts.models import ApiToken, LoginEvent
from config.accounts.tokens import (
    api_token_create,
    api_token_lifetime,
    api_token_revoke,
    api_tokens_visible,
    may_manage_tokens_of,
)


@admin.register(LoginEvent)
class LoginEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):  # an audit record
    list_display = ["created_at", "kind", "username", "user", "ip", "user_agent", "new_device"]
    list_filter = ["kind", "new_device", "created_at"]
    search_fields = ["username", "ip", "user_agent"]
    list_select_related = ["user"]
    date_hierarchy = "created_at"


class ApiTokenAddForm(forms.ModelForm):
    expires_in_days = forms.IntegerField(
        required=False, min_value=1, help_text="Empty: the desk's default (API_TOKEN_DAYS)."
    )

    actor: Any = None  # the person making the token (set by ApiTokenAdmin.get_form)

    class Meta:
        model = ApiToken
        fields = ["user", "name"]

    def clean_expires_in_days(self) -> int | None:
        days = self.cleaned_data.get("expires_in_days")
        try:
            api_token_lifetime(self.actor, days)  # the service's limit, shown on the field
        except ValidationError as error:
            raise ValidationError(error.message_dict["expires_in_days"]) from None
        return days


ADD_FIELDS = ["user", "name", "expires_in_days"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """API tokens: a person sees, makes and revokes (deletes) their own here; an administrator
    everyone's. Made through config.accounts.tokens, like the API's; the key is shown once."""

    list_display = ["name", "user", "token_key", "created", "expiry"]
    list_filter = ["created", "expiry"]
    search_fields = ["name", "token_key", "user__username"]
    list_select_related = ["user"]
    readonly_fields = ["user", "name", "token_key", "created", "expiry"]
    fields = readonly_fields

    def get_queryset(self, request: HttpRequest):
        return api_tokens_visible(request.user)

    def get_form(self, request: HttpRequest, obj: ApiToken | None = None, **kwargs: Any):
        if obj is not None:
            return super().get_form(request, obj, **kwargs)
        kwargs |= {"form": ApiTokenAddForm, "fields": ADD_FIELDS}
        form = super().get_form(request, obj, **kwargs)
        form.actor = request.user
        return form

    def get_fields(self, request: HttpRequest, obj: ApiToken | None = None):
        return self.fields if obj is not None else ADD_FIELDS

    def get_readonly_fields(self, request: HttpRequest, obj: ApiToken | None = None):
        return self.readonly_fields if obj is not None else []

    def get_changeform_initial_data(self, request: HttpRequest) -> dict[str, Any]:
        return {"user": request.user.pk}

    def formfield_for_foreignkey(self, db_field, request: HttpRequest, **kwargs: Any):
        if db_field.name == "user":
            people = get_user_model().objects.filter(is_active=True)
            if not request.user.is_superuser:
                people = people.filter(pk=request.user.pk)
            kwargs["queryset"] = people
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.is_active and request.user.is_staff

    has_add_permission = has_module_permission

    def has_view_permission(self, request: HttpRequest, obj: ApiToken | None = None) -> bool:
        return self.has_module_permission(request) and (
            obj is None or may_manage_tokens_of(request.user, obj.user)
        )

    def has_change_permission(self, request: HttpRequest, obj: ApiToken | None = None) -> bool:
        return False  # a token is made and revoked, never edited

    def has_delete_permission(self, request: HttpRequest, obj: ApiToken | None = None) -> bool:
        return self.has_view_permission(request, obj)

    def save_model(self, request: HttpRequest, obj: ApiToken, form: Any, change: bool) -> None:
        token, key = api_token_create(
            actor=request.user,
            owner=form.cleaned_data["user"],
            name=form.cleaned_data["name"],
            days=form.cleaned_data.get("expires_in_days"),
            request=request,
        )
        for field in ("digest", "token_key", "created", "expiry"):
            setattr(obj, field, getattr(token, field))
        self.message_user(
            request,
            f"The key of “{token.name}” is {key} — copy it now: it is kept only hashed and will "
            "not be shown again.",
            messages.WARNING,
        )

    def delete_model(self, request: HttpRequest, obj: ApiToken) -> None:
        api_token_revoke(actor=request.user, token=obj, request=request)

    def delete_queryset(self, request: HttpRequest, queryset) -> None:
        for token in queryset.select_related("user"):
            api_token_revoke(actor=request.user, token=token, request=request)

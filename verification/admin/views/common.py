"""What the admin's own pages share: their URLs, the claim of an editor's page, binding a form
only on POST, a claim's appearances, the page's admin context, and a quote shown in the
sentences around it."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db.models import F, Model, QuerySet, Value
from django.db.models.functions import Greatest, Substr
from django.http import Http404, HttpRequest
from django.template.response import TemplateResponse
from django.urls import URLPattern, path

from claims.extraction.sentences import split_sentences
from claims.models import Appearance, Claim
from claims.roles import is_editor

# Characters of the source read on each side of a quote: enough for a sentence or two of
# news prose, without loading a whole article per appearance.
CONTEXT_WINDOW = 600


def page_url(
    model_admin: admin.ModelAdmin, route: str, view: Callable[..., Any], name: str
) -> URLPattern:
    """The URL of one of ``model_admin``'s own pages, behind the admin's login checks."""
    return path(route, model_admin.admin_site.admin_view(view), name=name)


def editor_page_claim(
    model_admin: admin.ModelAdmin, request: HttpRequest, object_id: str, *, to: str
) -> Claim:
    """The claim of a page only editors may use: 403 for anyone else ("Only an editor may
    ``to``."), 404 when the admin's queryset does not hold the claim."""
    if not is_editor(request.user):
        raise PermissionDenied(f"Only an editor may {to}.")
    found = model_admin.get_object(request, unquote(object_id))
    if found is None:
        raise Http404("No such claim.")
    return found


def posted(request: HttpRequest) -> Any:
    """The data to bind a form to: an empty POST must still bind it, so that its required
    fields report errors; a GET leaves it unbound."""
    return request.POST if request.method == "POST" else None


def appearances_of(claim: Claim) -> list[Appearance]:
    """A claim's appearances with source and speaker, each with its quote in context
    (``.context``, see :func:`in_context`), in one query."""
    return in_context(with_context_window(claim.appearances.select_related("source", "speaker")))


def in_context(appearances: Iterable[Appearance]) -> list[Appearance]:
    """Give each appearance (loaded by :func:`with_context_window`) its quote in context, as
    ``.context``, for the ``admin/claim_summary.html`` and ``_quote.html`` templates."""
    appearances = list(appearances)
    for appearance in appearances:
        appearance.context = quote_in_context(appearance)
    return appearances


def with_context_window(appearances: QuerySet[Appearance]) -> QuerySet[Appearance]:
    """Annotate each appearance with the source's text around its quote, cut in the database
    (SQL ``substr`` counts characters, as Python does, on PostgreSQL and SQLite)."""
    offset = Greatest(F("start") - Value(CONTEXT_WINDOW), Value(0))
    return appearances.defer("source__text").annotate(
        context_offset=offset,
        context_window=Substr(
            "source__text", offset + Value(1), F("end") - offset + Value(CONTEXT_WINDOW)
        ),
    )


@dataclass(frozen=True)
class QuoteInContext:
    """A quote with the sentences before and after it, for reading it as it was written."""

    before: str
    quote: str
    after: str
    cut_before: bool  # the text goes on before ``before`` (show an ellipsis)
    cut_after: bool


def quote_in_context(appearance: Appearance, *, sentences: int = 1) -> QuoteInContext:
    """``appearance``'s quote in the sentence that holds it, with up to ``sentences`` whole
    sentences of the source on each side, read from the window :func:`with_context_window`
    annotated.

    When the stored span no longer matches the text (the source's text was replaced), the quote
    is shown alone rather than beside the wrong words.
    """
    window: str = getattr(appearance, "context_window", "") or ""
    offset: int = getattr(appearance, "context_offset", 0) or 0
    start, end = appearance.start - offset, appearance.end - offset
    if window[start:end] != appearance.quote:
        return QuoteInContext("", appearance.quote, "", False, False)
    spans = split_sentences(window)
    from_ = min((s.start for s in spans if s.start <= start < s.end), default=start)
    to = max((s.end for s in spans if s.start < end <= s.end), default=end)
    before = [s for s in spans if s.end <= from_]
    after = [s for s in spans if s.start >= to]
    # The window's edges may cut a sentence in two: never show a cut sentence as whole.
    if offset > 0:
        before = before[1:]
    window_was_cut = len(window) >= appearance.end - offset + CONTEXT_WINDOW
    if window_was_cut:
        after = after[:-1]
    if sentences and before:
        from_ = before[-sentences:][0].start
    if sentences and after:
        to = after[:sentences][-1].end
    return QuoteInContext(
        before=window[from_:start],
        quote=appearance.quote,
        after=window[end:to],
        cut_before=offset > 0 or bool(window[:from_].strip()),
        cut_after=window_was_cut or bool(window[to:].strip()),
    )


def render_page(
    model_admin: admin.ModelAdmin,
    request: HttpRequest,
    *,
    template: str,
    title: str,
    original: Model | None = None,
    form: forms.Form | None = None,
    **extra: Any,
) -> TemplateResponse:
    """A page of ``model_admin``'s with the admin's own context (site header, breadcrumbs'
    names, the logged-in user's links)."""
    opts = model_admin.model._meta
    media = model_admin.media + form.media if form is not None else model_admin.media
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": opts,
        "app_label": opts.app_label,
        "original": original,
        "title": title,
        "form": form,
        "media": media,
        **extra,
    }
    request.current_app = model_admin.admin_site.name
    return TemplateResponse(request, template, context)

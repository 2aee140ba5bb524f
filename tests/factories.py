"""One factory per model. Claims are born "new"; tests move them through the services."""

from __future__ import annotations

from typing import Any

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from claims.models import (
    Appearance,
    Attribution,
    Claim,
    ExternalReview,
    ExternalReviewOrigin,
    Quantity,
    QuantityKind,
    Source,
    Speaker,
    SpeakerKind,
    Topic,
    content_hash_of,
)
from claims.roles import Role
from verification.models import (
    Assignment,
    AssignmentState,
    Evidence,
    Review,
    ReviewerProfile,
    SourceReliability,
    Stance,
)


def _add_roles(user: object, create: bool, roles: list[str] | None) -> None:
    if create and roles:
        user.groups.add(*(Group.objects.get_or_create(name=role)[0] for role in roles))


class UserFactory(factory.django.DjangoModelFactory):
    """A user with password "pass"; ``UserFactory(roles=["editor"])`` puts them in groups."""

    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@desk.example")
    password = factory.django.Password("pass")
    roles = factory.PostGeneration(
        lambda user, create, extracted, **kw: _add_roles(user, create, extracted)
    )


class EditorFactory(UserFactory):
    username = factory.Sequence(lambda n: f"editor{n}")
    is_staff = True
    roles = factory.PostGeneration(
        lambda user, create, extracted, **kw: _add_roles(user, create, extracted or [Role.EDITOR])
    )


class ReviewerFactory(UserFactory):
    """A reviewer with a profile (capacity 3, available)."""

    username = factory.Sequence(lambda n: f"reviewer{n}")
    is_staff = True
    roles = factory.PostGeneration(
        lambda user, create, extracted, **kw: _add_roles(user, create, extracted or [Role.REVIEWER])
    )
    profile = factory.RelatedFactory(
        "tests.factories.ReviewerProfileFactory", factory_related_name="user"
    )


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Topic {n}")
    slug = factory.LazyAttribute(lambda t: t.name.lower().replace(" ", "-"))


class ReviewerProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReviewerProfile
        django_get_or_create = ("user",)

    user = factory.SubFactory(UserFactory)
    capacity = 3


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source

    title = factory.Sequence(lambda n: f"Source {n}")
    url = factory.Sequence(lambda n: f"https://news.example/story-{n}")
    publisher = "News Example"
    text = factory.Sequence(
        lambda n: f"Story {n}. Officials said the aid was worth 3.8 billion dollars a year."
    )
    content_hash = factory.LazyAttribute(lambda s: content_hash_of(s.text) if s.text else None)


class SpeakerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Speaker
        django_get_or_create = ("name", "role")

    name = factory.Sequence(lambda n: f"Speaker {n}")
    kind = SpeakerKind.PERSON
    role = "spokesperson"


class ClaimFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Claim

    statement = factory.Sequence(lambda n: f"Claim number {n} states a checkable figure.")
    submitted_by = factory.SubFactory(UserFactory)


class QuantityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Quantity

    claim = factory.SubFactory(ClaimFactory)
    kind = QuantityKind.MONEY
    value = 3800000000
    unit = "USD"
    period = "year"


class AppearanceFactory(factory.django.DjangoModelFactory):
    """An appearance quoting the first sentence-ish of its source's text."""

    class Meta:
        model = Appearance

    claim = factory.SubFactory(ClaimFactory)
    source = factory.SubFactory(SourceFactory)
    start = 0
    quote = factory.LazyAttribute(lambda a: a.source.text[a.start : a.start + 20])
    end = factory.LazyAttribute(lambda a: a.start + len(a.quote))
    speaker = factory.SubFactory(SpeakerFactory)
    attribution = Attribution.SAID


def appearance_quoting(claim: Claim, source: Source, quote: str) -> Appearance:
    """``claim``'s appearance in ``source`` as reported: the first place ``quote`` stands."""
    start = source.text.index(quote)
    return Appearance.objects.create(
        claim=claim,
        source=source,
        quote=quote,
        start=start,
        end=start + len(quote),
        attribution=Attribution.REPORTED,
    )


class EvidenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Evidence

    claim = factory.SubFactory(ClaimFactory)
    title = factory.Sequence(lambda n: f"Evidence {n}")
    url = factory.Sequence(lambda n: f"https://records.example/doc-{n}")
    publisher = "Records Office"
    stance = Stance.SUPPORTS
    source_reliability = SourceReliability.B
    credibility = 2
    origin_key = factory.LazyAttribute(
        lambda e: e.url.split("://", 1)[-1] if e.url else e.document_ref
    )


def api_key(user: Any, *, name: str = "Test script", days: int | None = None) -> str:
    """A new API token for ``user`` (made as ``manage.py api_token_create`` makes one); its key."""
    from config.accounts.tokens import api_token_create

    return api_token_create(actor=None, owner=user, name=name, days=days)[1]


class AssignmentFactory(factory.django.DjangoModelFactory):
    """A submitted assignment, written directly (tests of figures, not of the workflow)."""

    class Meta:
        model = Assignment

    claim = factory.SubFactory(ClaimFactory)
    reviewer = factory.SubFactory(UserFactory)
    review_round = factory.LazyAttribute(lambda a: a.claim.review_round)
    state = AssignmentState.SUBMITTED
    due_at = factory.LazyFunction(timezone.now)


class ReviewFactory(factory.django.DjangoModelFactory):
    """A review with its own submitted assignment, written directly like ``AssignmentFactory``."""

    class Meta:
        model = Review

    claim = factory.SubFactory(ClaimFactory)
    reviewer = factory.SubFactory(UserFactory)
    assignment = factory.LazyAttribute(
        lambda r: AssignmentFactory(claim=r.claim, reviewer=r.reviewer, review_round=r.review_round)
    )
    review_round = factory.LazyAttribute(lambda r: r.claim.review_round)
    rating = "true"
    confidence = "moderate"
    rationale = "On the record."


class ExternalReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExternalReview

    claim = factory.SubFactory(ClaimFactory)
    publisher = factory.Sequence(lambda n: f"Checkers {n}")
    rating_text = factory.LazyAttribute(lambda e: e.rating.replace("_", " "))
    rating = "false"
    origin = ExternalReviewOrigin.CLAIMREVIEW

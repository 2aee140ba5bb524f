"""``DeskJSONRenderer`` encodes with orjson and must write exactly the bytes DRF's own
``JSONRenderer`` writes, or fail as it does: for the API's real answers, and for every kind of
value DRF's encoder knows, the ones orjson writes its own way (floats, datetimes, subclasses),
and the ones it refuses."""

from __future__ import annotations

import datetime as dt
import enum
import ipaddress
import math
import random
import struct
import uuid
from collections import OrderedDict, namedtuple
from decimal import Decimal

import pytest
from django.db import models
from django.utils.translation import gettext_lazy
from rest_framework import renderers
from rest_framework.utils.serializer_helpers import ReturnDict, ReturnList

from claims.models import Attribution, Topic
from claims.services import AppearanceData, QuantityData, claim_create
from config.api.renderers import DeskJSONRenderer
from tests import factories
from tests.api.conftest import client_for
from verification import services

DRF = renderers.JSONRenderer()
DESK = DeskJSONRenderer()


def assert_same(data: object, media_type: str | None = None, context: dict | None = None):
    assert DESK.render(data, media_type, context) == DRF.render(data, media_type, context)


class Text(str):
    def __str__(self) -> str:
        return "not what json writes"


class Number(int):
    def __repr__(self) -> str:
        return "not what json writes"


class Real(float):
    def __repr__(self) -> str:
        return "not what json writes"


class Backwards(list):
    def __iter__(self):
        return reversed(list.copy(self))


class Colour(models.TextChoices):
    RED = "red", "Red"


class Size(models.IntegerChoices):
    BIG = 3, "Big"


Pair = namedtuple("Pair", "left right")


def test_plain_values_nested_and_non_ascii_text_are_the_same():
    moved = OrderedDict(a=1, b=2, c=3)
    moved.move_to_end("a")
    assert_same(
        {
            "text": 'Les dépenses — « 3,5 % » 😀 Über \u2028 \u2029 \x00 \x1f \x7f " \\ / \n\t',
            "numbers": [0, -1, 2**63 - 1, -(2**63), 1.5, -0.0, 0.1, 1e15, 123456.789],
            "empty": [{}, [], "", None, True, False],
            "deep": [[[[{"a": [{"b": None}]}]]]],
            "ordered": moved,
            "returned": ReturnDict(
                {"results": ReturnList([{"id": 1}], serializer=None)}, serializer=None
            ),
            "subclasses": [Text("as stored"), Number(7), Real(2.5), Backwards([1, 2, 3])],
            "choices": [Colour.RED, Size.BIG],
            "tuples": [(1, "a"), Pair(1, 2)],
        }
    )


def test_what_drfs_encoder_converts_is_the_same():
    assert_same(
        {
            "aware": dt.datetime(2026, 11, 24, 19, 6, 12, 230991, tzinfo=dt.UTC),
            "whole second": dt.datetime(2026, 11, 24, 19, 6, 12, tzinfo=dt.UTC),
            "elsewhere": dt.datetime(
                2026, 1, 2, 3, 4, 5, 6, tzinfo=dt.timezone(dt.timedelta(hours=5, minutes=30))
            ),
            "naive": dt.datetime(2026, 1, 2, 3, 4, 5),
            "date": dt.date(2026, 2, 28),
            "time": dt.time(23, 59, 1, 500),
            "duration": dt.timedelta(days=1, seconds=1, microseconds=5),
            "decimals": [
                Decimal("3500000000.5"),
                Decimal("-0.000001"),
                Decimal("1E+20"),
                Decimal("2"),
            ],
            "uuid": uuid.UUID("12345678-1234-5678-1234-567812345678"),
            "address": ipaddress.ip_address("192.0.2.1"),
            "lazy": gettext_lazy("Invalid page."),
            "bytes": b"raw",
            "set": {1},
        }
    )


def test_a_generator_is_read_once_by_drfs_renderer():
    def squares():
        return {"squares": (n * n for n in range(4))}

    assert DESK.render(squares()) == DRF.render(squares()) == b'{"squares":[0,1,4,9]}'


@pytest.mark.django_db
def test_a_queryset_in_the_data_is_the_same():
    for name in ("b", "a"):
        Topic.objects.create(name=name, slug=name)
    assert_same({"topics": Topic.objects.order_by("slug").values("slug", "name")})


def _floats() -> list[float]:
    rng = random.Random(20261124)
    floats = [struct.unpack("d", struct.pack("Q", rng.getrandbits(64)))[0] for _ in range(4000)]
    for exponent in range(-324, 309):
        floats += [mantissa * 10.0**exponent for mantissa in (1.0, 1.5, 9.999999999999998)]
    floats += [rng.uniform(-1e-3, 1e-3) for _ in range(2000)]
    floats += [rng.uniform(1e15, 1e17) for _ in range(2000)]
    floats += [rng.random() for _ in range(2000)]
    return [value for value in floats if math.isfinite(value)]


def test_every_kind_of_float_is_written_as_python_writes_it():
    for value in _floats():
        for data in ({"x": value}, [value], value, {"x": -value}):
            assert_same(data)


def test_what_orjson_refuses_is_written_by_drfs_renderer():
    assert_same({"big": 2**64, "small": -(2**70)})
    assert_same({1: "a", 2.5: "b", None: "c", False: "d"})
    assert_same({Text("key"): 1})
    nested: list = []
    for _ in range(300):
        nested = [nested]
    assert_same(nested)


@pytest.mark.parametrize(
    "value, error",
    [
        ({"x": dt.time(1, 2, tzinfo=dt.UTC)}, ValueError),
        ({"x": object()}, TypeError),
        ({"x": "\ud800"}, UnicodeEncodeError),
    ],
)
def test_what_drfs_renderer_refuses_is_refused_alike(value, error):
    with pytest.raises(error):
        DRF.render(value)
    with pytest.raises(error):
        DESK.render(value)


def test_what_drfs_renderer_refuses_but_orjson_writes_is_written():
    # The differences, documented in config/api/renderers.py: a float that is not finite
    # (DRF's strict renderer refuses it) is null, a plain enum (DRF's encoder does not know
    # it) its value.
    for value in (math.nan, math.inf, -math.inf):
        with pytest.raises(ValueError):
            DRF.render({"x": value})
        assert DESK.render({"x": value}) == b'{"x":null}'
    plain = enum.Enum("Plain", "A").A
    with pytest.raises(TypeError):
        DRF.render({"x": plain})
    assert DESK.render({"x": plain}) == b'{"x":1}'


def test_pretty_printed_and_empty_answers_are_drfs():
    data = {"a": [1, {"b": "é"}]}
    assert_same(data, "application/json; indent=4")
    assert_same(data, None, {"indent": 2})
    assert DESK.render(data, "application/json; indent=4") != DESK.render(data)
    assert_same(None)


@pytest.fixture
def desk(editor, reviewer):
    """A claim in review with non-ASCII text, a tiny checkworthiness (a float Python writes
    with an exponent), figures and appearances; its assignment, evidence and events."""
    source = factories.SourceFactory(created_by=editor, text="L’INSEE dit « 3,5 % » — 😀 fin.")
    claim = claim_create(
        actor=editor,
        statement="Les dépenses\u2028ont augmenté de 3,5 % selon l’INSEE — “vraiment” 😀",
        priority="normal",
        topics=[factories.TopicFactory(name="Économie")],
        checkworthiness=0.00001,
        quantities=[QuantityData(value=Decimal("-0.000001"), unit="€", text="3,5 %")],
        appearances=[AppearanceData(source, "L’INSEE", 0, None, Attribution.REPORTED, "Über")],
    )
    claim_create(actor=editor, statement="Une autre\u2029— « 5 % » 😀", checkworthiness=0.5)
    claim = services.claim_triage(actor=editor, claim=claim)
    services.assignment_create(actor=editor, claim=claim, reviewer=reviewer)
    return claim


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/claims/?page_size=50",
        "/api/v1/claims/?page_size=1",
        "/api/v1/claims/?cursor=&page_size=50",
        "/api/v1/sources/",
        "/api/v1/speakers/",
        "/api/v1/topics/",
        "/api/v1/assignments/",
        "/api/v1/events/",
    ],
)
def test_the_apis_answers_are_the_same(desk, editor, url):
    response = client_for(editor).get(url, HTTP_CACHE_CONTROL="no-cache")
    assert response.status_code == 200

    assert_same(response.data)


@pytest.mark.django_db
def test_a_page_of_claims_is_encoded_by_orjson_not_handed_back(desk, editor, monkeypatch):
    # The new claim: no float that orjson writes otherwise (the other has 1e-05).
    data = client_for(editor).get("/api/v1/claims/?state=new").data
    assert len(data["results"]) == 1
    expected = DRF.render(data)

    def refuse(*args, **kwargs):
        raise AssertionError("DRF's renderer was used")

    monkeypatch.setattr(renderers.JSONRenderer, "render", refuse)
    assert DESK.render(data) == expected

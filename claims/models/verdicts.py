"""The desk's verdict scale and how sure a reviewer is of a verdict: the choices claims and
reviews share."""

from __future__ import annotations

from django.db import models


class Rating(models.TextChoices):
    """The verdict scale. The first five are ordinal (see ``ordinal``); unverifiable is not."""

    TRUE = "true", "True"
    MOSTLY_TRUE = "mostly_true", "Mostly true"
    MIXED = "mixed", "Mixed"
    MOSTLY_FALSE = "mostly_false", "Mostly false"
    FALSE = "false", "False"
    UNVERIFIABLE = "unverifiable", "Unverifiable"

    @property
    def ordinal(self) -> int | None:
        """5 for true down to 1 for false (the ClaimReview 1–5 scale); None for unverifiable."""
        return RATING_ORDINAL.get(self)

    @property
    def is_firm(self) -> bool:
        return self != Rating.UNVERIFIABLE


RATING_ORDINAL: dict[str, int] = {
    Rating.TRUE: 5,
    Rating.MOSTLY_TRUE: 4,
    Rating.MIXED: 3,
    Rating.MOSTLY_FALSE: 2,
    Rating.FALSE: 1,
}


class Confidence(models.TextChoices):
    """How sure a reviewer is that their rating is right, each level with a probability band."""

    LOW = "low", "Low (55–70%)"
    MODERATE = "moderate", "Moderate (70–90%)"
    HIGH = "high", "High (90–99%)"

    @property
    def band(self) -> tuple[float, float]:
        return CONFIDENCE_BANDS[self]

    @property
    def rank(self) -> int:
        return list(Confidence).index(self)


CONFIDENCE_BANDS: dict[str, tuple[float, float]] = {
    Confidence.LOW: (0.55, 0.70),
    Confidence.MODERATE: (0.70, 0.90),
    Confidence.HIGH: (0.90, 0.99),
}

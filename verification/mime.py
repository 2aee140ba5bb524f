"""A stored email's bytes on the wire, written directly for the messages the desk sends.

Django builds a message through the ``email`` package (MIME objects, then a generator that
folds every header of every part again), which costs more than the SMTP conversation that
sends it. The desk's messages all have one shape: subject, sender, one recipient, date,
Message-ID and key headers, and a ``multipart/alternative`` body of a plain-text and an HTML
part in UTF-8. :func:`message_bytes` writes that shape byte for byte as Django writes it
(``tests/test_email_mime.py`` compares the two over many messages), and returns None for
anything outside what it was checked on (a header that Django would fold or encode, a line
too long for SMTP), which the caller then builds through Django.
"""

from __future__ import annotations

import functools
import random
import re
import sys
from email.utils import formatdate

from django.conf import settings
from django.core.mail.message import sanitize_address

# The longest header line written unfolded (RFC 5322's 78), and the longest body line, in
# bytes, Django sends without quoted-printable (RFC 5322's 998).
HEADER_LINE = 78
BODY_LINE = 998
# Printable ASCII, words separated by single spaces: Django and the ``email`` package write
# such a value unchanged when its line fits.
_PLAIN = re.compile(r"[!-~]+( [!-~]+)*")
# One word with no character the header folder may break at: it moves whole to a
# continuation line when the first one is too short for it.
_TOKEN = re.compile(r"[!-+\--:<-~]+")
_NEWLINE = re.compile(r"\r\n|\r|\n")
# The ``email`` package's boundary: fifteen "=", a random number of as many digits as the
# largest, "==".
_BOUNDARY_DIGITS = len(repr(sys.maxsize - 1))


def _plain_header(name: str, value: str) -> str | None:
    line = f"{name}: {value}"
    if len(line) <= HEADER_LINE and _PLAIN.fullmatch(value):
        return line
    return None


def _token_header(name: str, value: str) -> str | None:
    if not _TOKEN.fullmatch(value):
        return None
    if len(name) + 2 + len(value) <= HEADER_LINE:
        return f"{name}: {value}"
    if 1 + len(value) <= HEADER_LINE:
        return f"{name}: \r\n {value}"
    return None


def _part(subtype: str, body: str) -> str | None:
    """One text part: its headers, a blank line and the body with CRLF line ends."""
    if not body:
        return None
    encoded = body.encode()
    if any(len(line) > BODY_LINE for line in encoded.splitlines()):
        return None  # Django would switch this part to quoted-printable
    transfer = "7bit" if len(encoded) == len(body) else "8bit"
    return (
        f'Content-Type: text/{subtype}; charset="utf-8"\r\n'
        "MIME-Version: 1.0\r\n"
        f"Content-Transfer-Encoding: {transfer}\r\n"
        "\r\n" + _NEWLINE.sub("\r\n", body)
    )


def _boundary(parts: list[str]) -> str:
    """A boundary as the ``email`` package makes one, found in neither part (it checks with
    a regular expression compiled for each boundary, which costs more than the rest of this
    module's work for a message)."""
    while True:
        boundary = f"{'=' * 15}{random.randrange(sys.maxsize):0{_BOUNDARY_DIGITS}d}=="
        if not any(f"--{boundary}" in part for part in parts):
            return boundary


@functools.cache
def envelope_sender(from_email: str) -> str:
    """The SMTP envelope's sender, as Django's SMTP backend gives it."""
    return sanitize_address(from_email, settings.DEFAULT_CHARSET)


def envelope_recipient(address: str) -> str | None:
    """The envelope's recipient for a plain address (unchanged by Django), else None."""
    return address if _TOKEN.fullmatch(address) and "@" in address else None


def message_bytes(
    *,
    subject: str,
    from_email: str,
    to: str,
    message_id: str,
    key: str,
    body_text: str,
    body_html: str,
    date: str | None = None,
    boundary: str | None = None,
) -> bytes | None:
    """The message Django's ``EmailMultiAlternatives`` sends for these values (text body,
    HTML alternative, ``Message-ID`` and ``X-Claimdesk-Key`` headers), or None when it falls
    outside the shape this writes. ``date`` and ``boundary`` as Django makes them when not
    given (the tests pass Django's own)."""
    headers = [
        _plain_header("Subject", subject) if len(subject) <= HEADER_LINE else None,
        _plain_header("From", from_email),
        _token_header("To", to),
        _plain_header("Date", date or formatdate(localtime=settings.EMAIL_USE_LOCALTIME)),
        _token_header("Message-ID", message_id),
        _token_header("X-Claimdesk-Key", key),
    ]
    parts = [_part("plain", body_text), _part("html", body_html)]
    if None in headers or None in parts:
        return None
    if boundary is None:
        boundary = _boundary(parts)  # type: ignore[arg-type]
    elif any(f"--{boundary}" in part for part in parts):  # type: ignore[operator]
        return None
    text = (
        "Content-Type: multipart/alternative;\r\n"
        f' boundary="{boundary}"\r\n'
        "MIME-Version: 1.0\r\n"
        + "".join(f"{header}\r\n" for header in headers)
        + f"\r\n--{boundary}\r\n"
        + f"\r\n--{boundary}\r\n".join(parts)  # type: ignore[arg-type]
        + f"\r\n--{boundary}--\r\n"
    )
    return text.encode()

"""A local mailbox for laptops: every outgoing message lands in a Maildir under ``var/mail``.

Django's file backend writes a log of raw streams; a Maildir instead keeps one file per message
that ordinary mail readers open (``mutt -f var/mail``) and that ``mailbox.Maildir`` reads back.
"""

from __future__ import annotations

import mailbox
from collections.abc import Sequence
from email import message_from_bytes

from django.conf import settings
from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend


class MaildirBackend(BaseEmailBackend):
    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        if not email_messages:
            return 0
        box = mailbox.Maildir(settings.MAILDIR_PATH, create=True)
        sent = 0
        for message in email_messages:
            if not message.recipients():
                continue
            box.add(mailbox.MaildirMessage(message_from_bytes(message.message().as_bytes())))
            sent += 1
        return sent

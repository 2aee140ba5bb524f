"""A local mailbox for laptops: every message lands in a Maildir under ``var/mail``, one file
per message that mail readers open (``mutt -f var/mail``), unlike Django's file backend's log."""

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
        addressed = [message for message in email_messages if message.recipients()]
        for message in addressed:
            box.add(mailbox.MaildirMessage(message_from_bytes(message.message().as_bytes())))
        return len(addressed)

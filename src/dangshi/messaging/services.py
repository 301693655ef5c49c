"""Queue a message for the worker, and the worker's send (retried with back-off)."""

from datetime import timedelta

from django.db import transaction
from django.tasks import task
from django.utils import timezone

from dangshi.audit.services import log_event
from dangshi.core.crypto import decrypt, digest, encrypt, mask_phone
from dangshi.messaging.backends import SendFailed, backend
from dangshi.messaging.models import Channel, OutboundMessage, Status

MAX_ATTEMPTS = 5


def sms_queue(*, phone: str, text: str, purpose: str, org_path: str = "") -> OutboundMessage:
    """Record an SMS and have the worker send it once the caller's transaction commits."""
    sender = backend()
    message = OutboundMessage.objects.create(
        channel=Channel.SMS, purpose=purpose, to_masked=mask_phone(phone), to_digest=digest(phone),
        to_sealed=encrypt(phone), body=text if sender.keeps_text else "", backend=sender.name, org_path=org_path)
    transaction.on_commit(lambda: message_deliver.enqueue(message.pk))
    return message


@task
def message_deliver(message_id: int) -> str:
    """Send one queued message; a failure is recorded with the provider's words and retried."""
    message = OutboundMessage.objects.filter(pk=message_id, status=Status.QUEUED).first()
    if message is None:
        return "gone"
    text = message.body
    try:
        sent = backend().send_sms(phone=decrypt(message.to_sealed), text=text)
    except SendFailed as exc:
        attempts = message.attempts + 1
        final = attempts >= MAX_ATTEMPTS
        OutboundMessage.objects.filter(pk=message.pk).update(
            attempts=attempts, error=str(exc)[:300], status=Status.FAILED if final else Status.QUEUED,
            to_sealed="" if final else message.to_sealed)
        if not final:
            message_deliver.using(run_after=timezone.now() + timedelta(seconds=30 * 2**attempts)).enqueue(
                message.pk)
        return "failed"
    OutboundMessage.objects.filter(pk=message.pk).update(
        status=Status.SENT, sent_at=timezone.now(), attempts=message.attempts + 1, provider_ref=sent.provider_ref,
        to_sealed="")
    log_event("messaging.message.sent", actor=None, obj=message, data={"purpose": message.purpose})
    return "sent"

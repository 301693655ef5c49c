"""Public pages: the certificate verification page (anyone holding a certificate's QR code)."""

from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from dangshi.quiz import selectors


@login_not_required
@require_GET
def verify(request, cert_serial: str):
    """Public: confirms a certificate, showing nothing personal beyond name and org."""
    cert = selectors.certificate_by_serial(cert_serial)
    return render(request, "quiz/verify.html", {"cert": cert, "serial": cert_serial}, status=200 if cert else 404)

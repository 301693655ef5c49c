"""User uploads served from MEDIA_ROOT so that no upload ever runs as a page of the site:
`X-Content-Type-Options: nosniff`, a `Content-Disposition` (inline only for the photo formats
`core.uploads` accepts, attachment for everything else) and a CSP that sandboxes the response.
Deployments that let nginx serve /media/ set the same headers (docs/deploy.md)."""

import mimetypes
from pathlib import PurePosixPath

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET
from django.views.static import serve

INLINE_TYPES = {"image/jpeg", "image/png", "image/gif", "image/webp"}
SANDBOX = "default-src 'none'; img-src 'self'; media-src 'self'; sandbox"


@login_not_required  # photos on the public boards come from here; names carry no personal data
@require_GET
def serve_upload(request, path: str):
    response = serve(request, path, document_root=settings.MEDIA_ROOT)
    guessed = mimetypes.guess_type(path)[0] or "application/octet-stream"
    if guessed not in INLINE_TYPES and not guessed.startswith("audio/"):
        response["Content-Type"] = "application/octet-stream"
    inline = guessed in INLINE_TYPES or guessed.startswith("audio/")
    response["Content-Disposition"] = content_disposition_header(as_attachment=not inline,
                                                                 filename=PurePosixPath(path).name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = SANDBOX
    return response

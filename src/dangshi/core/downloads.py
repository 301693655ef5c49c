"""File downloads from console views (.xlsx exports and error reports, PDFs, ZIPs)."""

from django.http import HttpResponse
from django.utils.http import content_disposition_header

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def attachment(data: bytes, filename: str, content_type: str = XLSX) -> HttpResponse:
    """A download. The filename is encoded per RFC 6266/5987, so Chinese names arrive intact."""
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    return response

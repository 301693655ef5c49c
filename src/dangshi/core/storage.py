"""Uploads in S3-compatible object storage (django-storages), where S3_BUCKET is set.

Local disk (MEDIA_ROOT) stays the default. With S3, every app server reads and writes the
same bucket, so a file uploaded through one is served by any other.

- Public files (names under S3_PUBLIC_PREFIXES, e.g. the red-site photos of the public map)
  are uploaded public-read and linked by their plain URL.
- Every other file is private: `file_download()` is what a scope-checked view returns for it:
  a redirect to a signed URL that expires after S3_SIGNED_URL_SECONDS (on local disk, the file
  itself, as before).
"""

from django.conf import settings
from django.http import FileResponse, HttpResponse, HttpResponseRedirect
from django.utils.http import content_disposition_header
from storages.backends.s3 import S3Storage
from storages.utils import clean_name


class MediaStorage(S3Storage):
    def is_public(self, name: str) -> bool:
        return any(clean_name(name).startswith(prefix) for prefix in settings.S3_PUBLIC_PREFIXES)

    def get_object_parameters(self, name):
        params = super().get_object_parameters(name)
        if self.is_public(name):
            params["ACL"] = "public-read"
        return params

    def url(self, name, parameters=None, expire=None, http_method=None):
        if not self.is_public(name):
            return super().url(name, parameters, expire, http_method)
        key = self._normalize_name(clean_name(name))
        return self.unsigned_connection.meta.client.generate_presigned_url(
            "get_object", Params={"Bucket": self.bucket.name, "Key": key})


def file_download(file, *, filename: str | None = None, content_type: str | None = None,
                  as_attachment: bool = True) -> HttpResponse:
    """The response for a private file the view has already checked the user may see."""
    if isinstance(file.storage, S3Storage):
        params = {}
        if filename:
            params["ResponseContentDisposition"] = content_disposition_header(as_attachment, filename)
        if content_type:
            params["ResponseContentType"] = content_type
        return HttpResponseRedirect(file.storage.url(file.name, parameters=params,
                                                     expire=settings.S3_SIGNED_URL_SECONDS))
    return FileResponse(file.open("rb"), as_attachment=as_attachment, filename=filename, content_type=content_type)

from tests.sweep import Param

PUBLIC = {
    "core:healthz",
    "core:metrics",
    "accounts:login",
    "accounts:set_language",
    "api:openapi-json",
    "api:openapi-view",
    "api:token_create",
    "media",  # uploads: public photos of the boards; served as attachments with nosniff (core.media)
}


def _import_job(w):
    """A roster import job uploaded by admin_a: only its uploader sees it."""
    def make():
        from django.core.files.base import ContentFile

        from dangshi.core.models import ImportJob

        job = ImportJob(kind="roster", user=w.users["admin_a"], filename="sweep.xlsx")
        job.file.save("sweep.xlsx", ContentFile(b"PK sweep"), save=False)
        job.save()
        return job

    return w.once("core-import-job", make).pk


ROUTES = {
    "media": {"path": Param(lambda w: "nosuch/file.png", owner=None)},
    "core:import_job": {"job_id": Param(_import_job)},
    "core:import_job_progress": {"job_id": Param(_import_job)},
}

"""The roster upload as an import job in the worker (core/jobs.py), registered in apps.ready."""

from django.utils.translation import gettext as _

from dangshi.core import progress
from dangshi.core.jobs import ImportKind, register
from dangshi.orgs.roster import roster_import
from dangshi.orgs.scope import scope_for


def _roster(*, job, file, user) -> str:
    count = roster_import(file=file, scope=scope_for(user), actor=user, filename=job.filename)
    progress.report(written=count)
    return _("导入成功:新增党员 %(n)d 名。") % {"n": count}


def register_import_jobs() -> None:
    register("roster", ImportKind(run=_roster, page="orgs:console_import", report="orgs:console_import_report",
                                  done="orgs:console_members"))

from tests.sweep import Param


def _briefing(w):
    def make():
        from django.core.files.base import ContentFile

        from dangshi.reports.models import Briefing

        b = Briefing(org=w.branch_a, kind="week", period="2021-W23", start="2021-06-07", end="2021-06-13", number=1)
        b.file.save("sweep-BRA-2021-W23.docx", ContentFile(b"PK sweep"), save=False)
        b.save()
        return b

    return w.once("rp-briefing", make).pk


PARAMS = {"briefing_id": Param(_briefing)}

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


def _issued_briefing(w):
    """支部A's issued briefing with its archived PDF."""
    def make():
        from django.core.files.base import ContentFile

        from dangshi.reports.models import Briefing

        b = Briefing(org=w.branch_a, kind="month", period="2021-06", start="2021-06-01", end="2021-06-30", number=1,
                     status="issued")
        b.file.save("sweep-BRA-2021-06.docx", ContentFile(b"PK sweep"), save=False)
        b.pdf.save("sweep-BRA-2021-06.pdf", ContentFile(b"%PDF sweep"), save=False)
        b.save()
        return b

    return w.once("rp-issued-briefing", make).pk


def _png() -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(out, format="PNG")
    return out.getvalue()


def _session_with_photo(w):
    """A session of 支部A with one photo: a highlight candidate."""
    def make():
        from django.core.files.uploadedfile import SimpleUploadedFile

        from tests.outreach.helpers import session

        return session(w, topic="扫描用宣讲", files=[("photo", SimpleUploadedFile("sweep.png", _png()))])

    return w.once("rp-candidate-session", make)


def _highlight(w):
    """支部A's session picked by the office, with its photo copied."""
    def make():
        from dangshi.orgs.scope import scope_for
        from dangshi.reports import services

        return services.highlight_pick(scope=scope_for(w.users["office"]), source="outreach.session",
                                       source_id=_session_with_photo(w).pk)

    return w.once("rp-highlight", make).pk


FIRST = Param(lambda w: 1, owner=None)
PARAMS = {"briefing_id": Param(_briefing)}
# Highlights are the office's work: the owner who must reach them is the district office.
ROUTES = {
    "reports:briefing_pdf": {"briefing_id": Param(_issued_briefing)},
    "reports:highlight_photo": {"highlight_id": Param(_highlight, owner="office"), "n": FIRST},
    "reports:candidate_photo": {"source": Param(lambda w: "outreach.session", owner=None),
                                "source_id": Param(lambda w: _session_with_photo(w).pk, owner="office"), "n": FIRST},
}

"""The public board shows no personal data: with the demo district built (a 2,000-member roster,
then this module's demo and the hotline's, whose requests are partly linked to matters), no member's
phone or ID number and no caller's phone appears anywhere on the board's pages.

(2,000, not 300: the orgs demo gives each of its 534 branches at least 3 members, and with fewer
than 1,602 members its balancing loop never ends.)"""

from django.db.models import Q
from django.urls import reverse

from dangshi.core.demo import DemoContext
from dangshi.hotline import demo as hotline_demo
from dangshi.hotline.models import Request
from dangshi.orgs import demo as orgs_demo
from dangshi.orgs.models import Member
from dangshi.practical import demo
from dangshi.practical.models import PUBLIC_STATES, Matter, Tier


def test_public_board_has_no_demo_phone_or_id_number(db, client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    ctx = DemoContext(members=2000, log=lambda *_: None)
    orgs_demo.build(ctx)
    demo.build(ctx)
    counted = Matter.objects.filter(parent__isnull=True)
    assert counted.filter(tier=Tier.KEY).count() == 28 and counted.filter(tier=Tier.GENERAL).count() == 146
    secrets = [s for m in Member.objects.all() for s in (m.phone, m.id_number) if s]
    assert len(secrets) == 4000
    hotline_demo.build(ctx)
    linked = Request.objects.filter(matter__state__in=PUBLIC_STATES).values_list("matter_id", flat=True)
    assert linked, "the hotline demo links requests to a published matter"
    secrets += [r.caller_phone for r in Request.objects.only("caller_phone") if r.caller_phone]
    pages = [reverse("practical:board")]
    pages += [reverse("practical:board") + f"?page={n}" for n in range(2, 8)]
    # Every list page, and the public page of every key matter and of the general ones that
    # residents have rated (the pages with the most on them); all matter pages share one template.
    shown = Matter.objects.filter(state__in=PUBLIC_STATES).filter(Q(tier=Tier.KEY) | Q(ratings__isnull=False)
                                                                  | Q(pk__in=linked))
    pages += [reverse("practical:board_matter", args=[pk]) for pk in shown.distinct().values_list("pk", flat=True)]
    html = []
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        html.append(response.content.decode())
    body = "\n".join(html)
    assert "公示栏" in body and "源自 12345 群众诉求" in body
    leaks = [s for s in secrets if s in body]
    assert leaks == []
    # Claimants' names are not published either: the board names the responsible org.
    names = set(Member.objects.filter(practical_claims__isnull=False).values_list("name", flat=True))
    assert not [n for n in names if f">{n}<" in body]

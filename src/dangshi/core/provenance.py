"""Provenance of a shipped or written fact: where a reader can check it and whether anyone did.

`Sourced` is an abstract model (learning items and quiz question versions inherit it);
`SourceRecord` is the same thing as plain data, read from the starter JSON files, and
`problems()` says what a record lacks. The rule, stated once here and asked by the
checker (`dangshi check-content`), the review services and the importers:

- a source is a book (title, publisher, edition year; chapter and page only where someone
  looked at them), an official article (exact URL, and its date where the page shows one,
  else the date it was read) or a central document or speech (title and date);
- an item marked 已核 names who checked it, when, and against what (the edition or the URL
  they held), and for an article the passage the item rests on;
- nothing else is ever filled in to look complete: an item nobody checked says 未核.
"""

import re
from dataclasses import asdict, dataclass, field, fields
from datetime import date

from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dangshi.errors import Invalid

YEAR = re.compile(r"^(1[89]\d\d|20\d\d)$")


class Verification(models.TextChoices):
    UNVERIFIED = "unverified", _("未核")
    VERIFIED = "verified", _("已核")
    RETURNED = "returned", _("已退回")


# The JSON files spell the status in Chinese, as the office reads it.
STATUS_WORDS = {"未核": Verification.UNVERIFIED, "已核": Verification.VERIFIED, "已退回": Verification.RETURNED}


class Sourced(models.Model):
    source_title = models.CharField(_("出处书名或篇名"), max_length=200, blank=True)
    source_publisher = models.CharField(_("出版社或发布机构"), max_length=100, blank=True)
    source_edition = models.CharField(_("版次年份"), max_length=20, blank=True)
    source_chapter = models.CharField(_("章节"), max_length=200, blank=True)
    source_page = models.CharField(_("页码"), max_length=20, blank=True)
    source_url = models.URLField(_("网址"), max_length=400, blank=True)
    source_date = models.DateField(_("文章日期"), null=True, blank=True)
    source_passage = models.TextField(_("所据原文"), blank=True)
    verification = models.CharField(_("核对状态"), max_length=10, choices=Verification,
                                    default=Verification.UNVERIFIED)
    verified_by = models.CharField(_("核对人"), max_length=60, blank=True)
    verified_at = models.DateField(_("核对日期"), null=True, blank=True)
    verified_against = models.CharField(_("核对所据"), max_length=400, blank=True,
                                        help_text=_("核对时所用的版本与页码,或网址"))
    review_note = models.CharField(_("审核意见"), max_length=500, blank=True)

    class Meta:
        abstract = True


@dataclass
class SourceRecord:
    title: str = ""
    publisher: str = ""
    edition: str = ""
    chapter: str = ""
    page: str = ""
    url: str = ""
    date: str = ""  # ISO date of the article
    passage: str = ""
    status: str = "未核"
    by: str = ""
    at: str = ""  # ISO date of the check
    against: str = ""
    extra: list = field(default_factory=list)  # further sources, as citation lines

    @classmethod
    def from_json(cls, data: dict | None) -> "SourceRecord":
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in (data or {}).items() if k in known})

    def to_json(self) -> dict:
        return {k: v for k, v in asdict(self).items() if v not in ("", [], None)}

    @property
    def is_article(self) -> bool:
        return bool(self.url)

    @property
    def is_document(self) -> bool:
        """A central document or speech cited by its title and date (no URL, no book)."""
        return not self.url and bool(self.date) and not self.edition

    def citation(self) -> str:
        """The one-line citation a reader sees (the items' `source` field)."""
        if self.is_article or self.is_document:
            when = self.date or (f"{self.at}查阅" if self.at else "")
            head = f"{self.title}({','.join(p for p in (self.publisher, when) if p)})"
            main = f"{head} {self.url}".strip()
        else:
            detail = ",".join(p for p in (self.publisher, f"{self.edition}年版" if self.edition else "") if p)
            main = f"{self.title}({detail})" if detail else self.title
            if self.chapter:
                main += f" {self.chapter}"
            if self.page:
                main += f" 第{self.page}页"
        return ";".join([main, *self.extra])

    def model_fields(self) -> dict:
        """The `Sourced` field values for this record."""
        return {
            "source_title": self.title[:200], "source_publisher": self.publisher[:100],
            "source_edition": self.edition[:20], "source_chapter": self.chapter[:200], "source_page": self.page[:20],
            "source_url": self.url[:400], "source_date": _date(self.date), "source_passage": self.passage,
            "verification": STATUS_WORDS.get(self.status, Verification.UNVERIFIED), "verified_by": self.by[:60],
            "verified_at": _date(self.at), "verified_against": self.against[:400],
        }

    def problems(self) -> list[str]:
        """What this record lacks, in words for the office (empty when it is complete)."""
        out = []
        if not self.title.strip():
            out.append("缺少出处书名或篇名")
        if self.is_article:
            if not self.url.startswith("http"):
                out.append("网址无效")
            # The article's own date where the page shows it; else the date it was read (at).
            if _date(self.date) is None and _date(self.at) is None:
                out.append("网络文章缺少日期(发布日期或核对日期)")
        elif self.is_document:
            if _date(self.date) is None:
                out.append("文献日期无效")
        else:
            if not self.publisher.strip():
                out.append("图书缺少出版社")
            if not YEAR.match(self.edition or ""):
                out.append("图书缺少版次年份")
        if self.page and not self.chapter:
            out.append("有页码而无章节")
        if self.status not in STATUS_WORDS:
            out.append(f"核对状态应为未核或已核,而非“{self.status}”")
        if self.status == "已核":
            if not self.by.strip():
                out.append("已核而未写核对人")
            if _date(self.at) is None:
                out.append("已核而未写核对日期")
            if not self.against.strip():
                out.append("已核而未写核对所据的版本或网址")
            if self.is_article and not self.passage.strip():
                out.append("据网络文章已核而未录所据原文")
        if self.status == "未核" and (self.by or self.at):
            out.append("未核却写了核对人或日期")
        return out


def _date(value: str) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def starter_fields(entry: dict) -> dict:
    """Model field values (the `source` citation line and every `Sourced` field) for a starter
    entry of the JSON files, whose provenance is under "provenance"."""
    record = SourceRecord.from_json(entry.get("provenance"))
    return {"source": record.citation()[:300], **record.model_fields()}


def review_check(*, against: str, page: str = "", url: str = "", passage: str = "") -> dict:
    """The fields a reviewer's 已核 records, or Invalid naming the one at fault: what they
    checked against, and the page or the URL where they found it."""
    against, page, url, passage = against.strip(), page.strip(), url.strip(), passage.strip()
    if not against:
        raise Invalid(gettext("请写明核对所据的版本或网址。"), field="against")
    if not page and not url:
        raise Invalid(gettext("请写明核对的页码或网址。"), field="page")
    if url and not url.startswith(("https://", "http://")):
        raise Invalid(gettext("网址应以 http:// 或 https:// 开头。"), field="url")
    out = {"verified_against": against[:400]}
    if page:
        out["source_page"] = page[:20]
    if url:
        out["source_url"] = url[:400]
    if passage:
        out["source_passage"] = passage
    return out

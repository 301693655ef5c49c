"""Pieces every module's API router shares: pagination, error bodies (auth: `orgs.auth`)."""

from typing import Any

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Schema
from ninja.pagination import PaginationBase

MAX_PAGE = 100_000  # × 500 per page: 50 million rows, past any list dangshi serves


class Paged(PaginationBase):
    """`?page=` (from 1) and `?page_size=` (up to 500); answers `{"items": [...], "count": N}`."""

    class Input(Schema):
        # Bounded so that the offset stays a small integer: an unbounded page overflowed the
        # database's OFFSET (a 500); past the bound is 422 like any other bad parameter.
        page: int = Field(1, ge=1, le=MAX_PAGE)
        page_size: int = Field(50, ge=1, le=500)

    items_attribute = "items"

    class Output(Schema):
        items: list[Any]
        count: int

    def paginate_queryset(self, queryset, pagination: Input, **params):
        start = (pagination.page - 1) * pagination.page_size
        return {
            "items": list(queryset[start : start + pagination.page_size]),
            "count": queryset.count() if hasattr(queryset, "count") and not isinstance(queryset, list) else len(queryset),
        }


class ErrorOut(Schema):
    code: str
    message: str


def not_found(what: str = "") -> Http404:
    return Http404(what or _("未找到。"))

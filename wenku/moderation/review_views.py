"""发布前审核 (/moderation/review/): staff approve or reject documents held for review.

Staff only (``may_review``; everyone else gets 403). Each decision is one POST form
calling one service of ``wenku.moderation.review``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from wenku.documents.access import document_lookup, may_review
from wenku.documents.selectors import documents_in_review
from wenku.moderation.review import (
    REASON_MAX,
    REASON_TEMPLATES,
    ReviewRefused,
    review_approve,
    review_reject,
)

PAGE_SIZE = 30


class DecisionForm(forms.Form):
    """A reason template and/or the moderator's own words; the service decides
    whether a reason is needed."""

    template = forms.ChoiceField(
        label=gettext_lazy("常用理由"),
        required=False,
        choices=[("", "—"), *((t, gettext_lazy(t)) for t in REASON_TEMPLATES)],
    )
    reason = forms.CharField(
        label=gettext_lazy("理由"), required=False, max_length=REASON_MAX
    )

    def reason_text(self) -> str:
        parts = [self.cleaned_data.get("template", ""), self.cleaned_data["reason"]]
        return "：".join(part.strip() for part in parts if part and part.strip())


def _staff_only(request: HttpRequest) -> None:
    if not may_review(request.user):
        raise PermissionDenied(_("只有管理员可以审核文档"))


def _queue(
    request: HttpRequest, *, errors: dict[int, str] | None = None, status: int = 200
) -> HttpResponse:
    page = Paginator(documents_in_review(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "moderation/review/queue.html",
        {"page": page, "form": DecisionForm(), "errors": errors or {}},
        status=status,
    )


def queue(request: HttpRequest) -> HttpResponse:
    """Documents in review, oldest first, each with its approve and reject forms."""
    _staff_only(request)
    return _queue(request)


def _decide(request: HttpRequest, number: int, decide: Any, done: str) -> HttpResponse:
    _staff_only(request)
    document, _access = document_lookup(number=number, user=request.user)
    if document is None:
        raise Http404(_("文档不存在或已删除"))
    form = DecisionForm(request.POST)
    if not form.is_valid():
        return _queue(request, errors={document.pk: _("理由无效")}, status=400)
    try:
        decide(document=document, by=request.user, reason=form.reason_text())
    except ReviewRefused as exc:
        return _queue(request, errors={document.pk: exc.message}, status=exc.status)
    messages.success(request, done % {"title": document.title})
    return redirect("moderation_review:queue")


@require_POST
def approve(request: HttpRequest, number: int) -> HttpResponse:
    return _decide(request, number, review_approve, _("《%(title)s》已通过审核并发布"))


@require_POST
def reject(request: HttpRequest, number: int) -> HttpResponse:
    return _decide(request, number, review_reject, _("《%(title)s》已驳回"))

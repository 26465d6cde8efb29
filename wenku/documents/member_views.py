"""Member center: my uploads (status, views, downloads, earnings), favorites; edit/delete."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wenku.documents.access import document_get_for_user, public_documents
from wenku.documents.forms import EditForm, form_add_rejection
from wenku.documents.models import Favorite
from wenku.documents.selectors import document_list_for_uploader
from wenku.documents.services import (
    DocumentRejected,
    document_relist,
    document_unlist,
    document_update,
)
from wenku.wallet.selectors import earnings_by_document


def _earnings(user) -> dict[int, int]:
    """Net points earned per document id (sales minus refunds)."""
    return {row["document"].pk: row["net"] for row in earnings_by_document(user=user)}


@login_required
def uploads(request: HttpRequest) -> HttpResponse:
    page = Paginator(document_list_for_uploader(user=request.user), 20).get_page(
        request.GET.get("page")
    )
    earnings = _earnings(request.user)
    rows = [(doc, earnings.get(doc.pk, 0)) for doc in page.object_list]
    return render(
        request,
        "documents/me_uploads.html",
        {"page": page, "rows": rows, "tab": "uploads"},
    )


@login_required
def favorites(request: HttpRequest) -> HttpResponse:
    queryset = (
        Favorite.objects.filter(user=request.user, document__in=public_documents())
        .select_related("document")
        .order_by("-created_at")
    )
    page = Paginator(queryset, 20).get_page(request.GET.get("page"))
    return render(
        request, "documents/me_favorites.html", {"page": page, "tab": "favorites"}
    )


def _own_document(request: HttpRequest, number: int):
    document, access = document_get_for_user(number=number, user=request.user)
    if not access.edit:
        raise Http404(_("文档不存在或已删除"))
    return document


@login_required
def edit(request: HttpRequest, number: int) -> HttpResponse:
    document = _own_document(request, number)
    initial = {
        "title": document.title,
        "category": document.category,
        "tags": document.tags,
        "description": document.description,
        "price": document.price,
        "free_pages": document.free_pages,
    }
    form = EditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            document_update(
                document=document,
                by=request.user,
                title=data["title"],
                description=data["description"],
                tags=data["tags"],
                category=data["category"],
                price=data["price"],
                free_pages=data["free_pages"],
            )
        except DocumentRejected as exc:
            form_add_rejection(form, exc)
        else:
            messages.success(request, _("文档信息已保存"))
            return redirect(document.get_absolute_url())
    return render(
        request,
        "documents/edit.html",
        {"form": form, "document": document},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def delete(request: HttpRequest, number: int) -> HttpResponse:
    """Unlist (撤下): the document leaves the site; its buyers keep it."""
    document = _own_document(request, number)
    try:
        document_unlist(document=document, by=request.user)
    except DocumentRejected as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("文档已撤下：其他人看不到它，已购买的读者仍可阅读和下载。")
        )
    return redirect("documents:me")


@login_required
@require_POST
def relist(request: HttpRequest, number: int) -> HttpResponse:
    document = _own_document(request, number)
    document_relist(document=document, by=request.user)
    messages.success(request, _("文档已重新上架"))
    return redirect("documents:me")

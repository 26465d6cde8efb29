"""举报, 侵权投诉, 反通知 and the transparency page for everyone; the moderator
workspace (queue, case, bulk decisions) for staff."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wenku.community.models import Comment
from wenku.community.selectors import comment_get_for_user
from wenku.core.clientip import visitor_hash
from wenku.core.ratelimit import by_member_or_ip, rate_limit
from wenku.documents.access import document_get_for_user, document_lookup
from wenku.documents.models import Document
from wenku.moderation.forms import (
    CommentReportForm,
    ComplaintForm,
    CounterNoticeForm,
    DecisionForm,
    ReportForm,
    document_numbers,
)
from wenku.moderation.models import Case, CaseStatus, ReportReason
from wenku.moderation.selectors import (
    document_history,
    member_history,
    queue,
    queue_counts,
    takedown_case,
    transparency_notices,
    transparency_totals,
)
from wenku.moderation.services import (
    ReportRejected,
    case_decide,
    case_legal_action,
    case_restore,
    cases_decide,
    complaint_file,
    counter_notice_case,
    counter_notice_file,
    report_create,
)


def moderator_required(view):
    """Staff only: others get 403 (anonymous visitors the login page)."""

    @wraps(view)
    @login_required
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_staff:
            # The site's own 403 page, like every refusal (review_views does the same).
            raise PermissionDenied(_("仅审核员可以访问 / Moderators only"))
        return view(request, *args, **kwargs)

    return wrapped


def _form_error(form, exc: ReportRejected) -> None:
    fields = [name for name in (exc.missing or (exc.field,)) if name in form.fields]
    form.add_error(None, exc.message)
    for name in fields:
        form.add_error(name, _("必填 / Required") if exc.missing else exc.message)


def _report_page(
    request: HttpRequest,
    *,
    form: ReportForm | CommentReportForm,
    document: Document,
    comment: Comment | None,
    template: str,
    done_url: str,
) -> HttpResponse:
    """The report form of a document or of one of its comments: a valid report
    opens its case and goes back to the page; a refused one says why."""
    if request.method == "POST" and form.is_valid():
        try:
            report_create(
                document=document,
                comment=comment,
                reporter=request.user if request.user.is_authenticated else None,
                reason=form.cleaned_data["reason"],
                description=form.cleaned_data["description"],
                contact=form.cleaned_data["contact"],
                visitor=visitor_hash(request),
            )
        except ReportRejected as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("举报已提交，我们会尽快核实处理。"))
            return redirect(done_url)
    return render(
        request,
        template,
        {"form": form, "document": document, "comment": comment},
        status=400 if request.method == "POST" else 200,
    )


@rate_limit("report", key=by_member_or_ip)
def report(request: HttpRequest, number: int) -> HttpResponse:
    document, access = document_get_for_user(number=number, user=request.user)
    if not access.report:
        raise Http404(_("文档不存在或已删除"))
    return _report_page(
        request,
        form=ReportForm(request.POST or None),
        document=document,
        comment=None,
        template="moderation/report.html",
        done_url=document.get_absolute_url(),
    )


@rate_limit("report", key=by_member_or_ip)
def comment_report(request: HttpRequest, comment_id: int) -> HttpResponse:
    """举报 a comment: its case joins the moderation queue like a document's."""
    comment = comment_get_for_user(pk=comment_id, user=request.user)
    return _report_page(
        request,
        form=CommentReportForm(request.POST or None),
        document=comment.document,
        comment=comment,
        template="moderation/comment_report.html",
        done_url=f"{comment.document.get_absolute_url()}#comments",
    )


@rate_limit("complaint", key=by_member_or_ip)
def complaint_new(request: HttpRequest) -> HttpResponse:
    initial = {"documents": request.GET.get("document", "")[:20]}
    form = ComplaintForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            complaint = complaint_file(
                complainant=request.user,
                name=data["name"],
                contact=data["contact"],
                address=data["address"],
                work=data["work"],
                documents=document_numbers(data["documents"]),
                proof=data["proof"],
                good_faith=data["good_faith"],
                accurate=data["accurate"],
                signature=data["signature"],
                agent_for=data["agent_for"],
                proof_file=data["proof_file"],
                authorisation=data["authorisation"],
            )
        except ReportRejected as exc:
            _form_error(form, exc)
        else:
            return render(
                request,
                "moderation/complaint_done.html",
                {"complaint": complaint, "cases": complaint.cases.all()},
            )
    return render(
        request,
        "moderation/complaint.html",
        {"form": form},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def counter_notice(request: HttpRequest, number: int) -> HttpResponse:
    document, _access = document_lookup(number=number, user=request.user)
    if document is None or document.uploader_id != request.user.pk:
        raise Http404(_("文档不存在或已删除"))
    case = counter_notice_case(document)
    form = CounterNoticeForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            counter_notice_file(document=document, uploader=request.user, **data)
        except ReportRejected as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("反通知已提交。"))
            return redirect(document.get_absolute_url())
    return render(
        request,
        "moderation/counter_notice.html",
        {"form": form, "document": document, "case": case or takedown_case(document)},
        status=400 if request.method == "POST" else 200,
    )


def transparency(request: HttpRequest) -> HttpResponse:
    page = Paginator(transparency_notices(limit=1000), 50).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "moderation/transparency.html",
        {"page": page, "totals": transparency_totals()},
    )


@moderator_required
def workspace(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("kind", "")
    status = request.GET.get("status", CaseStatus.OPEN)
    if status not in CaseStatus.values:
        status = CaseStatus.OPEN
    page = Paginator(queue(kind=kind, status=status), 50).get_page(
        request.GET.get("page")
    )
    # The bulk button names what upholding does to the cases listed.
    comments = {case.comment_id is not None for case in page.object_list}
    return render(
        request,
        "moderation/workspace.html",
        {
            "page": page,
            "kind": kind,
            "status": status,
            "counts": queue_counts(),
            "kinds": ReportReason.choices,
            "statuses": CaseStatus.choices,
            "form": DecisionForm(),
            "uphold_hides": comments == {True},
            "uphold_mixed": comments == {True, False},
        },
    )


@moderator_required
def case_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    case = get_object_or_404(
        Case.objects.select_related(
            "document",
            "document__uploader",
            "complaint",
            "report",
            "report__comment__author",
        ),
        pk=case_id,
    )
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            decision = case_decide(
                case=case,
                by=request.user,
                action=form.cleaned_data["action"],
                reason=form.reason_text(),
            )
        except ReportRejected as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request,
                _("案件 #%(case)s 已处理，退款 %(refunded)s 笔。")
                % {"case": case.pk, "refunded": decision.refunded},
            )
            return redirect("moderation:workspace")
    return render(
        request,
        "moderation/case.html",
        {
            "case": case,
            "form": form,
            "history": document_history(case.document),
            "member": member_history(case.document.uploader),
            "siblings": Case.objects.filter(document=case.document).exclude(pk=case.pk),
        },
        status=400 if request.method == "POST" else 200,
    )


@moderator_required
@require_POST
def bulk(request: HttpRequest) -> HttpResponse:
    form = DecisionForm(request.POST)
    ids = [i for i in request.POST.getlist("case") if i.isascii() and i.isdigit()]
    cases = list(Case.objects.filter(pk__in=ids[:200]))
    if not cases:
        messages.error(request, _("请先勾选案件 / Select cases first"))
    elif not form.is_valid():
        messages.error(request, _("请选择处理方式 / Choose take down or reject"))
    else:
        try:
            cases_decide(
                cases=cases,
                by=request.user,
                action=form.cleaned_data["action"],
                reason=form.reason_text(),
            )
        except ReportRejected as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("已处理 %(n)s 个案件。") % {"n": len(cases)})
    return redirect("moderation:workspace")


@moderator_required
@require_POST
def comment_restore(request: HttpRequest, case_id: int) -> HttpResponse:
    """A moderator's second look at a hidden comment: it shows again."""
    case = get_object_or_404(Case, pk=case_id, report__comment__isnull=False)
    try:
        case_restore(case=case, by=request.user, note=request.POST.get("note", ""))
    except ReportRejected as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("评论已恢复显示。"))
    return redirect("moderation:case", case.pk)


@login_required
@require_POST
def legal_action(request: HttpRequest, case_id: int) -> HttpResponse:
    case = get_object_or_404(Case, pk=case_id)
    try:
        case_legal_action(case=case, by=request.user)
    except ReportRejected as exc:
        if exc.status == 404:
            raise Http404(exc.message) from exc
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已登记起诉，文档维持下架。"))
    return redirect(
        "moderation:case" if request.user.is_staff else "core:home",
        *([case.pk] if request.user.is_staff else []),
    )

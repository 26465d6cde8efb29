"""举报: anyone may report a document; moderators decide in the admin."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from wenku.core.ratelimit import by_member_or_ip, rate_limit
from wenku.documents.access import document_get_for_user
from wenku.moderation.forms import ReportForm
from wenku.moderation.services import ReportRejected, report_create


@rate_limit("report", key=by_member_or_ip)
def report(request: HttpRequest, number: int) -> HttpResponse:
    document, access = document_get_for_user(number=number, user=request.user)
    if not access.report:
        raise Http404(_("文档不存在或已删除"))
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            report_create(
                document=document,
                reporter=request.user if request.user.is_authenticated else None,
                reason=form.cleaned_data["reason"],
                description=form.cleaned_data["description"],
                contact=form.cleaned_data["contact"],
            )
        except ReportRejected as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("举报已提交，我们会尽快核实处理。"))
            return redirect(document.get_absolute_url())
    return render(
        request,
        "moderation/report.html",
        {"form": form, "document": document},
        status=400 if request.method == "POST" else 200,
    )

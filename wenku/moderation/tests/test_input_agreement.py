"""Reports: the report form refuses bad input with report_create's own message.

There is no report endpoint in the API, so the form is compared with what the service
raises for the same input; nothing may be written.
"""

from __future__ import annotations

import pytest

from wenku.moderation.models import Report
from wenku.moderation.services import ReportRejected, report_create

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("case", "fields", "field", "message"),
    [
        (
            "description too long",
            {"reason": "other", "description": "说" * 2001, "contact": ""},
            "description",
            "详细说明须为不超过 2000 个字符的文字 / The description must be text of "
            "at most 2000 characters",
        ),
        (
            "contact too long",
            {"reason": "ad", "description": "", "contact": "1" * 121},
            "contact",
            "联系方式须为不超过 120 个字符的文字 / The contact must be text of at "
            "most 120 characters",
        ),
    ],
)
def test_report_form_says_what_the_service_says(
    client, make_user, make_document, case, fields, field, message
):
    document = make_document()
    with pytest.raises(ReportRejected) as refused:
        report_create(document=document, reporter=None, **fields)
    assert (refused.value.field, refused.value.message) == (field, message), case
    response = client.post(f"/documents/{document.number}/report/", fields)
    assert response.status_code == 400
    assert response.context["form"].errors == {field: [message]}, case
    assert Report.objects.count() == 0


def test_service_refuses_an_unknown_reason(make_document):
    with pytest.raises(ReportRejected) as refused:
        report_create(
            document=make_document(),
            reporter=None,
            reason="spam",
            description="",
            contact="",
        )
    assert refused.value.message == "请选择举报原因 / Choose a reason"
    assert Report.objects.count() == 0


def test_copyright_goes_to_the_complaint_form(client, make_document):
    document = make_document()
    with pytest.raises(ReportRejected) as refused:
        report_create(
            document=document,
            reporter=None,
            reason="copyright",
            description="侵权",
            contact="a@b.cn",
        )
    assert refused.value.code == "use_complaint"
    page = client.get(f"/documents/{document.number}/report/").content.decode()
    assert 'value="copyright"' not in page
    assert f"/complaints/new/?document={document.number}" in page
    assert Report.objects.count() == 0

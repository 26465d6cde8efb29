"""Moderation writes: filing reports and complaints, deciding cases, counter-notices.
Every decision writes an audit row (ModerationAction) in its own transaction."""

from wenku.moderation.services.counter import (
    case_legal_action,
    counter_notice_case,
    counter_notice_file,
    counter_notices_restore_due,
)
from wenku.moderation.services.decisions import (
    ACTIONS,
    REJECT,
    TAKE_DOWN,
    Decision,
    audit,
    case_decide,
    case_restore,
    cases_decide,
    document_restore,
    document_take_down,
)
from wenku.moderation.services.errors import ReportRejected
from wenku.moderation.services.filing import (
    CONTACT_MAX,
    DESCRIPTION_MAX,
    MISSING_LABELS,
    complaint_file,
    report_create,
)

__all__ = [
    "ACTIONS",
    "CONTACT_MAX",
    "DESCRIPTION_MAX",
    "MISSING_LABELS",
    "REJECT",
    "TAKE_DOWN",
    "Decision",
    "ReportRejected",
    "audit",
    "case_decide",
    "case_legal_action",
    "case_restore",
    "cases_decide",
    "complaint_file",
    "counter_notice_case",
    "counter_notice_file",
    "counter_notices_restore_due",
    "document_restore",
    "document_take_down",
    "report_create",
]

"""Every page of the site in English holds no Chinese of the site's own: each Han
character left on a page is something people wrote (titles, descriptions, names,
tags, a search, a moderator's reason), which the walk knows and takes out first."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.core.cache import cache
from django.test import Client

from wenku.conversion.base import ConversionError

pytestmark = pytest.mark.django_db

HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff01-\uff5e]+")
HAN_ONLY = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
# Attributes whose values a person reads or hears.
SPOKEN = {"alt", "title", "placeholder", "aria-label", "content", "value", "label"}
# The language switch names its language in that language.
SWITCH = 'value="zh-hans">中文</button>'


class _Words(HTMLParser):
    """The words of a page: text, and the attributes people read, not the code."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.words: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "style" or (
            tag == "script" and attributes.get("type") != "application/json"
        ):
            self._skip += 1
        if tag == "option" or (
            tag == "input" and attributes.get("type") not in ("submit", "button")
        ):
            # A choice's value is a code sent back, never shown; an input's value
            # is what a person typed, or a token.
            attributes.pop("value", None)
        for name, value in attributes.items():
            if (name in SPOKEN or name.startswith("data-")) and value:
                self.words.append(value or "")

    def handle_endtag(self, tag):
        if tag in ("style", "script") and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.words.append(data)


def _site_chinese(html: str, people_wrote: list[str]) -> list[str]:
    """Runs of Chinese on the page that no person wrote, each with its context."""
    parser = _Words()
    parser.feed(html.replace(SWITCH, ">"))
    found = []
    for words in parser.words:
        for text in sorted(filter(None, people_wrote), key=len, reverse=True):
            words = words.replace(text, " ")
        for run in HAN.finditer(words):
            # Words cut from what people wrote (related searches, snippets) are
            # theirs too.
            if HAN_ONLY.search(run.group()) and not any(
                run.group() in text for text in people_wrote
            ):
                start = max(run.start() - 30, 0)
                found.append(f"{run.group()!r} in …{words[start : run.end() + 30]}…")
    return found


def _english(client: Client) -> None:
    client.get("/lang/", {"language": "en", "next": "/"})


def test_every_page_in_english_has_no_chinese_of_the_sites_own(
    categories, make_user, make_document, settings
):
    from wenku.core.models import SiteSettings
    from wenku.documents.models import Document, DocumentStatus, Favorite, Page
    from wenku.moderation.models import Case
    from wenku.moderation.services import case_decide, report_create
    from wenku.search import public as search
    from wenku.wallet.models import DownloadKind
    from wenku.wallet.services import (
        download_record,
        purchase_create,
        recharge_order_create,
        wallet_grant,
    )

    settings.WALLET_PAYMENT_PROVIDER = "sandbox"
    SiteSettings.objects.create()  # the texts a new site starts with
    category = categories.get(slug="jianghua-zhici")
    uploader = make_user("yiye", display_name="一叶知秋")
    buyer = make_user("reader", display_name="读者甲")
    staff = make_user("admin1", display_name="管理员", is_staff=True)
    pages = ["各位代表：今天召开全区教育工作会议。", "二、推进课程改革。", "三、安全。"]
    priced = make_document(
        title="教育工作会议讲话",
        pages=pages,
        uploader=uploader,
        price=5,
        free_pages=1,
        category=category,
    )
    free = make_document(
        title="教师培训心得", pages=pages, uploader=uploader, category=category
    )
    Document.objects.filter(pk__in=[priced.pk, free.pk]).update(
        tags="教育,讲话", description="会议上的讲话稿。"
    )
    for document in (priced, free):
        document.refresh_from_db()
        search.index_document(document, refresh_related=False)
    failed = make_document(title="坏文件", uploader=buyer, status=DocumentStatus.FAILED)
    failed.failure_reason = ConversionError("timeout", "LibreOffice").reason
    failed.save(update_fields=["failure_reason"])
    own = make_document(title="我的讲义", uploader=buyer, category=category)
    removed = make_document(title="已下架的文档", uploader=uploader)
    wallet_grant(user=buyer, amount=20, reason="测试")
    purchase_create(buyer=buyer, document=priced, idempotency_key="walk-1")
    download_record(user=buyer, ip="127.0.0.1", document=free, kind=DownloadKind.FREE)
    recharge_order_create(user=buyer, yuan=1, provider="sandbox")
    Favorite.objects.create(user=buyer, document=free)
    report = report_create(
        document=free,
        reporter=buyer,
        reason="mismatch",
        description="标题与内容不符",
        contact="",
    )
    case_decide(case=report.case, by=staff, action="reject", reason="内容与标题一致")
    report_create(
        document=removed,
        reporter=None,
        reason="ad",
        description="全是广告",
        contact="",
        visitor="v1",
    )
    case_decide(
        case=Case.objects.get(document=removed),
        by=staff,
        action="take_down",
        reason="广告内容",
    )
    open_case = report_create(
        document=priced,
        reporter=None,
        reason="other",
        description="请核实",
        contact="",
        visitor="v2",
    ).case
    from wenku.community.services import comment_create, follow_set

    follow_set(follower=buyer, uploader=uploader, follow=True)
    question = comment_create(author=buyer, document=free, body="有没有完整版？")
    reply = comment_create(
        author=uploader, document=free, body="这就是完整版。", parent_id=question.pk
    )
    comment_report = report_create(
        document=free,
        comment=reply,
        reporter=None,
        reason="abuse",
        description="语气不好",
        contact="",
        visitor="v3",
    )

    people_wrote = [
        *(
            text
            for d in Document.objects.all()
            for text in (d.display_title, d.title, d.description, *d.tag_list)
        ),
        *Page.objects.values_list("text", flat=True),
        *(u.public_name for u in (uploader, buyer, staff)),
        *(u.display_name for u in (uploader, buyer, staff)),
        "教育",  # the searches
        "没有这样的词",
        "标题与内容不符",
        "全是广告",
        "请核实",
        "内容与标题一致",
        "广告内容",
        "测试",
        "有没有完整版？",
        "这就是完整版。",
        "语气不好",
    ]

    visitor = Client()
    _english(visitor)
    member = Client()
    _english(member)
    member.force_login(buyer)
    moderator = Client()
    _english(moderator)
    moderator.force_login(staff)
    walk = {
        visitor: [
            ("/", 200),
            (category.get_absolute_url(), 200),
            (category.parent.get_absolute_url(), 200),
            (priced.get_absolute_url(), 200),
            (free.get_absolute_url(), 200),
            ("/search?q=教育", 200),
            ("/search?q=没有这样的词", 200),
            ("/accounts/login/", 200),
            ("/accounts/register/", 200),
            (f"/u/{uploader.public_id}/", 200),
            ("/tags/教育/", 200),
            (f"/documents/{free.number}/report/", 200),
            (f"/comments/{reply.pk}/report/", 200),
            ("/complaints/new/", 200),
            ("/transparency/", 200),
            ("/no-such-page/", 404),
            ("/documents/99999999/", 404),
            ("/c/no-such-category/", 404),
            ("/u/99999999/", 404),
            ("/?page=99", 404),
            (removed.get_absolute_url(), 410),
        ],
        member: [
            (priced.get_absolute_url(), 200),
            (f"/documents/{priced.number}/buy/", 200),
            (f"/documents/{free.number}/buy/", 200),
            (failed.get_absolute_url(), 200),
            (f"/documents/{own.number}/edit/", 200),
            ("/upload/", 200),
            ("/me/", 200),
            ("/me/favorites/", 200),
            ("/me/following/", 200),
            ("/me/wallet/", 200),
            ("/me/wallet/recharge/", 200),
            ("/me/wallet/orders/", 200),
            ("/me/wallet/earnings/", 200),
            ("/me/wallet/withdraw/", 200),
            ("/notifications/", 200),
            ("/accounts/profile/", 200),
            ("/accounts/password/", 200),
            ("/accounts/tokens/", 200),
            (f"/documents/{free.number}/report/", 200),
            ("/moderation/", 403),
        ],
        moderator: [
            ("/moderation/", 200),
            (f"/moderation/cases/{open_case.pk}/", 200),
            (f"/moderation/cases/{report.case.pk}/", 200),
            (f"/moderation/cases/{comment_report.case.pk}/", 200),
            ("/moderation/review/", 200),
        ],
    }
    found: dict[str, list[str]] = {}
    for client, paths in walk.items():
        for path, status in paths:
            response = client.get(path)
            assert response.status_code == status, (path, response.status_code)
            html = response.content.decode()
            assert '<html lang="en">' in html, path
            left = _site_chinese(html, people_wrote)
            if left:
                found[path] = left

    # Refusals: a form sent wrong, an expired form, too many requests.
    response = visitor.post("/accounts/login/", {"username": "x", "password": "y"})
    found_in = _site_chinese(response.content.decode(), people_wrote)
    if found_in:
        found["POST /accounts/login/"] = found_in
    strict = Client(enforce_csrf_checks=True)
    _english(strict)
    response = strict.post("/accounts/login/", {"username": "x", "password": "y"})
    assert response.status_code == 403
    if left := _site_chinese(response.content.decode(), people_wrote):
        found["403 CSRF"] = left
    settings.RATE_LIMITS_ENABLED = True
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "register": (1, 3600)}
    cache.clear()
    form = {"username": "a", "password1": "Correct-horse-2024", "password2": "x"}
    visitor.post("/accounts/register/", form)
    response = visitor.post("/accounts/register/", form)
    cache.clear()
    assert response.status_code == 429
    if left := _site_chinese(response.content.decode(), people_wrote):
        found["429"] = left

    report = "\n".join(
        f"{path}:\n    " + "\n    ".join(runs) for path, runs in found.items()
    )
    assert found == {}, f"Chinese of the site's own in English mode:\n{report}"

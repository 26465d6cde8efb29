"""Comments in real Chromium at 1280 and 375 px: a member comments, another replies,
a visitor reports the comment, a moderator hides it from the workspace, and the
document page no longer shows it."""

from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

SHOTS = Path("/tmp/shots-comments")
# The axe fixture (conftest.py) skips or fails when this is missing.
AXE_JS = (
    Path(__file__).resolve().parents[3] / "tools/a11y/node_modules/axe-core/axe.min.js"
)
AXE_IN_COMMENTS = """async (tags) => {
  const result = await axe.run(document.querySelector("#comments"),
    {runOnly: {type: "tag", values: tags}});
  return result.violations.map((v) => v.id + ": " + v.help + " — " +
    v.nodes.map((n) => n.target.join(" ")).join(", "));
}"""


def _log_in(browser, base: str, user, width: int):
    # bypass_csp: axe is injected as an inline script, which the site's CSP refuses.
    context = browser.new_context(
        viewport={"width": width, "height": 900}, locale="zh-CN", bypass_csp=True
    )
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", user.raw_password)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base}/")
    return context, page


def _fits(page, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def _comments_axe(page) -> list[str]:
    """axe-core's WCAG 2 A/AA violations inside the comments section only (the
    whole page has its own test, core/tests/test_accessibility.py)."""
    page.add_script_tag(path=str(AXE_JS))
    return page.evaluate(AXE_IN_COMMENTS, ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"])


@pytest.mark.parametrize("width", [1280, 375])
def test_comment_reply_report_and_hide(
    live_server, browser, axe, make_user, make_document, width
):
    from wenku.community.models import Comment, CommentStatus
    from wenku.moderation.models import Case, CaseStatus

    SHOTS.mkdir(parents=True, exist_ok=True)
    base = live_server.url
    document = make_document(title="教育工作会议讲话稿", free_pages=2)
    path = f"{base}{document.get_absolute_url()}"
    first = make_user("zhangsan", display_name="张三丰")
    second = make_user("lisi", display_name="李四")
    moderator = make_user("shenhe", is_staff=True)

    # A member comments.
    context, page = _log_in(browser, base, first, width)
    page.goto(path)
    page.fill("#comment-body", "讲得很实在，第三部分对我们很有用。")
    page.click("[data-action=send-comment]")
    page.wait_for_url(f"{path}#comment-*")
    comment = Comment.objects.get(author=first)
    body = page.locator(f"#comment-{comment.pk} [data-comment-body]")
    assert body.inner_text() == "讲得很实在，第三部分对我们很有用。"
    assert page.locator(
        f"#comment-{comment.pk} [data-comment-author]"
    ).inner_text() == ("张***")
    assert page.inner_text("[data-comment-count]") == "1 条评论"
    assert page.locator("text=评论已发表").count() == 1
    _fits(page, width)
    page.locator("#comments").screenshot(path=str(SHOTS / f"commented-{width}.png"))
    context.close()

    # Another member replies to it.
    context, page = _log_in(browser, base, second, width)
    page.goto(path)
    thread = page.locator(f"#comment-{comment.pk}")
    assert thread.locator("[data-action=delete-comment]").count() == 0
    thread.locator("[data-action=reply]").click()
    page.fill(f"#reply-{comment.pk}", "同意，尤其是关于课后服务的那段。")
    _fits(page, width)
    assert _comments_axe(page) == []
    page.locator("#comments").screenshot(path=str(SHOTS / f"replying-{width}.png"))
    thread.locator("[data-action=send-reply]").click()
    page.wait_for_url(f"{path}#comment-*")
    reply = Comment.objects.get(author=second)
    assert reply.parent_id == comment.pk
    assert page.locator(".comment-replies [data-comment-body]").all_inner_texts() == [
        "同意，尤其是关于课后服务的那段。"
    ]
    assert page.inner_text("[data-comment-count]") == "2 条评论"
    assert _comments_axe(page) == []
    page.locator("#comments").screenshot(path=str(SHOTS / f"replied-{width}.png"))
    context.close()

    # A visitor sees both, the way to sign in, and reports the first comment.
    context = browser.new_context(
        viewport={"width": width, "height": 900}, locale="zh-CN", bypass_csp=True
    )
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.goto(path)
    assert page.inner_text("[data-comment-note]") == "登录后发表评论"
    assert _comments_axe(page) == []
    page.goto(path)  # a fresh page: axe's script stays out of the journey
    assert page.locator("[data-comment-body]").count() == 2
    page.locator(f"#comment-{comment.pk} [data-action=report-comment]").click()
    page.wait_for_url(f"{base}/comments/{comment.pk}/report/")
    assert "讲得很实在" in page.inner_text("[data-reported-comment]")
    page.check("input[name=reason][value=abuse]")
    page.fill("#id_description", "评论里有人身攻击")
    _fits(page, width)
    page.screenshot(path=str(SHOTS / f"report-{width}.png"), full_page=True)
    page.click("main button.btn-primary")
    page.wait_for_url(f"{path}#comments")
    assert page.locator("text=举报已提交").count() == 1
    case = Case.objects.get()
    assert (case.status, case.comment_id) == (CaseStatus.OPEN, comment.pk)

    # A moderator hides it from the workspace.
    staff_context, staff = _log_in(browser, base, moderator, width)
    staff.goto(f"{base}/moderation/")
    staff.click(f"a[href='/moderation/cases/{case.pk}/']")
    assert "讲得很实在" in staff.inner_text("[data-case-comment]")
    staff.fill("#id_reason", "评论含人身攻击")
    staff.screenshot(path=str(SHOTS / f"case-{width}.png"), full_page=True)
    staff.click("button[value=take_down]")
    staff.wait_for_url(f"{base}/moderation/")
    staff_context.close()
    comment.refresh_from_db()
    assert comment.status == CommentStatus.HIDDEN

    # The page no longer shows it: the reply stays under a note.
    page.goto(path)
    assert "讲得很实在" not in page.inner_text("#comments")
    assert page.inner_text(".comment-gone") == "此评论已被管理员隐藏"
    assert page.locator("[data-comment-body]").all_inner_texts() == [
        "同意，尤其是关于课后服务的那段。"
    ]
    assert page.inner_text("[data-comment-count]") == "1 条评论"
    _fits(page, width)
    page.locator("#comments").screenshot(path=str(SHOTS / f"hidden-{width}.png"))
    page.screenshot(path=str(SHOTS / f"page-{width}.png"), full_page=True)
    context.close()

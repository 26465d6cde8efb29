"""Every page type in real Chromium under the Content-Security-Policy: no violation,
no CSP error in the console, no request to any origin but the site's own."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

pytestmark = pytest.mark.browser

# Reported to Python from inside the page: a listener added before any page script.
WATCH_CSP = """
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolation([e.violatedDirective, e.blockedURI, location.pathname].join(" "));
});
"""


class Watch:
    """What a browser context did that the policy forbids or that left the site."""

    def __init__(self, context, origin: str) -> None:
        self.origin = origin
        self.violations: list[str] = []
        self.console: list[str] = []
        self.foreign: list[str] = []
        self.csp_headers: dict[str, str] = {}
        context.expose_function("__cspViolation", self._violation)
        context.add_init_script(WATCH_CSP)
        # Every request to another origin is recorded and aborted: the site must work
        # with nothing but itself (no CDN, no internet).
        context.route("**/*", self._route)

    def _violation(self, line: str) -> None:
        self.violations.append(line)

    def _route(self, route) -> None:
        url = route.request.url
        parts = urlsplit(url)
        if f"{parts.scheme}://{parts.netloc}" == self.origin:
            route.continue_()
        else:
            self.foreign.append(url)
            route.abort()

    def page(self, context):
        page = context.new_page()
        page.set_default_timeout(30_000)
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.console.append(f"pageerror {error}"))
        page.on("response", self._response)
        return page

    def _console(self, message) -> None:
        text = message.text
        if "Content Security Policy" in text or "Content-Security-Policy" in text:
            self.console.append(text)

    def _response(self, response) -> None:
        if response.request.resource_type == "document":
            path = urlsplit(response.url).path
            self.csp_headers[path] = response.headers.get("content-security-policy", "")

    def assert_clean(self) -> None:
        assert self.violations == []
        assert self.console == []
        assert self.foreign == []


def _visit(page, base: str, path: str, *, expect: str) -> None:
    response = page.goto(f"{base}{path}")
    assert response is not None
    assert response.status == 200, (path, response.status)
    page.wait_for_load_state("load")
    page.locator(expect).first.wait_for()


def _login(page, base: str, user) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", user.raw_password)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base}/")


def _images_loaded(page) -> int:
    return page.evaluate(
        "Array.from(document.querySelectorAll('figure.page img'))"
        ".filter((img) => img.complete && img.naturalWidth > 0).length"
    )


@pytest.mark.django_db(transaction=True)
def test_every_page_type_renders_under_the_csp(
    live_server, browser, make_user, make_document, categories, settings
):
    from wenku.accounts.services import api_token_create
    from wenku.documents.models import Document
    from wenku.search import public as search
    from wenku.wallet.services import wallet_grant

    settings.WALLET_PAYMENT_PROVIDER = "sandbox"
    base = live_server.url
    category = categories.filter(parent__isnull=False).first()
    member = make_user("reader")
    admin = make_user("boss", is_staff=True, is_superuser=True)
    own = make_document(title="我的讲稿", uploader=member, category=category)
    reader_doc = make_document(
        title="教育工作会议讲话",
        pages=[f"第{i}页：教育工作要坚持立德树人。" for i in range(1, 7)],
        free_pages=5,
        category=category,
    )
    priced = make_document(title="付费范文", price=5, category=category)
    for document in (own, reader_doc, priced):
        search.index_document(document)
    wallet_grant(user=member, amount=20, reason="测试")
    api_token_create(user=member)

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    watch = Watch(context, base)
    page = watch.page(context)

    # anonymous pages
    _visit(page, base, "/", expect="main")
    _visit(page, base, f"/c/{category.slug}/", expect="main")
    _visit(page, base, "/search?q=教育", expect=f"text={reader_doc.title}")
    _visit(page, base, "/accounts/register/", expect="#id_username")
    _visit(page, base, "/accounts/login/", expect="#id_username")

    # the reader: first page image, more pages loaded by reader.js, in-document search
    _visit(page, base, f"/documents/{reader_doc.number}/", expect="figure.page img")
    page.click("[data-more]")
    page.locator("figure.page[data-page='4']").wait_for()
    page.wait_for_function(
        "() => document.querySelectorAll('figure.page img').length === "
        "Array.from(document.querySelectorAll('figure.page img'))"
        ".filter((img) => { img.loading = 'eager'; "
        "return img.complete && img.naturalWidth > 0; }).length"
    )
    assert _images_loaded(page) == 4
    page.click("[data-zoom='1']")
    assert page.locator("[data-zoom-level]").inner_text() == "125%"
    page.fill("[data-docsearch] input[name=q]", "立德树人")
    page.click("[data-docsearch] button")
    page.locator("[data-docsearch-results] a").first.wait_for()

    # member pages
    _login(page, base, member)
    _visit(page, base, "/upload/", expect="input[type=file]")
    _visit(page, base, f"/documents/{reader_doc.number}/", expect="figure.page img")
    page.click("[data-action=favorite]")
    page.locator("[data-action=favorite]:has-text('已收藏')").wait_for()
    _visit(page, base, f"/documents/{priced.number}/buy/", expect="[data-price]")
    page.click("button:has-text('确认购买')")
    page.locator("text=购买成功").wait_for()
    _visit(page, base, "/me/", expect=f"text={own.title}")
    _visit(page, base, "/me/wallet/orders/", expect=f"text={priced.title}")
    _visit(page, base, "/me/favorites/", expect=f"text={reader_doc.title}")
    _visit(page, base, "/accounts/tokens/", expect="table.tokens")
    _visit(page, base, "/accounts/profile/", expect="main form")
    _visit(page, base, "/accounts/password/", expect="main form")
    _visit(page, base, "/me/wallet/", expect="[data-balance]")
    _visit(page, base, "/me/wallet/earnings/", expect="main")
    _visit(page, base, "/me/wallet/withdraw/", expect="main form")
    _visit(page, base, f"/documents/{own.number}/edit/", expect="main form")
    _visit(page, base, f"/documents/{reader_doc.number}/report/", expect="main form")

    # the unlist button asks first (data-confirm, no inline handler): dismissed, the
    # document stays
    _visit(page, base, "/me/", expect=f"text={own.title}")
    questions: list[str] = []

    def dismiss(dialog) -> None:
        questions.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", dismiss)
    page.click("form[data-confirm] button")
    assert questions == [
        "确定撤下这篇文档吗？撤下后其他人看不到它，已购买的读者仍可阅读和下载。"
    ]
    page.wait_for_timeout(300)  # a submission the dialog failed to stop would be gone
    assert page.url == f"{base}/me/"
    assert Document.objects.get(pk=own.pk).status == own.status

    # /api/docs: ninja's own Swagger UI, every request to another origin aborted
    _visit(page, base, "/api/docs", expect=".swagger-ui .opblock")
    page.locator(".opblock-summary-path", has_text="/api/search").first.wait_for()
    assert page.locator(".swagger-ui .opblock").count() >= 20
    context.close()

    admin_context = browser.new_context(viewport={"width": 1280, "height": 900})
    admin_watch = Watch(admin_context, base)
    admin_page = admin_watch.page(admin_context)
    _visit(admin_page, base, "/admin/login/", expect="#id_username")
    admin_page.fill("#id_username", admin.username)
    admin_page.fill("#id_password", admin.raw_password)
    admin_page.click("input[type=submit]")
    admin_page.wait_for_url(f"{base}/admin/")
    _visit(admin_page, base, "/admin/", expect="#content-main")
    admin_context.close()

    watch.assert_clean()
    admin_watch.assert_clean()
    expected = {
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'self'",
        "frame-ancestors 'none'",
        "form-action 'self'",
    }
    for headers in (watch.csp_headers, admin_watch.csp_headers):
        assert headers
        directives = {path: set(header.split("; ")) for path, header in headers.items()}
        assert directives == {path: expected for path in headers}


@pytest.mark.django_db(transaction=True)
def test_the_watch_sees_what_the_policy_blocks(live_server, browser):
    """The checks above can fail: an inline handler, an inline style and a foreign
    image on one of our pages are each reported."""
    context = browser.new_context()
    watch = Watch(context, live_server.url)
    page = watch.page(context)
    page.goto(f"{live_server.url}/accounts/login/")
    page.evaluate(
        """() => {
        document.body.insertAdjacentHTML("beforeend",
          '<p style="color:red">x</p><img src="/static/none.png" onerror="1">' +
          '<img src="http://192.0.2.1/x.png">');
    }"""
    )
    # (a function, not a string: a string predicate is eval'd, which the policy blocks)
    page.wait_for_function("() => true")
    page.wait_for_timeout(500)
    context.close()
    # (Chromium may report one blocked attribute more than once)
    directives = {line.split()[0] for line in watch.violations}
    assert directives == {"img-src", "script-src-attr", "style-src-attr"}
    assert watch.console  # Chromium also says so in the console
    assert watch.foreign == []  # blocked by the policy before any request was made


@pytest.mark.django_db(transaction=True)
def test_the_rate_limit_page_renders_under_the_csp(live_server, browser, settings):
    """The 429 page (templates/429.html) a flood of sign-ups gets."""
    from django.core.cache import cache

    settings.RATE_LIMITS_ENABLED = True
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "register": (1, 3600)}
    cache.clear()
    context = browser.new_context()
    watch = Watch(context, live_server.url)
    page = watch.page(context)
    statuses = []
    for name in ("first", "second"):
        page.goto(f"{live_server.url}/accounts/register/")
        page.fill("#id_username", name)
        page.fill("#id_password1", "Correct-horse-2024")
        page.fill("#id_password2", "Correct-horse-2024")
        with page.expect_navigation() as navigation:
            page.click("main button[type=submit]")
        statuses.append(navigation.value.status)
        if name == "first":
            page.context.clear_cookies()
    assert statuses == [200, 429]  # the first lands on the home page after 302
    page.locator("text=操作过于频繁").first.wait_for()
    assert "/ Too many requests: try again in " in page.content()
    context.close()
    cache.clear()
    watch.assert_clean()

"""Fill the English catalogue: msgids are Chinese (Chinese first); this maps them to English.

Run by `make messages` after makemessages; untranslated ids are listed so none is missed.
"""

from __future__ import annotations

import sys
from pathlib import Path

EN = {
    "第%(n)s页": "page %(n)s",
    "第%(n)s页 / 共%(total)s页": "Page %(n)s / %(total)s",
    "确定删除这篇文档吗？": "Delete this document?",
    "搜索文档标题或正文": "Search titles and full text",
    "搜索": "Search",
    "上传文档": "Upload",
    "个人中心": "My account",
    "退出": "Log out",
    "登录": "Log in",
    "注册": "Register",
    "首页": "Home",
    "工信部备案号": "ICP license",
    "文档分类": "Categories",
    "最新文档": "Newest documents",
    "热门下载": "Most downloaded",
    "还没有文档，快来上传第一篇吧。": "No documents yet. Upload the first one!",
    "暂无": "None yet",
    "当前位置": "You are here",
    "该分类下还没有文档。": "No documents in this category yet.",
    "页": " pages",
    "积分": " points",
    "免费": "Free",
    "次下载": " downloads",
    "已有账号？": "Already a member? ",
    "还没有账号？": "No account yet? ",
    "免费注册": "Register for free",
    "修改密码": "Change password",
    "保存": "Save",
    "个人资料": "Profile",
    "密码已修改": "Password changed",
    "返回首页": "Back to home",
    "注册成功，欢迎加入！": "Welcome! Your account is ready.",
    "资料已保存。": "Profile saved.",
    "昵称": "Display name",
    "简介": "About",
    "会员": "Member",
    "API 令牌": "API token",
    "搜索词": "Search term",
    # Site settings and categories
    "站点名称": "Site name",
    "标语": "Tagline",
    "页脚声明": "Footer notice",
    "联系方式": "Contact",
    "ICP备案号": "ICP license number",
    "默认免费预览页数": "Default free preview pages",
    "站点设置": "Site settings",
    "上级分类": "Parent category",
    "名称": "Name",
    "网址标识": "Slug",
    "排序": "Sort",
    "描述": "Description",
    "分类": "Category",
    "全部文档": "All documents",
    "浏览全部文档（按格式、页数筛选）": "Browse all documents (filter by format and length)",
    # Documents: admin, forms, model
    "下架所选文档": "Take down selected documents",
    "已下架": "Taken down",
    "恢复上架": "Restore selected documents",
    "已恢复": "Restored",
    "重新转换": "Convert again",
    "已重新提交转换": "Resubmitted for conversion",
    "标题": "Title",
    "留空则使用文件名": "Leave blank to use the file name",
    "请选择分类": "Choose a category",
    "标签": "Tags",
    "用逗号分隔": "Separate with commas",
    "价格（积分，0 为免费）": "Price (points, 0 = free)",
    "免费预览页数": "Free preview pages",
    "价格不能为负数": "The price can't be negative",
    "价格须为 0（免费）或 %(low)s–%(high)s 积分之间": (
        "The price must be 0 (free) or between %(low)s and %(high)s points"
    ),
    "选择文件": "Choose files",
    "我声明上传的文档为本人原创或已获授权，不侵犯他人版权": (
        "I confirm these documents are my own work or I have permission "
        "to share them, and they infringe no one's copyright"
    ),
    "请勾选版权声明 / Please confirm the copyright declaration": (
        "Please confirm the copyright declaration"
    ),
    "文档不存在或已删除": "The document doesn't exist or has been deleted",
    "文档信息已保存": "Document details saved",
    "文档已删除": "Document deleted",
    "转换中": "Converting",
    "已发布": "Published",
    "审核中": "In review",
    "转换失败": "Conversion failed",
    "已删除": "Deleted",
    "文档编号": "Document no.",
    "上传人": "Uploader",
    "原始文件": "Original file",
    "原始文件名": "Original file name",
    "格式": "Format",
    "大小": "Size",
    "价格（积分）": "Price (points)",
    "状态": "Status",
    "失败原因": "Failure reason",
    "页数": "Pages",
    "浏览": "Views",
    "下载": "Download",
    "上传时间": "Uploaded",
    "文档": "Document",
    # Document page and reader
    "评分": "Rating",
    "可在线阅读全部 %(total)s 页": "All %(total)s pages can be read online",
    "免费预览 %(free)s 页 / 共 %(total)s 页": "Free preview: %(free)s of %(total)s pages",
    "下载价格 %(price)s 积分": "Download price: %(price)s points",
    "免费下载": "Free download",
    "返回": "Back",
    "相关": "Related",
    "举报": "Report",
    "已收藏": "Favorited",
    "收藏": "Favorite",
    "在线阅读": "Read online",
    "缩小": "Zoom out",
    "放大": "Zoom in",
    "跳到第": "Go to page",
    "跳转": "Go",
    "在本文档中搜索": "Search this document",
    "查找": "Find",
    "点击查看更多": "Show more",
    "还剩 %(rest)s 页未读": "%(rest)s more pages to read",
    "购买后可阅读全文并下载（%(price)s 积分）": (
        "buy it to read it all and download (%(price)s points)"
    ),
    "下载后可阅读全文（免费）": "download it to read it all (free)",
    "购买并下载": "Buy and download",
    "资源描述": "Description",
    "展开阅读全文": "Show full text",
    "以上为前 %(free)s 页的文字内容": "The text above is from the first %(free)s pages",
    "星": "stars",
    "相关资源": "Related documents",
    "暂无相关文档": "No related documents",
    "相关搜索": "Related searches",
    # Member center: uploads, favorites
    "编辑文档": "Edit document",
    "我的收藏": "My favorites",
    "还没有收藏的文档。": "No favorites yet.",
    "我的上传": "My uploads",
    "收益": "Earnings",
    "价格": "Price",
    "编辑": "Edit",
    "删除": "Delete",
    "你还没有上传文档。": "You haven't uploaded any documents yet.",
    # Upload
    "支持 Word、WPS、Excel、PowerPoint、PDF、TXT 等格式，单个文件不超过 %(max_mb)s MB。可一次选择多个文件。": (
        "Word, WPS, Excel, PowerPoint, PDF, TXT and other formats are supported, "
        "up to %(max_mb)s MB per file. You can choose several files at once."
    ),
    "已上传，正在转换": "Uploaded, now converting",
    "查看已有文档": "View the existing document",
    "开始上传": "Start upload",
    "文件超过 %(mb)s MB 上限 / File is larger than %(mb)s MB": (
        "The file is larger than %(mb)s MB"
    ),
    # Document views
    "参数无效 / Invalid parameters": "Invalid parameters",
    "该页需购买后查看 / Buy the document to view this page": (
        "Buy the document to view this page"
    ),
    "页面不存在": "Page not found",
    "没有封面": "No cover",
    "已取消收藏": "Removed from favorites",
    "请选择 1 到 5 星 / Choose 1 to 5 stars": "Choose 1 to 5 stars",
    "文档尚未发布，不能评分": "This document isn't published yet, so it can't be rated",
    "感谢评分！": "Thanks for rating!",
    # Moderation
    "成立：下架文档": "Uphold: take down the document",
    "已下架所选举报的文档": "The reported documents have been taken down",
    "驳回举报": "Dismiss reports",
    "已驳回所选举报": "The selected reports have been dismissed",
    "举报原因": "Reason",
    "详细说明": "Details",
    "侵权投诉请说明权利人、作品名称及权属证明": (
        "For copyright complaints, name the rights holder and the work, "
        "and give proof of ownership"
    ),
    "联系方式（邮箱或电话）": "Contact (email or phone)",
    "侵权投诉需留下联系方式，以便核实 / Contact is required": (
        "Copyright complaints need contact details so we can verify them"
    ),
    "侵权": "Copyright infringement",
    "色情": "Pornography",
    "违法": "Illegal content",
    "广告": "Spam or advertising",
    "内容与标题不符": "Content doesn't match the title",
    "其他": "Other",
    "待处理": "Open",
    "已驳回": "Dismissed",
    "举报人": "Reporter",
    "处理状态": "Status",
    "处理说明": "Resolution note",
    "举报时间": "Reported at",
    "审核记录": "Moderation log",
    "举报文档": "Report document",
    "提交举报": "Submit report",
    "举报已提交，我们会尽快核实处理。": (
        "Report submitted. We'll look into it as soon as we can."
    ),
    # Search
    "查询": "Query",
    "次数": "Count",
    "最近搜索": "Last searched",
    "搜索结果": "Search results",
    "筛选": "Filters",
    "全部": "All",
    "不限": "Any",
    "请输入要搜索的文档标题或正文内容。": "Type words from a document's title or text to search.",
    "没有找到与“%(query)s”相关的文档。请换个说法，或减少关键词。": (
        "No documents found for “%(query)s”. Try other words, or fewer of them."
    ),
    "第%(page)s页有匹配": "Match on page %(page)s",
    "购买后可查看": "buy to view",
    "%(n)s页": "%(n)s pages",
    "%(p)s积分": "%(p)s points",
    "下载 %(d)s": "%(d)s downloads",
    "分页": "Pagination",
    "上一页": "Previous",
    "下一页": "Next",
    "没有符合条件的文档。": "No documents match these filters.",
    "第 %(n)s / %(total)s 页": "Page %(n)s of %(total)s",
    # Member navigation
    "我的购买": "My purchases",
    "积分钱包": "Points wallet",
    "文档收益": "Earnings",
    "提现": "Withdraw",
    # Wallet forms
    "充值金额（元）": "Top-up amount (CNY)",
    "提现积分": "Points to withdraw",
    "收款账户": "Payee account",
    "如：支付宝 138****0000 张三": "e.g. Alipay 138****0000 Zhang San",
    "会员用户名": "Member username",
    "积分（负数为扣减）": "Points (negative to deduct)",
    "原因": "Reason",
    "没有这个会员": "No such member",
    "积分不能为 0": "Points can't be 0",
    # Wallet: accounts and ledger
    "会员钱包": "Member wallet",
    "平台收入": "Platform revenue",
    "平台赠送": "Platform grants",
    "支付清算": "Payment clearing",
    "提现冻结": "Withdrawal hold",
    "已提现": "Withdrawn",
    "类型": "Type",
    "余额": "Balance",
    "账户": "Account",
    "注册奖励": "Sign-up bonus",
    "每日签到": "Daily check-in",
    "上传奖励": "Upload reward",
    "撤销上传奖励": "Upload reward reversed",
    "充值": "Top up",
    "购买": "Buy",
    "退款": "Refunds",
    "管理员调整": "Admin adjustment",
    "提现已支付": "Withdrawal paid out",
    "提现被拒退回": "Withdrawal rejected, points returned",
    "幂等键": "Idempotency key",
    "说明": "Description",
    "操作人": "Performed by",
    "时间": "Time",
    "转账": "Transfer",
    "金额": "Amount",
    "变动后余额": "Balance after",
    "分录": "Ledger entry",
    # Wallet: points rules
    "注册奖励积分": "Sign-up bonus (points)",
    "每日签到积分": "Daily check-in (points)",
    "上传发布奖励积分": "Upload reward on publishing (points)",
    "删除文档撤销奖励期限（天）": "Upload reward clawback period (days)",
    "上传者在发布后这么多天内删除文档，则收回上传奖励。": (
        "If the uploader deletes a document within this many days of publishing, "
        "the upload reward is taken back."
    ),
    "最低售价（积分）": "Minimum price (points)",
    "最高售价（积分）": "Maximum price (points)",
    "平台佣金（%）": "Platform commission (%)",
    "0 表示售价全部归上传者。": "0 means the uploader keeps the whole price.",
    "每位会员每日免费下载次数": "Free downloads per member per day",
    "每个 IP 每日免费下载次数": "Free downloads per IP address per day",
    "每元兑换积分": "Points per CNY",
    "最低充值（元）": "Minimum top-up (CNY)",
    "最高充值（元）": "Maximum top-up (CNY)",
    "最低提现积分": "Minimum withdrawal (points)",
    "积分规则": "Points rules",
    # Wallet: purchases, top-ups, payment notifications, withdrawals, audit
    "已购买": "Purchased",
    "已退款": "Refunded",
    "买家": "Buyer",
    "卖家": "Seller",
    "平台佣金": "Platform commission",
    "购买时间": "Purchased at",
    "退款时间": "Refunded at",
    "购买订单": "Purchase",
    "待支付": "Awaiting payment",
    "已到账": "Paid",
    "订单号": "Order no.",
    "支付渠道": "Payment provider",
    "金额（分）": "Amount (fen)",
    "渠道交易号": "Provider transaction ID",
    "创建时间": "Created at",
    "到账时间": "Paid at",
    "充值订单": "Top-up order",
    "已入账": "Credited",
    "重复通知（未重复入账）": "Duplicate notification (not credited twice)",
    "签名无效": "Invalid signature",
    "订单不存在": "Order not found",
    "金额或渠道不符": "Amount or provider mismatch",
    "过期或重放": "Expired or replayed",
    "格式错误": "Malformed",
    "支付通知": "Payment notification",
    "待审核": "Pending review",
    "已打款": "Paid out",
    "已拒绝": "Rejected",
    "审核人": "Reviewer",
    "备注": "Note",
    "申请时间": "Requested at",
    "审核时间": "Reviewed at",
    "提现申请": "Withdrawal request",
    "操作": "Action",
    "涉及会员": "Member",
    "详情": "Details",
    "资金审计日志": "Funds audit log",
    # Wallet pages
    "我的余额": "My balance",
    "去充值": "Top up",
    "您已购买此文档，可随时免费下载。": (
        "You've bought this document and can download it again for free at any time."
    ),
    "这是您上传的文档。": "You uploaded this document.",
    "免费文档，可直接下载。": "This document is free to download.",
    "确认购买（%(p)s 积分）": "Buy now (%(p)s points)",
    "余额不足？": "Not enough points?",
    "购买后永久有效，可随时免费重新下载。": (
        "Purchases never expire: download again for free at any time."
    ),
    "累计净收益": "Total net earnings",
    "售出": "Sold",
    "净收益": "Net earnings",
    "还没有售出的文档。": "No documents sold yet.",
    "积分余额": "Points balance",
    "积分可用于购买下载文档": "Use points to buy and download documents",
    "今日已签到": "Checked in today",
    "签到领 %(n)s 积分": "Check in for %(n)s points",
    "金额（元）": "Amount (CNY)",
    "去支付": "Pay",
    "1 元 = %(r)s 积分 · 支付方式：%(p)s": "1 CNY = %(r)s points · Payment method: %(p)s",
    "充值暂不可用": "Top-ups are unavailable right now",
    "积分明细": "Points history",
    "变动": "Change",
    "还没有积分记录。": "No points activity yet.",
    "我的订单": "My orders",
    "已购文档": "Purchased documents",
    "还没有购买过文档。": "You haven't bought any documents yet.",
    "充值记录": "Top-up history",
    "暂无充值记录。": "No top-ups yet.",
    "充值结果": "Top-up status",
    "当前余额": "Current balance",
    "充值成功，积分已到账。": "Top-up complete: the points are in your wallet.",
    "返回积分钱包": "Back to wallet",
    "正在等待支付结果，本页会自动刷新……": (
        "Waiting for the payment to be confirmed. This page refreshes automatically…"
    ),
    "无法下载": "Can't download",
    "沙箱支付": "Sandbox payment",
    "沙箱支付（开发测试用，不会产生真实扣款）": (
        "Sandbox payment (for development and testing; no real money is charged)"
    ),
    "确认支付": "Confirm payment",
    "申请提现": "Request a withdrawal",
    "可提现": "Withdrawable",
    "仅出售文档所得积分可提现，最低 %(m)s 积分。提交后积分冻结，审核通过后打款，拒绝则退回。": (
        "Only points earned from selling documents can be withdrawn, at least "
        "%(m)s points at a time. Requested points are held until the request is "
        "reviewed: paid out if approved, returned if rejected."
    ),
    "提交申请": "Submit request",
    "提现记录": "Withdrawal history",
    "暂无提现记录。": "No withdrawals yet.",
    # Runtime labels passed to {% translate label %} (see RUNTIME below)
    "相关度": "Relevance",
    "最新": "Newest",
    "下载最多": "Most downloaded",
    "付费": "Paid",
    "最多下载": "Most downloaded",
    "最多浏览": "Most viewed",
    "全部格式": "All formats",
    "不限页数": "Any length",
    "1-5页": "1–5 pages",
    "6-20页": "6–20 pages",
    "21-100页": "21–100 pages",
    "100+页": "100+ pages",
}

# Plural entries ({% blocktranslate count %}): msgid → (singular, plural).
EN_PLURAL = {
    "找到 %(total)s 个相关文档": (
        "%(total)s matching document",
        "%(total)s matching documents",
    ),
}

# Labels that live in Python constants (wenku/core/listing.py SORTS, the "全部格式" /
# "不限页数" / "{key}页" page-range links; wenku/search/views.py SORT_LABELS,
# PRICE_LABELS) and are only translated at render time by `{% translate label %}`.
# makemessages can't see them, so they are added to the catalogue here.
RUNTIME = (
    "相关度",
    "最新",
    "下载最多",
    "付费",
    "最多下载",
    "最多浏览",
    "全部格式",
    "不限页数",
    "1-5页",
    "6-20页",
    "21-100页",
    "100+页",
)


def fill(po_path: Path) -> list[str]:
    """Fill msgstr from EN / EN_PLURAL; return the ids still untranslated.

    Fuzzy entries (makemessages' guesses from a similar msgid) count as
    untranslated: compilemessages leaves them out of the .mo.
    """
    import polib  # type: ignore[import-not-found]

    catalogue = polib.pofile(str(po_path))
    catalogue.metadata["Language"] = "en"
    for msgid in RUNTIME:
        entry = catalogue.find(msgid, include_obsolete_entries=True)
        if entry is None:
            catalogue.append(
                polib.POEntry(msgid=msgid, msgstr="", tcomment="runtime label")
            )
        elif entry.obsolete:
            entry.obsolete = False
    missing = []
    for entry in catalogue:
        if entry.obsolete:
            continue
        if entry.msgid_plural and entry.msgid in EN_PLURAL:
            one, other = EN_PLURAL[entry.msgid]
            entry.msgstr_plural = {0: one, 1: other}
        elif not entry.msgid_plural and entry.msgid in EN:
            entry.msgstr = EN[entry.msgid]
        elif "fuzzy" not in entry.flags and (
            all(entry.msgstr_plural.values()) if entry.msgid_plural else entry.msgstr
        ):
            continue  # translated by hand in the .po
        else:
            missing.append(entry.msgid)
            continue
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
        entry.previous_msgid = entry.previous_msgid_plural = None
    catalogue.save()
    return missing


if __name__ == "__main__":
    missing = fill(Path(sys.argv[1]))
    for msgid in missing:
        print(f"untranslated: {msgid!r}")

"""Fill the English catalogue: msgids are Chinese (Chinese first); this maps them to English.

Run by `make messages` after makemessages; untranslated ids are listed so none is missed.
"""

from __future__ import annotations

import sys
from pathlib import Path

EN = {
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
}


def fill(po_path: Path) -> list[str]:
    import polib  # type: ignore[import-not-found]

    catalogue = polib.pofile(str(po_path))
    missing = []
    for entry in catalogue:
        if entry.msgid in EN:
            entry.msgstr = EN[entry.msgid]
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
        elif not entry.msgstr:
            missing.append(entry.msgid)
    catalogue.save()
    return missing


if __name__ == "__main__":
    missing = fill(Path(sys.argv[1]))
    for msgid in missing:
        print(f"untranslated: {msgid!r}")

"""Chinese font faces → installed Simplified-Chinese faces (fontconfig + LibreOffice).

Out of the box LibreOffice falls back to the Japanese variant of Noto CJK, so Chinese
documents naming 宋体 or 黑体 get Japanese glyph shapes. One table feeds both the
fontconfig file given to soffice (FONTCONFIG_FILE) and the profile's replacement table.
"""

from __future__ import annotations

from xml.sax.saxutils import escape

SERIF_SC = "Noto Serif CJK SC"
SANS_SC = "Noto Sans CJK SC"
MONO_SC = "Noto Sans Mono CJK SC"
KAI_SC = "AR PL UKai CN"

FACES: dict[str, tuple[str, ...]] = {
    SERIF_SC: (
        "宋体",
        "SimSun",
        "新宋体",
        "NSimSun",
        "宋体-PUA",
        "SimSun-ExtB",
        "华文宋体",
        "STSong",
        "华文中宋",
        "STZhongsong",
        "方正书宋_GBK",
        "方正书宋简体",
        "方正小标宋简体",
        "方正小标宋_GBK",
        "小标宋",
        "Songti SC",
        "思源宋体",
        "Source Han Serif SC",
        "Source Han Serif CN",
        "仿宋",
        "FangSong",
        "仿宋_GB2312",
        "FangSong_GB2312",
        "华文仿宋",
        "STFangsong",
        "方正仿宋_GBK",
        "方正仿宋简体",
        "宋体-方正超大字符集",
        "Adobe 宋体 Std L",
        "Adobe Song Std",
    ),
    SANS_SC: (
        "黑体",
        "SimHei",
        "微软雅黑",
        "Microsoft YaHei",
        "Microsoft YaHei UI",
        "微软雅黑 Light",
        "等线",
        "DengXian",
        "等线 Light",
        "DengXian Light",
        "华文细黑",
        "STXihei",
        "华文黑体",
        "STHeiti",
        "苹方",
        "PingFang SC",
        "方正黑体_GBK",
        "方正黑体简体",
        "Heiti SC",
        "思源黑体",
        "Source Han Sans SC",
        "Source Han Sans CN",
        "幼圆",
        "YouYuan",
        "Adobe 黑体 Std R",
        "Adobe Heiti Std",
        "文泉驿微米黑",
        "WenQuanYi Micro Hei",
        "文泉驿正黑",
        "WenQuanYi Zen Hei",
    ),
    KAI_SC: (
        "楷体",
        "KaiTi",
        "楷体_GB2312",
        "KaiTi_GB2312",
        "华文楷体",
        "STKaiti",
        "方正楷体_GBK",
        "方正楷体简体",
        "Kaiti SC",
        "隶书",
        "LiSu",
        "华文隶书",
        "STLiti",
        "华文行楷",
        "STXingkai",
        "华文新魏",
        "STXinwei",
        "方正舒体",
        "FZShuTi",
        "方正姚体",
        "FZYaoTi",
        "Adobe 楷体 Std R",
        "Adobe Kaiti Std",
    ),
}

GENERIC: dict[str, str] = {
    "serif": SERIF_SC,
    "sans-serif": SANS_SC,
    "monospace": MONO_SC,
}


def replacements() -> list[tuple[str, str]]:
    """(face a document names, face used instead), every entry of FACES."""
    return [(name, target) for target, names in FACES.items() for name in names]


def fontconfig_xml(system_config: str = "/etc/fonts/fonts.conf") -> str:
    """A fonts.conf: the system configuration plus Wenku's Chinese face mapping."""
    rules = [
        '<?xml version="1.0"?>',
        '<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">',
        "<fontconfig>",
        f'  <include ignore_missing="yes">{escape(system_config)}</include>',
    ]
    for name, target in replacements():
        rules.append(
            '  <match target="pattern"><test name="family" qual="any">'
            f"<string>{escape(name)}</string></test>"
            '<edit name="family" mode="prepend" binding="strong">'
            f"<string>{escape(target)}</string></edit></match>"
        )
    # Han text in a face without Han glyphs falls back here: Simplified before
    # Japanese, whatever language the document declares.
    for generic, target in GENERIC.items():
        rules.append(
            f"  <alias><family>{generic}</family><prefer>"
            f"<family>{escape(target)}</family></prefer></alias>"
        )
    rules.append(
        '  <match target="pattern"><test name="lang" compare="contains"><string>zh</string>'
        '</test><edit name="family" mode="append"><string>'
        f"{SANS_SC}</string></edit></match>"
    )
    rules.append(
        '  <match target="pattern"><edit name="family" mode="append_last">'
        f"<string>{SANS_SC}</string></edit></match>"
    )
    rules.append("</fontconfig>")
    return "\n".join(rules) + "\n"


def profile_font_pairs() -> str:
    """registrymodifications.xcu items for LibreOffice's font replacement table."""
    items = []
    for index, (name, target) in enumerate(replacements()):
        path = (
            "/org.openoffice.Office.Common/Font/Substitution/FontPairs"
            f"/org.openoffice.Office.Common:FontReplacement['_{index}']"
        )
        for key, value in (
            ("Always", "true"),
            ("OnScreenOnly", "false"),
            ("ReplaceFont", escape(name)),
            ("SubstituteFont", escape(target)),
        ):
            items.append(
                f'<item oor:path="{path}"><prop oor:name="{key}" oor:op="fuse">'
                f"<value>{value}</value></prop></item>"
            )
    return "\n".join(items)

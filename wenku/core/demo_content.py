"""Demo categories and documents the project writes itself (no external files needed)."""

from __future__ import annotations

import io
import zipfile
from xml.sax.saxutils import escape

# (Chinese name, English name, slug, children as (Chinese name, English name, slug))
CATEGORY_TREE: list[tuple[str, str, str, list[tuple[str, str, str]]]] = [
    (
        "应用文书",
        "Practical writing",
        "yingyong-wenshu",
        [
            ("汇报体会", "Reports and reflections", "huibao-tihui"),
            ("工作总结", "Work summaries", "gongzuo-zongjie"),
            ("讲话致辞", "Speeches", "jianghua-zhici"),
            ("合同协议", "Contracts and agreements", "hetong-xieyi"),
            ("规章制度", "Rules and regulations", "guizhang-zhidu"),
        ],
    ),
    (
        "教育专区",
        "Education",
        "jiaoyu",
        [
            ("教案课件", "Lesson plans and slides", "jiaoan-kejian"),
            ("试题试卷", "Exams and exercises", "shiti-shijuan"),
            ("教育管理", "School management", "jiaoyu-guanli"),
        ],
    ),
    (
        "行业资料",
        "Industry",
        "hangye",
        [
            ("工程建筑", "Engineering and construction", "gongcheng-jianzhu"),
            ("财务会计", "Finance and accounting", "caiwu-kuaiji"),
            ("医药卫生", "Medicine and health", "yiyao-weisheng"),
        ],
    ),
    (
        "技术资料",
        "Technology",
        "jishu",
        [
            ("计算机", "Computing", "jisuanji"),
            ("电子电气", "Electronics and electrical", "dianzi-dianqi"),
        ],
    ),
    (
        "生活休闲",
        "Leisure",
        "shenghuo",
        [
            ("旅游攻略", "Travel guides", "lvyou-gonglve"),
            ("健康养生", "Wellbeing", "jiankang-yangsheng"),
        ],
    ),
]

# (file name, category slug, price, paragraphs)
DEMO_DOCUMENTS: list[tuple[str, str, int, list[str]]] = [
    (
        "2023年全县教育工作总结.docx",
        "gongzuo-zongjie",
        0,
        [
            "2023年全县教育工作总结",
            "今年以来，全县教育系统坚持立德树人根本任务，推进教育高质量发展，"
            "基础教育、职业教育和教师队伍建设取得新进展。",
            "一、强化党建引领。各学校把党建工作与教育教学深度融合，开展主题教育活动，"
            "提升基层党组织的组织力。",
            "二、推进课程改革。全县中小学全面落实新课程方案，教研部门深入课堂听课评课，"
            "教学质量稳步提升。",
            "三、加强校园安全。建立校长每日巡校制度，完善应急预案，开展安全教育进课堂活动，"
            "全年未发生重大安全事故。",
            "四、建设教师队伍。实施名师工程，组织教师培训，提升教师专业水平和教学能力。",
        ],
    ),
    (
        "中学教师培训心得体会.docx",
        "huibao-tihui",
        2,
        [
            "中学教师培训心得体会",
            "这次教师培训让我对新时代教育工作有了更深的认识。教育是国之大计、党之大计，"
            "教师是立教之本、兴教之源。",
            "培训中，专家围绕课堂教学改革、学生核心素养和校园安全管理作了精彩报告。"
            "我体会到，教师要深入了解学生、深刻领会教法，做学生成长的引路人。",
            "今后我将把培训所学运用到教学实践中，不断提高教育教学质量。",
        ],
    ),
    (
        "旅游景区安全管理制度.docx",
        "guizhang-zhidu",
        0,
        [
            "旅游景区安全管理制度",
            "第一条 为加强景区安全管理，保障游客生命财产安全，制定本制度。",
            "第二条 景区实行安全责任制，各部门负责人为本部门安全第一责任人。",
            "第三条 景区每日开园前进行安全巡查，发现隐患立即整改，并做好记录。",
            "第四条 节假日游客高峰期间，景区应启动限流措施，确保游览秩序。",
        ],
    ),
    (
        "Python编程入门讲义.docx",
        "jisuanji",
        5,
        [
            "Python编程入门讲义",
            "Python 是一种简洁易学的编程语言，广泛用于数据分析、网站开发和自动化运维。",
            "第一讲 变量与数据类型：整数、浮点数、字符串、列表和字典。",
            "第二讲 流程控制：if 条件判断、for 循环与 while 循环。",
            "第三讲 函数与模块：使用 def 定义函数，使用 import 导入模块。",
        ],
    ),
]


def make_docx(paragraphs: list[str]) -> bytes:
    """A minimal, valid WordprocessingML document with Chinese text (zh-CN, 宋体)."""
    body = []
    for index, text in enumerate(paragraphs):
        size = "44" if index == 0 else "24"
        align = '<w:jc w:val="center"/>' if index == 0 else ""
        body.append(
            f"<w:p><w:pPr>{align}</w:pPr><w:r><w:rPr>"
            '<w:rFonts w:ascii="Times New Roman" w:eastAsia="宋体" w:hAnsi="Times New Roman"/>'
            f'<w:sz w:val="{size}"/><w:lang w:val="en-US" w:eastAsia="zh-CN"/></w:rPr>'
            f'<w:t xml:space="preserve">{escape(text)}</w:t></w:r></w:p>'
        )
    document = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        f'<w:body>{"".join(body)}<w:sectPr><w:pgSz w:w="11906" w:h="16838"/>'
        '<w:pgMar w:top="1440" w:right="1800" w:bottom="1440" w:left="1800"/></w:sectPr>'
        "</w:body></w:document>"
    )
    content_types = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/word/document.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
    )
    rels = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/officeDocument" Target="word/document.xml"/></Relationships>'
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", content_types)
        archive.writestr("_rels/.rels", rels)
        archive.writestr("word/document.xml", document)
    return buffer.getvalue()

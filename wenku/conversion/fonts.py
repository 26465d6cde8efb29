"""Chinese font faces → installed Simplified-Chinese faces (fontconfig + LibreOffice).

Out of the box LibreOffice falls back to the Japanese variant of Noto CJK, so Chinese
documents naming 宋体 or 黑体 get Japanese glyph shapes. One table feeds both the
fontconfig file given to soffice (FONTCONFIG_FILE) and the profile's replacement table.

Debian ships Noto CJK as collections (.ttc) whose faces share one CFF table named
after the Japanese face, and LibreOffice names the font it embeds in a PDF after that
table (`NotoSansCJKjp-Regular`) whichever face it used. `prepare_faces()` therefore
extracts the SC and TC faces we use into standalone .otf files whose CFF names say
`…CJKsc…`/`…CJKtc…`, and fontconfig_xml() gives soffice those files instead of the
collections.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import os
import struct
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape

if TYPE_CHECKING:
    from fontTools.ttLib import TTFont

logger = logging.getLogger(__name__)

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


def fontconfig_xml(
    system_config: str = "/etc/fonts/fonts.conf", faces: Faces | None = None
) -> str:
    """A fonts.conf: the system configuration plus Wenku's Chinese face mapping.

    With `faces` (from prepare_faces), soffice sees the extracted Noto CJK faces and
    not the collections they came from."""
    rules = [
        '<?xml version="1.0"?>',
        '<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">',
        "<fontconfig>",
    ]
    if faces is not None:
        # First, so fontconfig keeps its scan of our folder here rather than in the
        # throwaway HOME of each soffice.
        rules.append(f"  <cachedir>{escape(str(faces.fc_cache))}</cachedir>")
    rules.append(f'  <include ignore_missing="yes">{escape(system_config)}</include>')
    if faces is not None:
        rules.append(f"  <dir>{escape(str(faces.directory))}</dir>")
        rules.append("  <selectfont><rejectfont>")
        rules.extend(f"    <glob>{escape(str(path))}</glob>" for path in faces.replaced)
        rules.append("  </rejectfont></selectfont>")
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


# --- Standalone SC/TC faces out of Debian's Noto CJK collections -------------------

FONT_ROOTS = ("/usr/share/fonts", "/usr/local/share/fonts")
COLLECTION_GLOB = "Noto*CJK*.ttc"
EXTRACT_FAMILIES = (
    SANS_SC,
    SERIF_SC,
    MONO_SC,
    "Noto Sans CJK TC",
    "Noto Serif CJK TC",
)
EXTRACT_STYLES = ("Regular", "Bold")
MANIFEST_VERSION = 1


@dataclass(frozen=True)
class Faces:
    """Extracted faces ready for soffice: where they are, what they replace."""

    directory: Path
    fc_cache: Path
    files: tuple[str, ...]
    replaced: tuple[Path, ...]


def cache_dir(explicit: str = "") -> Path:
    """`explicit` (WENKU_FONT_CACHE, passed in), else $XDG_CACHE_HOME/wenku/fonts
    (~/.cache/wenku/fonts), else a private folder under the temporary directory."""
    candidates = [Path(explicit)] if explicit else []
    xdg = os.environ.get("XDG_CACHE_HOME")
    with contextlib.suppress(RuntimeError):
        candidates.append(Path(xdg) if xdg else Path.home() / ".cache")
        candidates[-1] = candidates[-1] / "wenku" / "fonts"
    candidates.append(Path(tempfile.gettempdir()) / f"wenku-fonts-{os.getuid()}")
    for candidate in candidates:
        try:
            candidate.mkdir(parents=True, exist_ok=True, mode=0o700)
        except OSError:
            continue
        info = candidate.stat()
        if info.st_uid == os.getuid() and os.access(candidate, os.W_OK | os.X_OK):
            return candidate
    raise OSError("no writable folder for the extracted fonts")


def collections() -> list[Path]:
    """The installed Noto CJK collections (Debian: fonts-noto-cjk, -extra)."""
    found: set[Path] = set()
    for root in FONT_ROOTS:
        if Path(root).is_dir():
            found.update(Path(root).rglob(COLLECTION_GLOB))
    return sorted(found)


def _stamp(paths: list[Path]) -> dict[str, list[int]]:
    stamps = {}
    for path in paths:
        info = path.stat()
        stamps[str(path)] = [info.st_size, info.st_mtime_ns]
    return stamps


def prepare_faces(directory: Path | None = None, *, cache: str = "") -> Faces | None:
    """Extract the SC/TC faces once (idempotent, safe across processes).

    Returns None when there is nothing to extract (no Noto CJK collections) or
    extraction failed: soffice then gets the collections as they are."""
    sources = collections()
    if not sources:
        return None
    try:
        root = directory or cache_dir(cache)
        faces_dir = root / "faces"
        fc_cache = root / "fc-cache"
        stamps = _stamp(sources)
        files = _current(root, faces_dir, stamps)
        if files is None:
            faces_dir.mkdir(parents=True, exist_ok=True)
            fc_cache.mkdir(exist_ok=True)
            with (root / ".lock").open("a") as lock:
                fcntl.flock(lock, fcntl.LOCK_EX)  # other workers wait, then reuse
                files = _current(root, faces_dir, stamps)
                if files is None:
                    files = _extract_all(root, faces_dir, sources, stamps)
    except Exception:  # a broken font must not stop conversions
        logger.exception("could not extract the Noto CJK SC faces")
        return None
    if not files:
        return None
    return Faces(faces_dir, fc_cache, tuple(files), tuple(sources))


def _current(
    root: Path, faces_dir: Path, stamps: dict[str, list[int]]
) -> list[str] | None:
    """The extracted files, if the manifest matches the installed collections."""
    try:
        manifest = json.loads((root / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if manifest.get("version") != MANIFEST_VERSION or manifest.get("sources") != stamps:
        return None
    files = list(manifest.get("files", []))
    if not all((faces_dir / name).is_file() for name in files):
        return None
    return files


def _extract_all(
    root: Path, faces_dir: Path, sources: list[Path], stamps: dict[str, list[int]]
) -> list[str]:
    from fontTools.ttLib import TTCollection

    files: list[str] = []
    for source in sources:
        if source.stem.rsplit("-", 1)[-1] not in EXTRACT_STYLES:
            continue
        collection = TTCollection(str(source), lazy=True)
        for font in collection.fonts:
            name = font["name"]
            family = name.getDebugName(16) or name.getDebugName(1)
            postscript = name.getDebugName(6)
            if family not in EXTRACT_FAMILIES or not postscript or "CFF " not in font:
                continue
            target = faces_dir / f"{postscript}.otf"
            _extract_face(font, family, target)
            files.append(target.name)
    for stale in faces_dir.glob("*.otf"):
        if stale.name not in files:
            stale.unlink()
    _write_atomically(
        root / "manifest.json",
        json.dumps(
            {"version": MANIFEST_VERSION, "sources": stamps, "files": files}
        ).encode(),
    )
    logger.info("extracted %d Noto CJK faces into %s", len(files), faces_dir)
    return files


def _extract_face(font: TTFont, family: str, target: Path) -> None:
    """Save one face of a collection as a standalone .otf named after that face.

    The CFF table is copied as it is except for its names (Name INDEX, String INDEX:
    FontName, FullName, FamilyName and the FDArray names), which the shared table has
    from the JP face: `…CJKjp…` becomes `…CJKsc…`. Same length, so no offset moves and
    nothing else in the table is rewritten (recompiling it takes half a minute)."""
    from fontTools.ttLib.tables.DefaultTable import DefaultTable

    region = family.rsplit(" ", 1)[-1]  # SC, TC
    pairs = [
        (b"CJKjp-", f"CJK{region.lower()}-".encode()),
        (b"CJK JP", f"CJK {region}".encode()),
    ]
    cff = DefaultTable("CFF ")
    cff.data = rename_cff(font.reader["CFF "], pairs)
    font["CFF "] = cff
    font.recalcBBoxes = False  # would need the CFF table decompiled
    font.recalcTimestamp = False
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
    try:
        with os.fdopen(fd, "wb") as out:
            font.save(out, reorderTables=False)
            out.flush()
            os.fsync(out.fileno())
        Path(tmp).chmod(0o644)
        Path(tmp).replace(target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _index_end(data: bytes, start: int) -> int:
    """Where the CFF INDEX that starts at `start` ends."""
    (count,) = struct.unpack_from(">H", data, start)
    if count == 0:
        return start + 2
    off_size = data[start + 2]
    offsets = start + 3
    data_start = offsets + (count + 1) * off_size
    last = int.from_bytes(data[data_start - off_size : data_start], "big")
    return data_start - 1 + last  # offsets count from 1


def rename_cff(data: bytes, pairs: list[tuple[bytes, bytes]]) -> bytes:
    """`data` (a CFF table) with same-length replacements in its Name and String
    INDEXes only (never in charstrings or subroutines)."""
    if any(len(old) != len(new) for old, new in pairs):
        raise ValueError("CFF names can only be replaced by names of the same length")
    header_size = data[2]
    name_end = _index_end(data, header_size)
    top_end = _index_end(data, name_end)
    strings_end = _index_end(data, top_end)
    out = bytearray(data)
    for start, end in ((header_size, name_end), (top_end, strings_end)):
        segment = bytes(out[start:end])
        for old, new in pairs:
            segment = segment.replace(old, new)
        out[start:end] = segment
    return bytes(out)


def _write_atomically(path: Path, content: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(content)
        Path(tmp).replace(path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


if __name__ == "__main__":  # python -m wenku.conversion.fonts: extract ahead of time
    logging.basicConfig(level=logging.INFO)
    prepared = prepare_faces()
    print(prepared.directory if prepared else "no Noto CJK collections to extract")

"""Wenku's fonts.conf and the SC faces extracted from Debian's Noto CJK collections."""

from __future__ import annotations

import multiprocessing
import os
from pathlib import Path

import pytest

from wenku.conversion import fonts
from wenku.conversion.limits import context_from_settings


def cff_sample(names: list[bytes], strings: list[bytes]) -> bytes:
    """A CFF table's head: header, Name INDEX, empty Top DICT INDEX, String INDEX,
    then bytes that contain a name (as a charstring might) and must not change."""

    def index(items: list[bytes]) -> bytes:
        if not items:
            return b"\0\0"
        offsets, position = [], 1
        for item in items:
            offsets.append(position)
            position += len(item)
        offsets.append(position)
        return (
            len(items).to_bytes(2, "big")
            + b"\x02"
            + b"".join(o.to_bytes(2, "big") for o in offsets)
            + b"".join(items)
        )

    return b"\x01\x00\x04\x02" + index(names) + index([]) + index(strings) + b"CJKjp-"


def test_rename_cff_touches_names_only() -> None:
    data = cff_sample(
        [b"NotoSansCJKjp-Regular"],
        [b"Noto Sans CJK JP Regular", b"NotoSansCJKjp-Regular-Kana"],
    )
    renamed = fonts.rename_cff(data, [(b"CJKjp-", b"CJKsc-"), (b"CJK JP", b"CJK SC")])
    assert len(renamed) == len(data)
    assert renamed.count(b"NotoSansCJKsc-Regular") == 2
    assert b"Noto Sans CJK SC Regular" in renamed
    assert renamed.endswith(b"CJKjp-")  # past the String INDEX: untouched
    with pytest.raises(ValueError):
        fonts.rename_cff(data, [(b"jp", b"zh-cn")])


def test_fontconfig_without_faces_is_the_plain_mapping() -> None:
    xml = fonts.fontconfig_xml()
    assert "<rejectfont>" not in xml
    assert "<string>宋体</string>" in xml


def test_fontconfig_uses_extracted_faces(tmp_path: Path) -> None:
    faces = fonts.Faces(
        directory=tmp_path / "faces",
        fc_cache=tmp_path / "fc-cache",
        files=("NotoSansCJKsc-Regular.otf",),
        replaced=(Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),),
    )
    xml = fonts.fontconfig_xml(faces=faces)
    assert xml.index("<cachedir>") < xml.index("<include")
    assert f"<dir>{tmp_path / 'faces'}</dir>" in xml
    assert "<glob>/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc</glob>" in xml


def _prepare(directory: str) -> str:
    faces = fonts.prepare_faces(Path(directory))
    return ",".join(faces.files) if faces else ""


def test_prepare_faces_once_across_processes(tmp_path: Path, monkeypatch) -> None:
    """Several workers starting at once: one extracts, all get the same files, and
    a later call only reads the manifest."""
    from fontTools.ttLib import TTFont

    if not any("Regular" in path.name for path in fonts.collections()):
        if os.environ.get("CI") == "true":
            pytest.fail("fonts-noto-cjk is required under CI")
        pytest.skip("fonts-noto-cjk is not installed")
    # One face keeps the test quick; forked processes inherit the patch.
    monkeypatch.setattr(fonts, "EXTRACT_FAMILIES", (fonts.SANS_SC,))
    monkeypatch.setattr(fonts, "EXTRACT_STYLES", ("Regular",))
    with multiprocessing.get_context("fork").Pool(3) as pool:
        results = pool.map(_prepare, [str(tmp_path)] * 3)
    assert results == ["NotoSansCJKsc-Regular.otf"] * 3
    face = tmp_path / "faces" / "NotoSansCJKsc-Regular.otf"
    assert sorted(p.name for p in (tmp_path / "faces").iterdir()) == [face.name]
    written = face.stat().st_mtime_ns

    again = fonts.prepare_faces(tmp_path)
    assert again is not None
    assert again.files == ("NotoSansCJKsc-Regular.otf",)
    assert face.stat().st_mtime_ns == written  # not extracted a second time
    assert all(p.suffix == ".ttc" for p in again.replaced)

    font = TTFont(str(face), lazy=True)
    assert font["name"].getDebugName(1) == "Noto Sans CJK SC"
    cff = font["CFF "].cff
    assert cff.fontNames == ["NotoSansCJKsc-Regular"]
    top = cff.topDictIndex[0]
    assert top.FamilyName == "Noto Sans CJK SC"
    assert all(fd.FontName.startswith("NotoSansCJKsc-") for fd in top.FDArray)


def test_prepare_faces_without_collections(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(fonts, "FONT_ROOTS", (str(tmp_path / "none"),))
    assert fonts.prepare_faces(tmp_path) is None


def test_cache_dir_honours_setting(tmp_path: Path, settings) -> None:
    settings.CONVERSION = {**settings.CONVERSION, "FONT_CACHE": str(tmp_path / "fonts")}
    assert fonts.cache_dir(context_from_settings().font_cache) == tmp_path / "fonts"
    assert os.access(tmp_path / "fonts", os.W_OK)

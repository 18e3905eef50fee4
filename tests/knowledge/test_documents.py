"""A home's own documents: chunking, add/list/remove of Markdown, text and PDF, isolation between
homes, persistence across a restart, and files that cannot be used."""

from __future__ import annotations

from pathlib import Path

import pytest

from skills.knowledge import KnowledgeBase, KnowledgeError, KnowledgeErrorCode, KnowledgeSkill
from skills.knowledge.chunking import chunk_source, document_meta
from skills.knowledge.documents import MAX_BYTES, read_source
from skills.knowledge.shipped import MANUALS_DIR
from tests.knowledge.conftest import ask, small_manuals

KETTLE_MD = """# 智能电水壶 K2 使用说明书（设备：kitchen_kettle）

型号：K2。

## 3 清洁与保养

- 水垢建议每 2 个月用柠檬酸清除一次。

| 部件 | 周期 |
|---|---|
| 滤网 | 每月清洗 |
"""


def pdf_bytes(lines: list[str]) -> bytes:
    """A one-page PDF whose text layer holds ``lines`` (Helvetica, ASCII)."""
    text = "BT /F1 12 Tf 72 720 Td 14 TL " + " ".join(
        "(" + ln.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ") Tj T*" for ln in lines) + " ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(text) + text.encode("latin-1") + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for n, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


async def test_a_manual_splits_into_rows_items_and_faq_pairs_with_their_heading_path() -> None:
    source = await read_source(MANUALS_DIR / "robot_vacuum.zh.md")
    meta = document_meta(source)
    assert (meta.product, meta.models, meta.lang, meta.devices) == ("扫地机器人 X10", ("X10",), "zh", ("robot_vacuum",))
    chunks = chunk_source(source, meta)
    row = next(c for c in chunks if c.kind == "row" and c.cells[0] == ("代码", "E1"))
    assert row.section == "7 故障代码" and ("含义", "驱动轮卡住") in row.cells
    assert any(c.section == "5 使用说明 > 5.2 吸力档位" and c.kind == "row" for c in chunks)
    faq = next(c for c in chunks if c.kind == "faq" and "回不了充电座" in c.text)
    assert dict(faq.cells)["answer"].startswith("充电座被移动过")


@pytest.fixture
async def base(tmp_path: Path):
    kb = KnowledgeBase(tmp_path / "data", manuals_dir=small_manuals(tmp_path / "manuals", "robot_vacuum.zh.md"))
    await kb.start()
    yield kb
    await kb.close()


async def test_a_homes_markdown_is_answered_for_that_home_only_and_survives_a_restart(base, demo_home,
                                                                                     tmp_path: Path) -> None:
    path = tmp_path / "kettle.md"
    path.write_text(KETTLE_MD, encoding="utf-8")
    info = await base.add("demo", path)
    assert (info.doc, info.home, info.devices, info.format) == ("kettle", "demo", ("kitchen_kettle",), "markdown")
    assert [d.doc for d in await base.list("demo")] == ["robot_vacuum.zh", "kettle"]
    assert [d.doc for d in await base.list("other-home")] == ["robot_vacuum.zh"]

    skill = KnowledgeSkill(base)
    result = await ask(skill, demo_home, "电水壶的水垢多久清除一次", "zh")
    assert "每 2 个月" in result.speech
    assert [(c.doc, c.section) for c in result.citations] == [("kettle", "3 清洁与保养")]
    other = await base.search("other-home", "水垢 柠檬酸", None)
    assert all(p.doc != "kettle" for p in other)

    await base.close()
    again = KnowledgeBase(base.data_dir, manuals_dir=base.manuals_dir)
    await again.start()
    assert [d.doc for d in await again.list("demo")] == ["robot_vacuum.zh", "kettle"]
    result = await ask(KnowledgeSkill(again), demo_home, "电水壶的水垢多久清除一次", "zh")
    assert "每 2 个月" in result.speech

    removed = await again.remove("demo", "kettle")
    assert removed.doc == "kettle"
    assert [d.doc for d in await again.list("demo")] == ["robot_vacuum.zh"]
    result = await ask(KnowledgeSkill(again), demo_home, "电水壶的水垢多久清除一次", "zh")
    assert not result.citations
    await again.close()


async def test_a_pdf_is_read_page_by_page(base, demo_home, tmp_path: Path) -> None:
    path = tmp_path / "Garage Door Manual.pdf"
    path.write_bytes(pdf_bytes(["Garage door opener GD-5 user manual.",
                                "The remote control battery is a CR2016 coin cell and lasts about 2 years."]))
    info = await base.add("demo", path)
    assert (info.doc, info.format, info.lang, info.product) == ("garage-door-manual", "pdf", "en", "Garage door opener GD-5")
    result = await ask(KnowledgeSkill(base), demo_home, "what battery does the GD-5 remote use", "en")
    assert "CR2016" in result.speech and "Garage door opener GD-5 manual" in result.speech
    assert [(c.doc, c.section) for c in result.citations] == [("garage-door-manual", "page 1")]


@pytest.mark.parametrize(("name", "content", "code"), [
    ("empty.md", b"", KnowledgeErrorCode.EMPTY),
    ("blank.txt", b" \n\t\n", KnowledgeErrorCode.EMPTY),
    ("photo.md", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", KnowledgeErrorCode.BINARY),
    ("scan.pdf", None, KnowledgeErrorCode.PDF_NO_TEXT),
    ("broken.pdf", b"%PDF-1.4\nthis is not a pdf", KnowledgeErrorCode.PDF_UNREADABLE),
])
async def test_files_that_cannot_be_used_are_refused_with_a_reason(shipped_base, tmp_path: Path, name: str,
                                                                    content: bytes | None,
                                                                    code: KnowledgeErrorCode) -> None:
    path = tmp_path / name
    path.write_bytes(pdf_bytes([]) if content is None else content)
    with pytest.raises(KnowledgeError) as err:
        await shipped_base.add("demo", path)
    assert err.value.reason is code
    assert [d.doc for d in await shipped_base.list("demo")] == [d.doc for d in await shipped_base.list("*")]


async def test_huge_missing_shipped_and_unknown_documents(shipped_base, tmp_path: Path) -> None:
    huge = tmp_path / "huge.txt"
    huge.write_bytes(b"a" * (MAX_BYTES + 1))
    cases = [(shipped_base.add("demo", huge), KnowledgeErrorCode.TOO_LARGE),
             (shipped_base.add("demo", tmp_path / "nowhere.md"), KnowledgeErrorCode.NOT_FOUND),
             (shipped_base.remove("demo", "robot_vacuum.zh"), KnowledgeErrorCode.READ_ONLY),
             (shipped_base.remove("demo", "no-such-doc"), KnowledgeErrorCode.UNKNOWN_DOCUMENT)]
    for call, code in cases:
        with pytest.raises(KnowledgeError) as err:
            await call
        assert err.value.reason is code

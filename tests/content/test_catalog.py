"""Catalogues: rows are validated with line numbers; imports add or replace, and a bad one changes nothing."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from skills.content import CatalogError, load_catalog, shipped_catalog_path

from .conftest import HOME, ask

ROW = {"id": "song-lingxi-band-hello-lingxi", "kind": "song", "title": "灵犀之歌", "title_alt": ["Song of Lingxi"],
       "artist": ["灵犀乐队"], "album": None, "year": 2026, "language": "zh", "genres": ["mandopop"], "moods": ["happy"],
       "audience": "all", "popularity": 40, "duration_s": 200, "episodes": None, "version": "original", "explicit": False,
       "source": "curated"}


def _write(path: Path, *rows: dict | str) -> Path:
    path.write_text("\n".join(r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in rows) + "\n",
                    encoding="utf-8")
    return path


def test_the_shipped_catalogue_loads_completely():
    assert len(load_catalog(shipped_catalog_path())) == 2885


@pytest.mark.parametrize(("rows", "code", "line"), [
    ((ROW, "{not json"), "bad_json", 2),
    ((ROW, {**ROW, "id": "song-x", "kind": "ringtone"}), "bad_row", 2),
    (({**ROW, "popularity": 101},), "bad_row", 1),
    ((ROW, ROW), "duplicate_id", 2),
    ((ROW, ""), "empty_line", 2),
])
def test_malformed_rows_are_named_by_line(tmp_path, rows, code, line):
    with pytest.raises(CatalogError) as error:
        load_catalog(_write(tmp_path / "bad.jsonl", *rows))
    assert error.value.reason == code and error.value.line == line
    assert error.value.message.startswith(f"line {line}: ")


def test_an_empty_file_is_refused(tmp_path):
    (tmp_path / "empty.jsonl").write_text("", encoding="utf-8")
    with pytest.raises(CatalogError) as error:
        load_catalog(tmp_path / "empty.jsonl")
    assert error.value.reason == "empty"


async def test_an_operator_import_is_searchable_by_every_home(skill, tmp_path):
    assert await skill.import_catalog(_write(tmp_path / "op.jsonl", ROW), "operator") == 1
    result = await ask(skill, "media.play_music", {"song": "灵犀之歌"}, "播放灵犀之歌")
    assert result.media is not None and result.media.id == ROW["id"]
    still = await ask(skill, "media.play_music", {"song": "晴天"}, "播放晴天")
    assert still.media.id == "song-zhou-jie-lun-qing-tian"


async def test_a_home_import_is_that_homes_only(skill, tmp_path):
    await skill.import_catalog(_write(tmp_path / "home.jsonl", ROW), "home:demo")
    mine = await ask(skill, "media.play_music", {"song": "灵犀之歌"}, "播放灵犀之歌")
    theirs = await ask(skill, "media.play_music", {"song": "灵犀之歌"}, "播放灵犀之歌", home=replace(HOME, id="another"))
    assert mine.media is not None and theirs.media is None


async def test_a_bad_import_keeps_the_old_catalogue(skill, tmp_path):
    await skill.import_catalog(_write(tmp_path / "good.jsonl", ROW), "operator")
    other = {**ROW, "id": "song-new-one", "title": "新的一首"}
    with pytest.raises(CatalogError) as error:
        await skill.import_catalog(_write(tmp_path / "bad.jsonl", other, "{broken"), "operator")
    assert error.value.line == 2
    with pytest.raises(CatalogError):
        await skill.import_catalog(_write(tmp_path / "dangling.jsonl", {**ROW, "id": "album-x", "kind": "album",
                                                                          "album": None, "tracks": ["song-nowhere"]}),
                                   "operator")
    result = await ask(skill, "media.play_music", {"song": "灵犀之歌"}, "播放灵犀之歌")
    assert result.media is not None and result.media.id == ROW["id"]
    missing = await ask(skill, "media.play_music", {"song": "新的一首"}, "播放新的一首")
    assert missing.media is None


async def test_imports_survive_a_restart(skill, tmp_path):
    from skills.content import ContentSkill
    await skill.import_catalog(_write(tmp_path / "op.jsonl", ROW), "operator")
    reopened = ContentSkill(None, tmp_path)
    try:
        result = await ask(reopened, "media.play_music", {"song": "灵犀之歌"}, "播放灵犀之歌")
        assert result.media is not None and result.media.id == ROW["id"]
    finally:
        reopened.close()

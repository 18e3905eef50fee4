"""The one analyser: what documents and queries are reduced to before any backend sees them."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from skills.search.analysis import analyse, normalise, pinyin_key, tokens


def test_chinese_is_segmented_into_words_including_the_shorter_words_inside() -> None:
    words = tokens("扫地机器人的滤网多久换一次")
    assert "扫地机器人" in words and "机器人" in words and "滤网" in words
    assert "的" not in words


def test_traditional_and_full_width_text_meet_the_simplified_form() -> None:
    assert tokens("掃地機器人的濾網") == tokens("扫地机器人的滤网")
    assert tokens("ＡＰ－３００") == tokens("AP-300")
    assert "呼吸" in normalise("缓慢呼吸")  # hanziconv alone would turn 呼 into 唿


def test_codes_and_model_numbers_stay_whole_and_also_yield_their_parts() -> None:
    assert tokens("E1 on the KFR-35GW") == ["e1", "kfr-35gw", "kfr", "35gw"]
    assert "4380" in tokens("Filter life is 4,380 hours")


def test_english_loses_stopwords_and_plural_s_only() -> None:
    assert tokens("How often do the filters need replacing") == ["often", "filter", "need", "replacing"]
    assert tokens("batteries glass") == ["battery", "glass"]


def test_pinyin_key_hears_homophones_alike() -> None:
    assert pinyin_key("扫地鸡") == pinyin_key("扫地机") == "sao di ji"


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("扫地机器人滤网濾網AP-300 e1,.!？。 filters水箱")), max_size=30))
def test_analysis_is_deterministic_and_tokens_never_hold_whitespace(text: str) -> None:
    assert analyse(text) == analyse(text)
    assert all(t and not any(ch.isspace() for ch in t) for t in tokens(text))
    assert normalise(normalise(text)) == normalise(text)

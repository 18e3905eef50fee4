"""Device commands said with a loosely worded time ("明早六点", "in like an hour", "七点左右", "around 7"):
the time is read as ``when`` (so the command is scheduled, not done now) and resolves to the instant meant;
a value said with it stays the value ("明早六点热水器调到七十度" is 70 °C, not 6)."""

from datetime import datetime, timedelta, timezone

import pytest

from intents.slots.time import TIME_HINT, resolve_when

CST = timezone(timedelta(hours=8))
NOW = datetime(2026, 12, 1, 20, 0, tzinfo=CST)


@pytest.mark.parametrize("text,lang,when", [
    ("明早六点热水器调到七十度", "zh", "明早六点"),
    ("明晚八点打开客厅空调", "zh", "明晚八点"),
    ("今晚十点半关掉电视", "zh", "今晚十点半"),
    ("后天早上六点打开窗帘", "zh", "后天早上六点"),
    ("大概七点关掉客厅主灯", "zh", "大概七点"),
    ("七点左右把电视关了", "zh", "七点左右"),
    ("差不多半小时后关掉电视", "zh", "差不多半小时后"),
    ("uh can you start the vacuum in like an hour", "en", "in like an hour"),
    ("start the vacuum in about 20 min", "en", "in about 20 min"),
    ("turn off the tv in an hour or so", "en", "in an hour or so"),
    ("close the curtains in half an hour", "en", "in half an hour"),
    ("turn on the tv around 7", "en", "around 7"),
    ("turn off the lights at like 9", "en", "at like 9"),
])
def test_a_loosely_said_time_is_the_when_of_the_command(understand, text, lang, when):
    intents = understand(text, lang, "living_room").intents
    assert [i.slots.get("when") for i in intents] == [when] and intents[0].name.startswith("device.")


def test_the_value_said_with_a_clock_time_is_not_the_clock():
    """"六点热水器" once read 点热水器 as a slip of 电热水器, so 六 became the temperature (35 °C, its minimum)."""
    from domain.devices import DeviceInfo
    from domain.home import load_demo_home
    from intents import HomeVocabulary, RuleUnderstander, UnderstandingContext
    home = load_demo_home()
    vocab = HomeVocabulary.build(home, [DeviceInfo.from_home(d) for d in home.devices.values()])
    for text in ("明早六点热水器调到七十度", "明天早上六点热水器调到七十度"):
        intent = RuleUnderstander().understand(text, UnderstandingContext(lang="zh"), vocab).intents[0]
        assert (intent.name, intent.slots["device"], intent.slots["value"]) == ("device.set", "water_heater", 70)


@pytest.mark.parametrize("text,value", [
    ("set the ac to around 24", 24),
    ("把客厅主灯调高两点", 2),
])
def test_a_value_said_with_about_is_still_a_value_and_does_not_wait(understand, text, value):
    intent = understand(text, None, "living_room").intents[0]
    assert "when" not in intent.slots and value in (intent.slots.get("value"), intent.slots.get("amount"))


@pytest.mark.parametrize("words,text,lang,delay", [
    ("in like an hour", "start the vacuum in like an hour", "en", 3600),
    ("in about 20 min", "start the vacuum in about 20 min", "en", 1200),
    ("in an hour or so", "turn off the tv in an hour or so", "en", 3600),
    ("in half an hour", "close the curtains in half an hour", "en", 1800),
    ("差不多半小时后", "差不多半小时后关掉电视", "zh", 1800),
])
def test_a_time_counted_from_now_with_a_filler(words, text, lang, delay):
    assert resolve_when(words, text, lang, NOW).delay_s == delay


@pytest.mark.parametrize("words,text,lang,at", [
    ("明早六点", "明早六点热水器调到七十度", "zh", datetime(2026, 12, 2, 6, 0, tzinfo=CST)),
    ("明晚八点", "明晚八点打开客厅空调", "zh", datetime(2026, 12, 2, 20, 0, tzinfo=CST)),
    ("后天早上六点", "后天早上六点打开窗帘", "zh", datetime(2026, 12, 3, 6, 0, tzinfo=CST)),
    ("今晚十点半", "今晚十点半关掉电视", "zh", datetime(2026, 12, 1, 22, 30, tzinfo=CST)),
    ("七点左右", "七点左右把电视关了", "zh", datetime(2026, 12, 2, 7, 0, tzinfo=CST)),
    ("around 7", "turn on the tv around 7", "en", datetime(2026, 12, 2, 7, 0, tzinfo=CST)),
    ("at like 9", "turn off the lights at like 9", "en", datetime(2026, 12, 1, 21, 0, tzinfo=CST)),
])
def test_a_clock_time_with_a_day_or_a_filler_resolves(words, text, lang, at):
    assert resolve_when(words, text, lang, NOW).at == at


@pytest.mark.parametrize("text,lang", [
    ("turn off the lights after lunch", "en"),
    ("start the vacuum in a bit", "en"),
    ("turn on the heater before bed", "en"),
    ("等会儿把电视关了", "zh"),
    ("回头再开空调", "zh"),
])
def test_a_time_the_parser_does_not_know_is_still_seen_as_a_time(understand, text, lang):
    """What the safety net of the scheduled skill sees: a time word left over after the rules found no ``when``."""
    intent = understand(text, lang, "living_room").intents[0]
    assert "when" not in intent.slots and TIME_HINT[lang].search(intent.text)


@pytest.mark.parametrize("text,lang", [
    ("把客厅主灯调亮一点", "zh"), ("把空调调到二十六度", "zh"), ("turn the volume up a bit", "en"),
    ("set the brightness to 50 percent", "en"), ("turn on the night light", "en"),
])
def test_a_command_without_a_time_has_no_time_word(text, lang):
    assert TIME_HINT[lang].search(text) is None

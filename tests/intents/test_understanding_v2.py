"""Phrasing the rules had never seen (issue 17): questions never act, scope follows the words, terse and
noisy forms, English slips, readings, media and timer control, dismissals."""

from __future__ import annotations

from datetime import datetime

import pytest

from intents.spelling import correct_en, distance

NOW = datetime.fromisoformat("2026-12-01T20:00:00+08:00")



QUESTIONS = ["卧室灯开着不？", "哪个灯开着？", "玄关门锁有几扇是锁了？", "电视有没有关", "卧室空调开了没有啊", "门锁了吗",
             "is the curtain left closed?", "tell me the status of the front door", "which lights are on",
             "did I lock the front door", "how many lights are on right now", "was the kitchen light left on",
             "客厅温度是多少？", "what's the temperature in the living room"]


@pytest.mark.parametrize("text", QUESTIONS)
def test_a_question_about_a_device_is_a_query_whatever_verb_it_holds(heard, text):
    assert [name for name, _ in heard(text)] == ["device.query"]


def test_which_and_how_many_ask_about_the_whole_home(heard):
    assert heard("哪个灯开着？") == [("device.query", {"device_type": "light", "scope": "all", "attribute": "power"})]


def test_a_polite_request_put_as_a_question_is_a_command(heard):
    assert heard("麻烦你把卧室的灯打开好吗") == [("device.turn_on", {"device": "bedroom_light", "room": "bedroom"})]
    assert [n for n, _ in heard("能把厨房灯打开吗")] == ["device.turn_on"]


@pytest.mark.parametrize("text, room", [("turn off all of the lights in here", "bedroom"), ("这屋的灯都关了", "bedroom"),
                                         ("关掉这里所有的灯", "living_room"), ("switch on every light in this room", "bedroom"),
                                         ("把这个房间的灯全关掉", "bedroom")])
def test_here_is_the_speakers_room(heard, text, room):
    [(_, slots)] = heard(text, speaker_room=room)
    assert (slots["device_type"], slots["room"], slots["scope"]) == ("light", room, "all")


@pytest.mark.parametrize("text, intent, slots", [
    ("stop all timers in the kitchen", "timer.cancel", {"scope": "all"}),
    ("计时器状态", "timer.query", {}),
    ("1小时计时器状态", "timer.query", {"duration": 3600}),
    ("cancel 5 minute timer", "timer.cancel", {"duration": 300}),
    ("计时器加五分钟", "timer.add_time", {"duration": 300}),
    ("计时器减两分钟", "timer.add_time", {"duration": -120}),
    ("take two minutes off the timer", "timer.add_time", {"duration": -120}),
    ("add 5 minutes to the timer", "timer.add_time", {"duration": 300}),
    ("pause the timer", "timer.pause", {}),
    ("暂停计时器", "timer.pause", {}),
    ("unpause the timer", "timer.resume", {}),
    ("计时器继续", "timer.resume", {}),
    ("定一个十分钟的计时器", "timer.set", {"duration": 600}),
    ("一个半小时以后提醒我关火", "reminder.set", {"datetime": "2026-12-01T21:30:00+08:00", "content": "关火"}),
    ("remind me to turn off the stove in an hour and a half", "reminder.set",
     {"datetime": "2026-12-01T21:30:00+08:00", "content": "turn off the stove"}),
])
def test_timer_and_reminder_words_decide_the_intent(heard, text, intent, slots):
    assert heard(text) == [(intent, slots)]


@pytest.mark.parametrize("text, action", [("TV下一首", "next"), ("暂停TV", "pause"), ("skip song on the TV", "next"),
                                          ("电视上一集", "previous"), ("resume the tv", "resume")])
def test_playback_on_a_named_player_is_media_control_not_volume_or_power(heard, text, action):
    assert heard(text) == [("media.control", {"action": action, "device": "living_room_tv"})]


@pytest.mark.parametrize("text, action", [("上一曲", "previous"), ("pause it", "pause"), ("继续", "resume")])
def test_playback_words_alone_are_the_players(heard, text, action):
    assert heard(text) == [("media.control", {"action": action})]


KITCHEN = {"device": "kitchen_light", "room": "kitchen"}
BEDROOM = {"device": "bedroom_light", "room": "bedroom"}
MAIN = {"device": "living_room_main_light", "room": "living_room"}


@pytest.mark.parametrize("text, intent, slots", [
    ("kitchen lights on", "device.turn_on", KITCHEN), ("ceiling light on", "device.turn_on", MAIN),
    ("bathroom light on now", "device.turn_on", {"device": "bathroom_light", "room": "bathroom"}),
    ("厨房灯 开", "device.turn_on", KITCHEN), ("turn of the bedrom light", "device.turn_off", BEDROOM),
    ("trun off the kitchen light", "device.turn_off", KITCHEN), ("switch on the kitchn light", "device.turn_on", KITCHEN),
    ("turn on the livng room light", "device.turn_on", MAIN), ("turn on the bed room light", "device.turn_on", BEDROOM),
    ("hey uh turn turn on the the bedroom light", "device.turn_on", BEDROOM),
    ("%s%s%s%n {0.__class__} 打开客厅的灯", "device.turn_on", MAIN),  # noise is never a value (was brightness 0)
    ("{0} %d turn on the kitchen light %s", "device.turn_on", KITCHEN),
])
def test_terse_misspelt_and_noisy_commands(heard, text, intent, slots):
    assert heard(text) == [(intent, slots)]


def test_a_misheard_room_is_named_not_dropped(heard):
    assert heard("turn on the garadge light") == [("device.turn_on", {"device_type": "light", "room": "garadge"})]


def test_a_bare_verb_after_a_command_acts_on_its_device_and_alone_is_not_a_command(heard):
    assert [n for n, _ in heard("打开客厅灯然后关掉")] == ["device.turn_on", "device.turn_off"]
    assert heard("打开客厅灯然后关掉")[1][1]["device"] == "living_room_main_light"
    assert heard("打开") == [("out_of_scope", {})]


def test_a_request_said_twice_runs_once(heard):
    assert heard("I'm going to bed, good night") == [("scene.activate", {"scene": "sleep"})]
    assert heard("我要睡觉了，晚安") == [("scene.activate", {"scene": "sleep"})]


@pytest.mark.parametrize("text, slots", [
    ("热水器现在设的多少度", {"device": "water_heater", "room": "bathroom", "attribute": "target_temperature"}),
    ("室外温度有多少？", {"room": "室外", "attribute": "temperature"}),
    ("what's the outside temperature", {"room": "outside", "attribute": "temperature"}),
])
def test_readings_come_from_the_right_place(heard, text, slots):
    assert heard(text) == [("device.query", slots)]


@pytest.mark.parametrize("text", ["没事", "再见", "退下", "没事了，你退下吧", "never mind", "goodbye", "that's all, thanks",
                                  "不用了，再见"])
def test_dismissals_end_the_dialog(heard, text):
    assert heard(text) == [("dialog.cancel", {})]


def test_thanks_alone_is_not_a_dismissal(heard):
    assert heard("谢谢")[0][0] != "dialog.cancel"


@pytest.mark.parametrize("typo, word", [("bedrom", "bedroom"), ("trun", "turn"), ("curtians", "curtains"), ("lihgt", "light")])
def test_english_slips_are_one_edit_from_the_home_words(vocab, typo, word):
    assert distance(typo, word, 2) == 1
    assert correct_en(f"{typo}", vocab) == word


@pytest.mark.parametrize("text", ["good night", "turn right", "open the curtains halfway", "play hotel california", "lamb stew recipe"])
def test_real_words_are_never_corrected(vocab, text):
    assert correct_en(text, vocab) == text

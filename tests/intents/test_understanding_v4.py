"""The fourth round of unseen phrasing (issue 17): states said back as questions, players named by a
speaker or the music, courtesy around a request, answer words beside a request, scenes said the way
people say them, counts that are not values, and readings named beside a place."""

from __future__ import annotations

import pytest

from intents import Understander, UnderstandingContext
from intents.slots.content import music_slots


def names(result):
    return [name for name, _ in result]


@pytest.mark.parametrize("text", ["the tv is still open?", "the door, it is locked?", "the kitchen light is on?",
                                  "the curtains are all closed", "the lights are still on in the bedroom"])
def test_a_state_said_back_is_a_question_never_a_command(heard, text):
    assert names(heard(text)) == ["device.query"]


def test_making_sure_of_a_state_is_not_read_as_a_question(heard):
    assert "device.query" not in names(heard("make sure the door is locked"))


@pytest.mark.parametrize("text", ["is it still on", "is it locked now", "它还开着吗"])
def test_a_question_about_it_is_left_to_the_dialog_to_name_the_device(heard, text):
    [(name, slots)] = heard(text)
    assert name == "device.query" and "device" not in slots and slots["attribute"] in ("power", "lock")


def test_a_question_about_it_that_names_no_state_is_not_a_device_question(heard):
    assert names(heard("how is it going")) != ["device.query"]


@pytest.mark.parametrize(("text", "action"), [
    ("客厅音箱上一首", "previous"), ("卧室音箱暂停", "pause"), ("play the next song on the bedroom speaker", "next"),
    ("stop the music please", "stop"), ("把音乐关了", "stop"), ("turn the music off", "stop"),
])
def test_a_speaker_or_the_music_makes_a_control_word_playback(heard, text, action):
    assert heard(text) == [("media.control", {"action": action})]


def test_turning_a_room_light_off_is_still_power(heard):
    assert names(heard("把客厅灯关了")) == ["device.turn_off"]


@pytest.mark.parametrize("text", ["麻烦你把窗帘拉开，谢谢啊", "turn on the kitchen light, thanks", "desk lamp on pls thx"])
def test_thanks_beside_a_request_is_part_of_it(heard, text):
    assert names(heard(text)) == ["device.turn_on"]


@pytest.mark.parametrize(("text", "answer"), [
    ("确定，关吧", "dialog.confirm"), ("对，开吧", "dialog.confirm"), ("yes, go ahead", "dialog.confirm"),
    ("nah, don't bother", "dialog.deny"), ("好了好了，别讲了", "dialog.cancel"), ("no, no", "dialog.deny"),
])
def test_answer_words_said_together_are_one_answer(heard, text, answer):
    assert names(heard(text)) == [answer]


@pytest.mark.parametrize("text", ["算了，还是关了吧", "actually no, turn it off"])
def test_a_no_before_a_request_only_leads_into_it(heard, text):
    assert names(heard(text)) == ["device.turn_off"]


def test_a_yes_on_the_way_to_a_named_request_confirms_nothing(heard):
    assert heard("好，关灯") == [("device.turn_off", {"device_type": "light"})]


@pytest.mark.parametrize(("text", "scene"), [
    ("行了，我睡觉去了", "sleep"), ("困了，睡了啊", "sleep"), ("俺们出门儿了啊", "away"), ("起床了起床了", "wake_up"),
    ("we're leaving now", "away"), ("we're home", "home"),
])
def test_scenes_said_the_way_people_say_them_run_once(heard, text, scene):
    assert heard(text) == [("scene.activate", {"scene": scene})]


def test_going_on_with_a_timer_is_not_leaving_home(heard):
    assert names(heard("计时器接着走吧")) == ["timer.resume"]


@pytest.mark.parametrize("text", ["两个空调都打开", "三个灯都关了", "turn off the two lamps"])
def test_a_count_of_devices_is_not_a_value(heard, text):
    [(name, slots)] = heard(text)
    assert name in ("device.turn_on", "device.turn_off") and "value" not in slots


def test_a_value_after_a_count_is_still_read(heard):
    assert heard("两盏灯调到50")[0][1]["value"] == 50


@pytest.mark.parametrize(("text", "device"), [("卧室调到24", "bedroom_ac"), ("make it 22 in here", "living_room_ac"),
                                              ("set it to 24 in the bedroom", "bedroom_ac")])
def test_a_room_set_to_a_room_temperature_is_its_air_conditioner(heard, text, device):
    [(name, slots)] = heard(text)
    assert (name, slots["device"], slots["attribute"]) == ("device.set", device, "temperature")


def test_a_bare_number_with_no_place_is_not_a_temperature(heard):
    assert names(heard("make it 22")) != ["device.set"]


@pytest.mark.parametrize(("text", "attribute"), [
    ("humidity in the living room", "humidity"), ("客厅湿度", "humidity"), ("vacuum battery how much", "battery"),
    ("门锁还剩多少电", "battery"), ("门锁电池还有多少电啊", "battery"), ("空气净化器现在是啥模式", "mode"),
    ("客厅灯现在多亮", "brightness"), ("what colour is the light strip", "color"), ("空气咋样，PM2.5多少", "pm25"),
])
def test_a_reading_asked_for_is_one_query_of_that_reading(heard, text, attribute):
    [(name, slots)] = heard(text)
    assert (name, slots["attribute"]) == ("device.query", attribute)


@pytest.mark.parametrize(("text", "intent", "device"), [
    ("the kitchen lite, on", "device.turn_on", "kitchen_light"), ("strat the vaccum", "device.turn_on", "robot_vacuum"),
    ("make the led strip purpel", "device.set", "living_room_strip"), ("电饭煲通一下电", "device.turn_on", "rice_cooker_plug"),
])
def test_slips_and_spoken_forms_reach_the_device(heard, text, intent, device):
    [(name, slots)] = heard(text)
    assert (name, slots["device"]) == (intent, device)


@pytest.mark.parametrize(("text", "slots"), [
    ("关一点", {"attribute": "position", "direction": "down"}), ("open it a bit", {"attribute": "position", "direction": "up"}),
    ("ok now lock it again", {"attribute": "lock", "value": "locked"}),
])
def test_a_step_or_a_lock_said_of_it_waits_for_the_dialog_to_name_the_device(heard, text, slots):
    [(_, said)] = heard(text)
    assert said == slots


@pytest.mark.parametrize(("text", "seconds"), [("cancel the 5 minute one", 300), ("stop the 10 minute one", 600),
                                               ("取消那个五分钟的", 300), ("十分钟的那个取消", 600)])
def test_a_length_said_of_one_cancels_that_timer(heard, text, seconds):
    assert heard(text) == [("timer.cancel", {"duration": seconds})]


@pytest.mark.parametrize("text", ["这屋里现在几度", "现在几度"])
def test_degrees_are_a_reading_never_the_time(heard, text):
    [(name, slots)] = heard(text)
    assert (name, slots["attribute"]) == ("device.query", "temperature")


def test_the_time_is_still_the_time(heard):
    assert names(heard("现在几点")) == ["time.query"]


@pytest.mark.parametrize(("text", "intent"), [("客厅这灯咋还亮着", "device.query"), ("灯咋开", "kb.product_qa")])
def test_the_spoken_za_is_a_question_word(heard, text, intent):
    assert names(heard(text)) == [intent]


@pytest.mark.parametrize("text", ["把电视声音关了", "turn off the sound on the tv"])
def test_turning_the_sound_off_mutes_and_leaves_the_tv_on(heard, text):
    [(name, slots)] = heard(text)
    assert (name, slots["attribute"], slots["value"]) == ("device.set", "volume", 0)


@pytest.mark.parametrize("text", ["put the movie scene on", "开启观影场景"])
def test_a_scene_called_a_mode_is_also_a_scene(heard, text):
    assert heard(text) == [("scene.activate", {"scene": "movie"})]


def test_living_room_heard_as_live_in_room(heard):
    assert heard("turn on the live in room light")[0][1]["device"] == "living_room_main_light"


@pytest.mark.parametrize("text", ["outside temperature", "the temperature outside"])
def test_an_outdoor_reading_is_asked_outdoors_never_in_the_living_room(heard, text):
    [(name, slots)] = heard(text)
    assert (name, slots["room"]) == ("device.query", "outside")


def test_a_particle_after_a_request_for_songs_is_not_a_title():
    assert music_slots("来首周杰伦的歌吧", "zh") == {"artist": "周杰伦"}


def test_a_sound_alike_goes_to_the_name_it_sounds_like_as_usually_said(heard):
    # 太 and 台 are both "tai"; 大 is "tai" only in a rare reading
    assert heard("太灯关一下")[0][1]["device"] == "bedside_lamp"


@pytest.mark.parametrize("text", ["who left the tv on", "how come the ac is off"])
def test_who_and_how_come_ask_and_never_act(heard, text):
    assert names(heard(text)) == ["device.query"]


@pytest.mark.parametrize(("text", "scene"), [("night night", "sleep"), ("heading out", "away"), ("going to bed", "sleep")])
def test_short_spoken_goodbyes_run_their_scene(heard, text, scene):
    assert heard(text) == [("scene.activate", {"scene": scene})]


def test_a_couple_of_degrees_is_two(heard):
    [(name, slots)] = heard("bump the temp up a couple degrees")
    assert (name, slots["direction"], slots["amount"]) == ("device.adjust", "up", 2)


def test_the_type_in_each_room_said(heard):
    assert [slots.get("room") for _, slots in heard("卧室和书房的灯都打开")] == ["bedroom", "study"]


def test_the_others_are_of_the_kind_named_after_except(heard):
    assert heard("除了卧室的灯其他都关了") == [
        ("device.turn_off", {"device_type": "light", "scope": "all", "exclude": ["bedroom_light"]})]


def test_everything_except_one_device_is_never_narrowed_to_its_kind(heard):
    assert names(heard("turn off everything except the tv")) != ["device.turn_off"]


def test_a_song_cut_is_the_next_one(heard):
    assert heard("把这首歌切了") == [("media.control", {"action": "next"})]


def test_is_the_tv_open_asks_if_it_is_on(heard):
    [(name, slots)] = heard("the tv is still open?")
    assert (name, slots["attribute"]) == ("device.query", "power")


@pytest.mark.parametrize("text", ["is it raining outside", "外面下雨了吗", "what is it"])
def test_a_question_with_nothing_about_the_time_is_not_a_time_question(heard, text):
    assert names(heard(text)) != ["time.query"] and names(heard(text)) != ["device.query"]


def test_an_outdoor_temperature_in_mandarin_is_asked_outdoors(heard):
    [(name, slots)] = heard("外面温度多少")
    assert (name, slots["room"], slots["attribute"]) == ("device.query", "外面", "temperature")


@pytest.mark.parametrize(("text", "intent"), [("vacuum go", "device.turn_on"), ("send the vacuum home", "device.turn_off"),
                                              ("vacuum go home", "device.turn_off")])
def test_the_vacuum_sent_out_and_home(heard, text, intent):
    assert heard(text) == [(intent, {"device": "robot_vacuum", "room": "living_room"})]


def test_locking_up_locks_the_door(heard):
    [(name, slots)] = heard("lock up")
    assert (name, slots["device"], slots["value"]) == ("device.set", "front_door_lock", "locked")


@pytest.mark.parametrize(("text", "device"), [
    ("is the telly on right now... the tv i mean", "living_room_tv"), ("打开卧室灯，我是说客厅灯", "living_room_main_light"),
    ("turn on the bedroom light, I mean the kitchen light", "kitchen_light"),
])
def test_a_repair_changes_the_target_and_is_not_a_request_of_its_own(heard, text, device):
    [(_, slots)] = heard(text)
    assert slots["device"] == device


def test_i_mean_it_only_insists(heard):
    assert heard("turn on the light, I mean it") == [("device.turn_on", {"device_type": "light"})]


@pytest.mark.parametrize("text", ["大门锁好没得", "好多灯开着", "客厅湿度好多"])
def test_regional_and_stated_questions_never_act(heard, text):
    assert names(heard(text)) == ["device.query"]


@pytest.mark.parametrize(("text", "device"), [("灯一直亮着，帮我关掉", None), ("the tv is on, turn it off", "living_room_tv")])
def test_a_state_said_before_an_order_is_its_reason(heard, text, device):
    [(name, slots)] = heard(text)
    assert name == "device.turn_off" and slots.get("device") == device


@pytest.mark.parametrize(("text", "expected"), [
    ("is the AC on in the, uh, no, in the bedroom", ("device.query", "bedroom_ac", None)),
    ("set the temperature to 20, no wait, 23", ("device.set", None, 23)),
    ("空调调到20度，不对，23度", ("device.set", None, 23)),
])
def test_a_self_correction_mid_sentence_changes_the_place_or_the_value(heard, text, expected):
    [(name, slots)] = heard(text)
    assert (name, slots.get("device"), slots.get("value")) == expected


@pytest.mark.parametrize(("text", "intent"), [("电饭煲给我整上", "device.turn_on"), ("On the aircon, then set to 24 can?", None),
                                              ("Please do the needful and on the washing machine", "device.turn_on"),
                                              ("off the tv", "device.turn_off")])
def test_regional_verbs_reach_the_device(heard, text, intent):
    result = names(heard(text))
    assert result == ([intent] if intent else ["device.turn_on", "device.set"])


@pytest.mark.parametrize("text", [
    "Good evening. I wonder, if it isn't too much trouble, would you please switch on the lamp in the study? Thank you kindly.",
    "麻烦你把书房台等打开一下，谢谢哈",
])
def test_long_polite_requests_are_the_request(heard, text):
    assert heard(text) == [("device.turn_on", {"device": "study_desk_lamp", "room": "study"})]


def test_the_lamp_of_a_room_is_the_device_called_lamp(heard):
    assert heard("turn on the bedroom lamp only") == [("device.turn_on", {"device": "bedside_lamp", "room": "bedroom"})]


def test_both_is_an_explicit_all(heard):
    assert heard("switch on both air conditioners") == [("device.turn_on", {"device_type": "climate", "scope": "all"})]


def test_a_reminder_and_a_timer_in_one_breath_are_two_requests(heard):
    assert names(heard("半小时后提醒我收衣服，再定个二十分钟的计时器")) == ["reminder.set", "timer.set"]


@pytest.mark.parametrize(("text", "device"), [("switch the big light on", "living_room_main_light"),
                                              ("put the fairy lights on", "living_room_strip"),
                                              ("could you put the hoover on please love", "robot_vacuum"),
                                              ("把 bedroom 的 light 打开", "bedroom_light")])
def test_everyday_and_mixed_names_reach_the_device(heard, text, device):
    [(name, slots)] = heard(text)
    assert (name, slots["device"]) == ("device.turn_on", device)


def test_the_heating_on_is_the_air_conditioner_heating(heard):
    assert heard("put the heating on, I'm freezing") == [
        ("device.turn_on", {"device_type": "climate"}),
        ("device.set", {"device_type": "climate", "attribute": "mode", "value": "heat"})]


@pytest.mark.parametrize(("text", "action"), [("帮我 pause 一下", "pause"), ("carry on playing", "resume")])
def test_playback_words_without_a_player_named(heard, text, action):
    assert heard(text) == [("media.control", {"action": action})]


@pytest.mark.parametrize("text", ["我想看会儿电视", "I want to watch the telly"])
def test_wanting_to_watch_turns_the_tv_on(heard, text):
    assert heard(text) == [("device.turn_on", {"device": "living_room_tv", "room": "living_room"})]


@pytest.mark.parametrize(("text", "device", "attribute"), [("what does the thermometer say", "living_room_sensor", None),
                                                           ("what's the temp of the hot water", "water_heater", "temperature")])
def test_what_a_device_reads_is_its_state_not_its_manual(heard, text, device, attribute):
    [(name, slots)] = heard(text)
    assert (name, slots["device"], slots.get("attribute")) == ("device.query", device, attribute)


@pytest.mark.parametrize(("text", "scene"), [("我们要看电影了", "movie"), ("right, I'm off to bed now", "sleep")])
def test_more_scenes_said_naturally(heard, text, scene):
    assert heard(text) == [("scene.activate", {"scene": scene})]


def test_two_orders_run_together_are_two(heard):
    assert names(heard("打开空调关掉空调")) == ["device.turn_on", "device.turn_off"]


def test_the_kitchen_one_is_never_a_value_of_one(heard):
    assert "device.set" not in names(heard("and the kitchen one"))


def test_a_wake_word_said_first_is_not_a_request(heard):
    assert names(heard("小灵啊，大门锁好了没有")) == ["device.query"]


@pytest.mark.parametrize("text", ["温度是多少", "请问一下，家里现在的温度是多少呀？"])
def test_a_temperature_asked_with_no_number_is_a_reading_not_a_conversion(heard, text):
    [(name, slots)] = heard(text)
    assert (name, slots["attribute"]) == ("device.query", "temperature")


def test_a_conversion_still_converts(heard):
    assert names(heard("how many feet in a mile")) == ["unit.convert"]


@pytest.mark.parametrize("text", ["这歌叫什么名字来着", "what's this song"])
def test_asking_what_the_song_is_called(heard, text):
    assert names(heard(text)) == ["media.now_playing"]


def test_an_opener_is_not_part_of_the_request(heard):
    assert heard("ok resume") == [("media.control", {"action": "resume"})]


def test_a_three_letter_slip_of_room(heard):
    assert heard("turn on the kids rom light")[0][1]["device"] == "kids_room_light"


@pytest.fixture(scope="module")
def after_an_order(vocab):
    engine = Understander()
    ctx = UnderstandingContext(speaker_room="living_room", last_order=("device.turn_off", ("living_room_main_light",)))
    return lambda text: [(i.name, dict(i.slots)) for i in engine.understand(text, ctx, vocab).intents]


@pytest.mark.parametrize("text", ["and the kitchen one", "and the kitchen", "还有厨房的"])
def test_an_elliptical_turn_repeats_the_last_order_on_the_device_named(after_an_order, text):
    assert after_an_order(text) == [("device.turn_off", {"device": "kitchen_light", "room": "kitchen"})]


@pytest.mark.parametrize("text", ["the bedroom too", "卧室也"])
def test_a_room_named_elliptically_gets_the_kind_of_device_ordered(after_an_order, text):
    assert after_an_order(text) == [("device.turn_off", {"device_type": "light", "room": "bedroom"})]


@pytest.mark.parametrize("text", ["厨房", "kitchen"])
def test_a_name_said_alone_repeats_nothing(after_an_order, text):
    assert names(after_an_order(text)) == ["out_of_scope"]


def test_without_an_order_before_it_an_elliptical_turn_does_nothing(heard):
    assert names(heard("and the kitchen one")) == ["out_of_scope"]

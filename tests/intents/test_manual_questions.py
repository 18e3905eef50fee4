import pytest

from intents.manual_questions import asks_the_manual
from intents.types import UnderstandingContext
from intents.understander import Understander


@pytest.mark.parametrize(("text", "lang"), [
    ("空调的适用面积是多少", "zh"), ("扫地机器人的滤网多久换一次", "zh"), ("扫地机器人报E2是什么问题", "zh"),
    ("洗衣机最高脱水转速是多少", "zh"), ("门锁输错密码几次会锁定", "zh"), ("窗帘电机最大能带多重的窗帘", "zh"),
    ("台灯的显色指数是多少", "zh"), ("护眼灯写作业推荐什么色温", "zh"), ("扫地机器人多少钱", "zh"),
    ("what is the CADR of the air purifier", "en"), ("what is the refresh rate of the tv", "en"),
    ("how many schedules can the smart plug have", "en"), ("how loud is the door lock", "en"),
    ("what does error e1 on the air conditioner mean", "en"), ("how often should i replace the purifier filter", "en"),
])
def test_manual_questions(text, lang):
    assert asks_the_manual(text, lang)


@pytest.mark.parametrize(("text", "lang"), [
    ("卧室灯开着吗", "zh"), ("客厅温度是多少", "zh"), ("热水器现在设的多少度", "zh"), ("打开空调", "zh"),
    ("把窗帘开到最大", "zh"), ("空调调到最高", "zh"), ("把音量调到最大", "zh"),
    ("is the bedroom light on", "en"), ("what's the temperature in the living room", "en"),
    ("turn the volume to max", "en"), ("set the purifier to max", "en"), ("what is the air purifier status", "en"),
    ("扫地机器人电池还有多少", "zh"), ("how much battery does the vacuum have left", "en"),
])
def test_state_questions_and_commands_are_not(text, lang):
    assert not asks_the_manual(text, lang)


def test_a_feeling_beside_a_command_is_its_reason_not_a_second_command(vocab):
    """"净化器先关一下吧，太吵了" turned the purifier off and the TV down (a held-out case's wrong action)."""
    cascade = Understander()
    said = cascade.understand("净化器先关一下吧，太吵了", UnderstandingContext(lang="zh"), vocab)
    assert [(i.name, i.slots.get("device")) for i in said.intents] == [("device.turn_off", "air_purifier")]
    assert [i.name for i in cascade.understand("太吵了", UnderstandingContext(lang="zh"), vocab).intents] == ["device.adjust"]

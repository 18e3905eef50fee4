"""Training the catalog model: what its calibration must withstand."""


def test_the_out_of_scope_threshold_holds_still_when_a_few_examples_are_added():
    """Tuned on one 15 % split, the en threshold once jumped from 0.55 to 0.82 when three examples were
    added, and in-scope requests fell out of scope; out-of-fold tuning over all examples keeps it put."""
    from intents.model.catalog import OOS
    from intents.training.catalog_data import training_examples
    from intents.training.catalog_fit import C
    from intents.training.fit import ClassifierTrainer

    examples = training_examples("en")
    texts, labels = [e.text for e in examples], [e.intent for e in examples]
    extra = ["50 euros in dollars", "how much is 100 dollars in yuan", "convert 20 dollars to euros"]
    base = ClassifierTrainer(lang="en", C=C, seed=0).fit(texts, labels, oos_label=OOS)
    more = ClassifierTrainer(lang="en", C=C, seed=0).fit(texts + extra, labels + ["unit.convert"] * 3, oos_label=OOS)
    assert 0.2 < base.threshold_ < 0.6
    assert abs(more.threshold_ - base.threshold_) < 0.1

"""Tooling the service never runs: training data and training of the catalog model, public
benchmark loaders and the NLU benchmark, the CRF slot tagger and the e5 embedding cascade."""

"""The LLM planner: an utterance → a plan validated against a schema built from the catalog and
the home; two backends (an OpenAI-compatible endpoint, an in-process GGUF) behind one Protocol."""

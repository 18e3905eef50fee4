"""The small intent model as the service runs it: analyzers, features, the classifier and its
calibrated confidence, and the shipped per-language artifacts (loaded without scikit-learn)."""

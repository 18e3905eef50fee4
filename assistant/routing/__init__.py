"""Edge and cloud inside a budget: the router's pure decision, latency estimates, and the LLM tiers."""

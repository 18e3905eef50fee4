"""The request pipeline: understand → plan → act → answer, with typed requests, answers and stage events."""

"""Dialog: sessions and where they are kept, follow-ups that borrow from the last turn, answers to
"which one?", and the confirmation turn that releases held risky actions."""

"""An example third-party skill: a coffee machine on a smart plug."""

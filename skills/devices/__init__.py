"""Tool skills for the home's devices: control, state questions, scenes, targeting, the safety gate."""

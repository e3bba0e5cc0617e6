"""Hypothesis strategies shared by the tests (pin every case found with @example)."""
from hypothesis import strategies as st

ACTIVATION_NAMES = st.sampled_from(["generic", "tanh", "sigmoid", "relu"])
FORM_NAMES = st.sampled_from(["A", "B"])

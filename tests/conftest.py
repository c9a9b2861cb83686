"""Shared pytest fixtures of the gmm-teach test suite."""

import numpy as np
import pytest


@pytest.fixture
def rng():
    """A seeded NumPy generator, so every test draws the same data."""
    return np.random.default_rng(0)

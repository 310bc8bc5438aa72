"""Shared paths for the kefu_lint test suite."""

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
"""The checkout's root (the workspace)."""


@pytest.fixture
def root() -> Path:
    return ROOT

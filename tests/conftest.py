"""Shared pytest set-up: quiet TensorFlow logs, fixed seeds for Keras tests."""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

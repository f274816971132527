"""Shared test setup: fix TensorFlow's CPU path before any test module imports it.

Some test modules import ``keras_tuner`` (and so TensorFlow) before ``convnotes``;
importing the package here first makes every test run on the path that
:mod:`convnotes._tf` chooses (or the one ``TF_ENABLE_ONEDNN_OPTS`` asks for).
"""

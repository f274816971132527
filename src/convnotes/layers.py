"""Keras 3 layers that Keras itself does not provide.

``LocallyConnected1D`` / ``LocallyConnected2D`` (removed in Keras 3) and
``MinPooling2D`` (Keras never had it). Each layer trains, serializes with
``get_config`` and reloads from a ``.keras`` file.
"""

from __future__ import annotations

"""Errors the camera coach raises for bad input; the CLI turns them into exit status 2."""

from __future__ import annotations


class VisionError(Exception):
    """Base class: a problem with the user's input, worded for the user (no traceback needed)."""


class VideoError(VisionError):
    """A video that cannot be opened or decoded."""


class NoPersonError(VisionError):
    """No person was detected in the video."""


class UnknownExerciseError(VisionError):
    """An exercise id with no camera analyzer."""


class UnsupportedModelError(VisionError):
    """A pose-model setting that would need a network download (only complexity 1 ships)."""


class FormChecksError(VisionError):
    """form_checks.yaml is invalid: the message names the file, the entry and the problem."""


class DatasetError(VisionError):
    """A directory that is not laid out like UI-PRMD, or a malformed file in it."""


class ViewProblem(VisionError):
    """The camera does not see what the exercise needs; the message says where to put it."""

"""Errors autofix raises with a message meant for the user."""


class AutofixError(Exception):
    """Base class: the message says what happened and how to proceed."""


class UnsupportedModel(AutofixError):
    """The model cannot be described or rebuilt (subclassed, custom layers...)."""

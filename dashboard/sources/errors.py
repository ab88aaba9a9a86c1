"""Errors of the source layer: one clear line for the user, never a traceback."""


class SourceError(Exception):
    """A source file is missing, unreadable or does not follow its documented format."""

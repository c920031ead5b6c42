"""glutecoach: a local-first coach for gluteal amnesia ("dead butt syndrome")."""

__version__ = "0.1.0"

"""One module per export format, each with a ``WRITER`` (see ``glutecoach.export.registry``)."""

"""Clinic mode: clinicians and their patients on one PostgreSQL database.

``accounts`` (argon2 passwords, one-time invites, sign-in cookies), ``scope`` (the one place a
request is tied to a person's record, with the audit log), ``app`` (the clinic web app: the
home app for patients plus the clinician's routes), ``dashboard`` (who needs attention first),
``worker`` (form review on Celery + Redis) and ``cli`` (``glutecoach clinic ...``).
"""

"""The sitting-break coach: idle-time backends, notifications, the daemon loop and its CLI.

The bout and break logic itself is pure and lives in :mod:`glutecoach.core.sedentary`.
"""

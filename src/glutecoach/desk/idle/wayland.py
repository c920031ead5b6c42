"""Other Wayland compositors: the ext-idle-notify-v1 protocol.

Not implemented: speaking the Wayland protocol needs a client library (e.g. pywayland with the
protocol's XML), which glutecoach does not depend on, and ext-idle-notify only reports "idle after
N ms" events rather than a running idle time. Detection reports this backend as unavailable and
the coach falls back to timer-only reminders. GNOME on Wayland is covered by ``gnome``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import NoReturn

from glutecoach.desk.idle import BackendUnavailable


def open_backend(env: Mapping[str, str]) -> NoReturn:
    del env
    raise BackendUnavailable(
        "wayland: ext-idle-notify is not supported yet (needs a Wayland client library); "
        "on GNOME the gnome backend is used"
    )

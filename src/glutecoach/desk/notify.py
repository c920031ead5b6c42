"""Reminders shown to the person: desktop notifications with buttons, or plain text as fallback.

Desktop notifications go through desktop-notifier's async API; button callbacks arrive on the
running asyncio loop (the sync API never delivers them).
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path
from typing import Any, Protocol, TextIO

from glutecoach.core.sedentary import Choice, PromptKind, Remind
from glutecoach.desk.micro import MicroExercise

APP_NAME = "glutecoach"
SOUND_NAME = "message-new-instant"
"""freedesktop sound-theme name asked for with each (non-gentle) reminder ("sound-name" hint)."""


def icon_path() -> str:
    """The app's icon shipped with the package (a PNG file)."""
    return str(resources.files("glutecoach.desk").joinpath("data", "glutecoach.png"))


@dataclass(frozen=True)
class Message:
    title: str
    body: str
    buttons: tuple[tuple[Choice, str], ...]
    gentle: bool = False
    """No sound: a re-prompt, the reminder after a call, or a question on return."""
    persistent: bool = True
    """Stays until answered (notification timeout 0)."""
    exercise: MicroExercise | None = None
    """What a click on the body opens."""


def compose(remind: Remind, micro: MicroExercise | None) -> Message:
    """Title, text and buttons for one reminder (gentle ones are silent)."""
    message = _compose(remind, micro)
    if remind.gentle:
        message = replace(message, gentle=True)
    if remind.again:
        message = replace(message, title=f"Reminder: {message.title[0].lower()}{message.title[1:]}")
    return replace(message, exercise=micro)


def _compose(remind: Remind, micro: MicroExercise | None) -> Message:
    minutes = int(remind.bout_seconds // 60)
    snooze = ((Choice.SNOOZE, "Snooze"),) if remind.snoozes_left > 0 else ()
    skip = ((Choice.SKIP, "Skip"),) if remind.can_skip else ()
    if remind.kind is PromptKind.RETURN:
        return Message(
            "Welcome back: did you stand up?",
            "You were away from the keyboard. Say whether you stood up and moved, so the "
            "coach counts only real breaks.",
            ((Choice.DONE, "Yes, I stood up"), (Choice.SKIP, "No, I stayed seated")),
            gentle=True,
            persistent=False,
        )
    if remind.kind is PromptKind.SIT:
        return Message(
            "Time to sit for a while",
            "You have stood for your block. Lower the desk and sit; the coach logs it.",
            ((Choice.DONE, "Sitting now"), (Choice.SKIP, "Keep standing")),
        )
    if remind.kind is PromptKind.STAND:
        return Message(
            "Stand up: raise the desk",
            f"{minutes} min seated. Stand for about {remind.stand_minutes} min "
            "(daily standing goal, Buckley 2015).",
            ((Choice.DONE, "Standing now"), *snooze, *skip),
        )
    if remind.kind is PromptKind.MINIMUM_DOSE:
        what = f"{micro.name}: {micro.dose}" if micro else "one set of glute squeezes"
        return Message(
            "Just the minimum: one set",
            f"{minutes} min seated and the last breaks were skipped. Stand and do {what}.",
            ((Choice.DONE, "Done"), *snooze),
        )
    extra = f" Try {micro.name.lower()}: {micro.dose}. {micro.how}" if micro else ""
    stretch = ((Choice.STRETCHED, "Did the exercise"),) if micro else ()
    return Message(
        "Stand up and move",
        f"{minutes} min seated. Stand and move for a few minutes.{extra}",
        ((Choice.DONE, "Done"), *stretch, *snooze, *skip),
    )


AnswerCallback = Callable[[int, Choice], None]
OpenCallback = Callable[[int], None]


class Notifier(Protocol):
    name: str
    buttons: bool

    async def show(
        self,
        prompt_id: int,
        message: Message,
        on_answer: AnswerCallback,
        on_open: OpenCallback | None = None,
    ) -> None: ...

    async def inform(self, title: str, body: str) -> None:
        """A plain message beside the reminder (which stays): e.g. an exercise's how-to."""
        ...

    async def withdraw(self, prompt_id: int | None = None) -> None:
        """Close the notification of ``prompt_id`` (None: every one this coach showed)."""
        ...

    async def close(self) -> None: ...

    def describe(self) -> str: ...


class PlainNotifier:
    """Fallback: a line on the terminal (and the bell); answers are inferred from idle time."""

    name = "plain"
    buttons = False

    def __init__(self, out: TextIO | None = None, reason: str = "") -> None:
        self.out = out or sys.stdout
        self.reason = reason

    async def show(
        self,
        prompt_id: int,
        message: Message,
        on_answer: AnswerCallback,
        on_open: OpenCallback | None = None,
    ) -> None:
        del prompt_id, on_answer, on_open
        bell = "" if message.gentle else "\a"
        self.out.write(f"{bell}[glutecoach] {message.title} - {message.body}\n")
        self.out.flush()

    async def inform(self, title: str, body: str) -> None:
        self.out.write(f"[glutecoach] {title} - {body}\n")
        self.out.flush()

    async def withdraw(self, prompt_id: int | None = None) -> None:
        pass

    async def close(self) -> None:
        pass

    def describe(self) -> str:
        why = f" ({self.reason})" if self.reason else ""
        return f"plain text reminders on this terminal{why}"


class DesktopNotifier:
    """desktop-notifier: D-Bus on Linux, Notification Center on macOS, WinRT on Windows."""

    name = "desktop"

    def __init__(self, impl: Any, buttons: bool) -> None:
        self._impl = impl
        self.buttons = buttons
        self._shown: dict[int, str] = {}  # prompt id -> notification id
        self._server_ids: dict[str, int] = {}  # notification id -> the server's id (D-Bus)

    async def show(
        self,
        prompt_id: int,
        message: Message,
        on_answer: AnswerCallback,
        on_open: OpenCallback | None = None,
    ) -> None:
        from desktop_notifier import Button, Icon, Notification, Sound, Urgency

        def pressed(choice: Choice) -> Callable[[], None]:
            return lambda: on_answer(prompt_id, choice)

        buttons = tuple(
            Button(title=label, on_pressed=pressed(choice), identifier=choice.value)
            for choice, label in message.buttons
        )
        await self.withdraw()  # one reminder on screen at a time
        persistent = message.persistent and self.buttons
        note = Notification(
            message.title,
            message.body,
            urgency=Urgency.Low if message.gentle else Urgency.Normal,
            buttons=buttons if self.buttons else (),
            timeout=0 if persistent else -1,
            icon=Icon(path=Path(icon_path())),
            sound=None if message.gentle else Sound(name=SOUND_NAME),
            on_clicked=(lambda: on_open(prompt_id)) if on_open is not None else None,
        )
        identifier = await self._impl.send_notification(note)
        self._shown[prompt_id] = identifier
        mapping = getattr(self._backend, "_platform_to_interface_notification_identifier", None)
        with contextlib.suppress(Exception):
            self._server_ids[identifier] = int(mapping.inverse[identifier])  # type: ignore[union-attr]

    async def inform(self, title: str, body: str) -> None:
        from desktop_notifier import Icon, Notification, Urgency

        note = Notification(
            title, body, urgency=Urgency.Low, icon=Icon(path=Path(icon_path())), timeout=-1
        )
        await self._impl.send_notification(note)

    async def withdraw(self, prompt_id: int | None = None) -> None:
        ids = list(self._shown) if prompt_id is None else [prompt_id]
        for pid in ids:
            identifier = self._shown.pop(pid, None)
            if identifier is None:
                continue
            server_id = self._server_ids.pop(identifier, None)
            try:
                await self._impl.clear(identifier)
                continue
            except Exception as exc:  # a button was pressed: the library forgot this one
                logging.getLogger(__name__).debug("clear failed: %s", exc)
            await self._close_on_server(server_id)

    @property
    def _backend(self) -> Any:
        return getattr(self._impl, "_backend", None)

    async def _close_on_server(self, server_id: int | None) -> None:
        """CloseNotification on the D-Bus server: dunst and others keep a notification whose
        button was pressed on screen until the client closes it."""
        interface = getattr(self._backend, "interface", None)
        if server_id is None or interface is None:
            return
        with contextlib.suppress(Exception):  # already closed
            await interface.call_close_notification(server_id)

    async def close(self) -> None:
        """Drop the connection to the notification server (Linux: the session D-Bus)."""
        bus = getattr(getattr(self._impl, "_backend", None), "bus", None)
        if bus is not None and getattr(bus, "connected", False):
            bus.disconnect()
            await bus.wait_for_disconnect()

    def describe(self) -> str:
        return "desktop notifications" + (" with buttons" if self.buttons else " (no buttons)")


async def open_notifier(out: TextIO | None = None, *, plain: bool = False) -> Notifier:
    """Desktop notifications where a notification server answers, else the plain fallback."""
    if plain:
        return PlainNotifier(out, "asked for --plain")
    if sys.platform.startswith("linux") and not os.environ.get("DBUS_SESSION_BUS_ADDRESS"):
        return PlainNotifier(out, "no session D-Bus")
    try:
        from desktop_notifier import Capability
        from desktop_notifier import DesktopNotifier as Impl
    except ImportError as exc:
        return PlainNotifier(out, f"desktop-notifier is not installed: {exc}")
    try:
        from desktop_notifier import Icon

        impl = Impl(app_name=APP_NAME, app_icon=Icon(path=Path(icon_path())))
        capabilities = await impl.get_capabilities()
    except Exception as exc:
        return PlainNotifier(out, f"no notification server: {type(exc).__name__}: {exc}")
    if not capabilities:
        await DesktopNotifier(impl, False).close()
        return PlainNotifier(out, "no notification server answered")
    return DesktopNotifier(impl, Capability.BUTTONS in capabilities)

"""A StatusNotifierWatcher (tray host) for tests, over a real D-Bus daemon: what a panel does.

It takes ``org.kde.StatusNotifierWatcher``, records the items that register, and reads and
clicks their ``com.canonical.dbusmenu`` menus like a panel would (GetLayout, Event "clicked").
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

from dbus_fast import Message, MessageType, Variant
from dbus_fast.aio import MessageBus
from dbus_fast.annotations import DBusSignature
from dbus_fast.constants import PropertyAccess
from dbus_fast.service import ServiceInterface, dbus_property, method, signal

Str = Annotated[str, DBusSignature("s")]
Strs = Annotated[list[str], DBusSignature("as")]
Bool = Annotated[bool, DBusSignature("b")]
Int = Annotated[int, DBusSignature("i")]


class Watcher(ServiceInterface):
    def __init__(self) -> None:
        super().__init__("org.kde.StatusNotifierWatcher")
        self.items: list[str] = []
        self.registered = asyncio.Event()

    @method()
    def RegisterStatusNotifierItem(self, service: Str):  # type: ignore[no-untyped-def]
        self.items.append(service)
        self.registered.set()
        self.StatusNotifierItemRegistered(service)

    @method()
    def RegisterStatusNotifierHost(self, service: Str):  # type: ignore[no-untyped-def]
        del service

    @dbus_property(access=PropertyAccess.READ)
    def RegisteredStatusNotifierItems(self) -> Strs:
        return list(self.items)

    @dbus_property(access=PropertyAccess.READ)
    def IsStatusNotifierHostRegistered(self) -> Bool:
        return True

    @dbus_property(access=PropertyAccess.READ)
    def ProtocolVersion(self) -> Int:
        return 0

    @signal()
    def StatusNotifierItemRegistered(self, service: Str) -> Str:
        return service


class Host:
    """A panel's side of the protocol, on ``address``."""

    def __init__(self, bus: MessageBus, watcher: Watcher) -> None:
        self.bus = bus
        self.watcher = watcher
        self.signals: list[str] = []
        bus.add_message_handler(self._on_message)

    @classmethod
    async def start(cls, address: str) -> Host:
        bus = await MessageBus(bus_address=address).connect()
        watcher = Watcher()
        bus.export("/StatusNotifierWatcher", watcher)
        await bus.request_name("org.kde.StatusNotifierWatcher")
        host = cls(bus, watcher)
        await host.call(
            "org.freedesktop.DBus",
            "/org/freedesktop/DBus",
            "org.freedesktop.DBus",
            "AddMatch",
            "s",
            ["type='signal'"],
        )
        return host

    def _on_message(self, message: Message) -> None:
        if message.message_type == MessageType.SIGNAL and message.member:
            self.signals.append(message.member)

    async def call(
        self,
        dest: str,
        path: str,
        iface: str,
        member: str,
        sig: str = "",
        body: list[Any] | None = None,
    ) -> Any:
        reply = await self.bus.call(
            Message(
                destination=dest,
                path=path,
                interface=iface,
                member=member,
                signature=sig,
                body=body or [],
            )
        )
        assert reply is not None
        if reply.message_type == MessageType.ERROR:
            raise AssertionError(f"{member}: {reply.error_name} {reply.body}")
        return reply.body

    async def item_properties(self, service: str) -> dict[str, Any]:
        (props,) = await self.call(
            service,
            "/StatusNotifierItem",
            "org.freedesktop.DBus.Properties",
            "GetAll",
            "s",
            ["org.kde.StatusNotifierItem"],
        )
        return {k: v.value for k, v in props.items()}

    async def menu(self, service: str, path: str) -> list[dict[str, Any]]:
        """The menu's items as a panel draws them (id, label, enabled, visible, type)."""
        _revision, layout = await self.call(
            service, path, "com.canonical.dbusmenu", "GetLayout", "iias", [0, -1, []]
        )
        items = []
        for child in layout[2]:
            item_id, props, _children = child.value
            items.append({"id": item_id, **{k: v.value for k, v in props.items()}})
        return items

    async def click(self, service: str, path: str, label: str) -> None:
        items = await self.menu(service, path)
        (item,) = [i for i in items if i.get("label") == label]
        await self.call(
            service,
            path,
            "com.canonical.dbusmenu",
            "Event",
            "isvu",
            [item["id"], "clicked", Variant("s", ""), 0],
        )

    def close(self) -> None:
        self.bus.disconnect()


BUS_CONFIG = """<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:tmpdir={tmp}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"""


@contextlib.contextmanager
def private_bus(tmp: Path) -> Iterator[str]:
    """A throwaway session dbus-daemon without service activation (nothing starts behind the
    test's back, e.g. a notification server); its address. Stopped with its group on exit."""
    config = tmp / "bus.conf"
    config.write_text(BUS_CONFIG.format(tmp=tmp))
    process = subprocess.Popen(
        ["dbus-daemon", f"--config-file={config}", "--nofork", "--print-address=1"],
        stdout=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    assert process.stdout is not None
    address = process.stdout.readline().strip()
    try:
        yield address
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, 15)
        process.wait(timeout=10)
        process.stdout.close()

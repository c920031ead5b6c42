"""The status indicator: a freedesktop StatusNotifierItem (what KDE, GNOME's AppIndicator
extension, Xfce, LXQt and waybar show in their tray) with a ``com.canonical.dbusmenu`` menu,
over the session D-Bus through dbus-fast (already loaded for the notifications).

The coach exports ``/StatusNotifierItem`` and ``/MenuBar`` under the name
``org.kde.StatusNotifierItem-PID-1`` and registers with ``org.kde.StatusNotifierWatcher``. Where
no watcher (tray host) runs it says so once and carries on; when one appears later (a panel
started or restarted) it registers then. Updates are signals (``LayoutUpdated``,
``NewToolTip``, ``NewStatus``) sent only when a label changed: nothing is polled.

The D-Bus methods that return nothing carry no return annotation: dbus-fast reads annotations as
D-Bus signatures, and ``-> None`` is not one.
"""

from __future__ import annotations

import contextlib
import os
import struct
import zlib
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Annotated, Any

from dbus_fast import BusType, Message, MessageType, Variant
from dbus_fast.aio import MessageBus
from dbus_fast.annotations import DBusSignature
from dbus_fast.constants import PropertyAccess
from dbus_fast.service import ServiceInterface, dbus_property, method, signal

from glutecoach.desk.notify import icon_path
from glutecoach.desk.tray_menu import Action, MenuItem, item_status, menu, tooltip

WATCHER = "org.kde.StatusNotifierWatcher"
WATCHER_PATH = "/StatusNotifierWatcher"
ITEM_PATH = "/StatusNotifierItem"
MENU_PATH = "/MenuBar"

Int = Annotated[int, DBusSignature("i")]
UInt = Annotated[int, DBusSignature("u")]
Str = Annotated[str, DBusSignature("s")]
Bool = Annotated[bool, DBusSignature("b")]
ObjPath = Annotated[str, DBusSignature("o")]
Pixmaps = Annotated[list[list[Any]], DBusSignature("a(iiay)")]
TipType = Annotated[list[Any], DBusSignature("(sa(iiay)ss)")]
Strs = Annotated[list[str], DBusSignature("as")]
Ints = Annotated[list[int], DBusSignature("ai")]
Var = Annotated[Variant, DBusSignature("v")]
Layout = Annotated[list[Any], DBusSignature("(ia{sv}av)")]
GroupProps = Annotated[list[list[Any]], DBusSignature("a(ia{sv})")]
Events = Annotated[list[list[Any]], DBusSignature("a(isvu)")]
LayoutReply = Annotated[list[Any], DBusSignature("u(ia{sv}av)")]
ShowGroupReply = Annotated[list[Any], DBusSignature("aiai")]
Removed = Annotated[list[list[Any]], DBusSignature("a(ias)")]
UpdateSignal = Annotated[list[Any], DBusSignature("a(ia{sv})a(ias)")]
LayoutSignal = Annotated[list[Any], DBusSignature("ui")]

OnAction = Callable[[str], None]


def png_pixmap(path: str) -> list[list[Any]]:
    """The icon as StatusNotifierItem pixmaps ``[(w, h, ARGB32 big-endian)]`` (8-bit RGBA PNGs;
    anything else gives none, and hosts use IconName + IconThemePath)."""
    data = Path(path).read_bytes()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        return []
    pos, idat, header = 8, b"", b""
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            header = body
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    width, height, depth, color, _, _, interlace = struct.unpack(">IIBBBBB", header)
    if depth != 8 or color != 6 or interlace:
        return []
    raw, stride = zlib.decompress(idat), width * 4
    rows: list[bytearray] = []
    previous = bytearray(stride)
    for y in range(height):
        start = y * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1 : start + 1 + stride])
        for i in range(stride):
            left = line[i - 4] if i >= 4 else 0
            up = previous[i]
            corner = previous[i - 4] if i >= 4 else 0
            if kind == 1:
                line[i] = (line[i] + left) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + up) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 0xFF
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                best = left if pa <= pb and pa <= pc else up if pb <= pc else corner
                line[i] = (line[i] + best) & 0xFF
        rows.append(line)
        previous = line
    argb = bytearray()
    for line in rows:
        for i in range(0, stride, 4):
            argb += bytes((line[i + 3], line[i], line[i + 1], line[i + 2]))
    return [[width, height, bytes(argb)]]


class StatusNotifierItem(ServiceInterface):
    def __init__(self, tray: Tray) -> None:
        super().__init__("org.kde.StatusNotifierItem")
        self.tray = tray

    @dbus_property(access=PropertyAccess.READ)
    def Category(self) -> Str:
        return "ApplicationStatus"

    @dbus_property(access=PropertyAccess.READ)
    def Id(self) -> Str:
        return "glutecoach-desk"

    @dbus_property(access=PropertyAccess.READ)
    def Title(self) -> Str:
        return "glutecoach: sitting breaks"

    @dbus_property(access=PropertyAccess.READ)
    def Status(self) -> Str:
        return self.tray.item_status

    @dbus_property(access=PropertyAccess.READ)
    def WindowId(self) -> Int:
        return 0

    @dbus_property(access=PropertyAccess.READ)
    def IconName(self) -> Str:
        return "glutecoach"

    @dbus_property(access=PropertyAccess.READ)
    def IconThemePath(self) -> Str:
        return str(Path(icon_path()).parent)

    @dbus_property(access=PropertyAccess.READ)
    def IconPixmap(self) -> Pixmaps:
        return self.tray.pixmap

    @dbus_property(access=PropertyAccess.READ)
    def AttentionIconName(self) -> Str:
        return "glutecoach"

    @dbus_property(access=PropertyAccess.READ)
    def AttentionIconPixmap(self) -> Pixmaps:
        return self.tray.pixmap

    @dbus_property(access=PropertyAccess.READ)
    def OverlayIconName(self) -> Str:
        return ""

    @dbus_property(access=PropertyAccess.READ)
    def ToolTip(self) -> TipType:
        title, text = self.tray.tooltip
        return ["glutecoach", self.tray.pixmap, title, text]

    @dbus_property(access=PropertyAccess.READ)
    def ItemIsMenu(self) -> Bool:
        return True

    @dbus_property(access=PropertyAccess.READ)
    def Menu(self) -> ObjPath:
        return MENU_PATH

    @method()
    def Activate(self, x: Int, y: Int):  # type: ignore[no-untyped-def]
        """A left click where the host does not show the menu for it (Xfce): open the app."""
        del x, y
        if self.tray.on_action is not None:
            self.tray.on_action(Action.OPEN)

    @method()
    def SecondaryActivate(self, x: Int, y: Int):  # type: ignore[no-untyped-def]
        del x, y

    @method()
    def ContextMenu(self, x: Int, y: Int):  # type: ignore[no-untyped-def]
        del x, y

    @method()
    def Scroll(self, delta: Int, orientation: Str):  # type: ignore[no-untyped-def]
        del delta, orientation

    @signal()
    def NewToolTip(self):  # type: ignore[no-untyped-def]
        return None

    @signal()
    def NewStatus(self, status: Str) -> Str:
        return status


class DBusMenu(ServiceInterface):
    def __init__(self, tray: Tray) -> None:
        super().__init__("com.canonical.dbusmenu")
        self.tray = tray

    @dbus_property(access=PropertyAccess.READ)
    def Version(self) -> UInt:
        return 3

    @dbus_property(access=PropertyAccess.READ)
    def TextDirection(self) -> Str:
        return "ltr"

    @dbus_property(access=PropertyAccess.READ)
    def Status(self) -> Str:
        return "normal"

    @dbus_property(access=PropertyAccess.READ)
    def IconThemePath(self) -> Strs:
        return []

    @method()
    def GetLayout(self, parent_id: Int, depth: Int, names: Strs) -> LayoutReply:
        del depth, names
        return [self.tray.revision, self.tray.layout(parent_id)]

    @method()
    def GetGroupProperties(self, ids: Ints, names: Strs) -> GroupProps:
        del names
        items = self.tray.items
        return [[i.id, _variants(i.properties())] for i in items if not ids or i.id in ids]

    @method()
    def GetProperty(self, item_id: Int, name: Str) -> Var:
        for item in self.tray.items:
            if item.id == item_id:
                return _variants(item.properties()).get(name, Variant("s", ""))
        return Variant("s", "")

    @method()
    def Event(self, item_id: Int, event_id: Str, data: Var, timestamp: UInt):  # type: ignore[no-untyped-def]
        del data, timestamp
        if event_id == "clicked":
            self.tray.clicked(item_id)

    @method()
    def EventGroup(self, events: Events) -> Ints:
        known = {i.id for i in self.tray.items}
        for item_id, event_id, _data, _stamp in events:
            if event_id == "clicked":
                self.tray.clicked(item_id)
        return [e[0] for e in events if e[0] not in known]

    @method()
    def AboutToShow(self, item_id: Int) -> Bool:
        del item_id
        return False

    @method()
    def AboutToShowGroup(self, ids: Ints) -> ShowGroupReply:
        del ids
        return [[], []]

    @signal()
    def LayoutUpdated(self, revision: UInt, parent: Int) -> LayoutSignal:
        return [revision, parent]

    @signal()
    def ItemsPropertiesUpdated(self, updated: GroupProps, removed: Removed) -> UpdateSignal:
        return [updated, removed]


def _variants(values: Mapping[str, Any]) -> dict[str, Variant]:
    kinds = {bool: "b", int: "i", str: "s"}
    return {k: Variant(kinds[type(v)], v) for k, v in values.items()}


class Tray:
    """The coach's status indicator on the session D-Bus (one per coach)."""

    def __init__(self, bus: MessageBus, on_action: OnAction | None = None) -> None:
        self.bus = bus
        self.on_action = on_action
        self.items: tuple[MenuItem, ...] = menu({})
        self.tooltip = tooltip({})
        self.item_status = "Active"
        self.revision = 1
        self.registered = False
        self.description = ""
        self.pixmap: list[list[Any]] = []
        with contextlib.suppress(OSError, ValueError, struct.error, zlib.error):
            self.pixmap = png_pixmap(icon_path())
        self.name = f"org.kde.StatusNotifierItem-{os.getpid()}-1"
        self._item = StatusNotifierItem(self)
        self._menu = DBusMenu(self)

    async def start(self) -> str:
        """Export the item and its menu, register with the tray host; says what happened."""
        self.bus.export(ITEM_PATH, self._item)
        self.bus.export(MENU_PATH, self._menu)
        await self.bus.request_name(self.name)
        self.bus.add_message_handler(self._on_message)
        match = f"type='signal',member='NameOwnerChanged',arg0='{WATCHER}'"
        await self._call("org.freedesktop.DBus", "/org/freedesktop/DBus",
                         "org.freedesktop.DBus", "AddMatch", "s", [match])  # fmt: skip
        await self.register()
        return self.description

    async def register(self) -> bool:
        reply = await self._call(
            WATCHER, WATCHER_PATH, WATCHER, "RegisterStatusNotifierItem", "s", [self.name]
        )
        self.registered = reply is not None and reply.message_type == MessageType.METHOD_RETURN
        if self.registered:
            self.description = "status indicator: in the tray (StatusNotifierItem)"
        else:
            self.description = (
                "status indicator: no tray host on this desktop (no StatusNotifierWatcher on "
                "the session D-Bus); carrying on without one"
            )
        return self.registered

    async def _call(
        self, dest: str, path: str, iface: str, member: str, sig: str, body: list[Any]
    ) -> Message | None:
        try:
            return await self.bus.call(
                Message(
                    destination=dest,
                    path=path,
                    interface=iface,
                    member=member,
                    signature=sig,
                    body=body,
                )
            )
        except Exception:  # the bus went away
            return None

    def _on_message(self, message: Message) -> None:
        """A tray host appeared (a panel started or restarted): register with it."""
        if (
            message.message_type == MessageType.SIGNAL
            and message.member == "NameOwnerChanged"
            and message.body
            and message.body[0] == WATCHER
            and message.body[2]
        ):
            import asyncio

            task = asyncio.ensure_future(self.register())
            self._pending = task

    def layout(self, parent_id: int) -> list[Any]:
        children = [
            Variant("(ia{sv}av)", [i.id, _variants(i.properties()), []]) for i in self.items
        ]
        if parent_id != 0:
            for item in self.items:
                if item.id == parent_id:
                    return [item.id, _variants(item.properties()), []]
        return [0, {"children-display": Variant("s", "submenu")}, children]

    def clicked(self, item_id: int) -> None:
        for item in self.items:
            if item.id == item_id and item.action and item.enabled and self.on_action:
                self.on_action(item.action)

    def update(self, status: Mapping[str, Any], reminder_open: bool = False) -> None:
        """New status from the coach: signal only what changed."""
        items, tip, state = menu(status), tooltip(status), item_status(reminder_open)
        if items != self.items:
            self.items = items
            self.revision += 1
            self._menu.LayoutUpdated(self.revision, 0)
        if tip != self.tooltip:
            self.tooltip = tip
            self._item.NewToolTip()
        if state != self.item_status:
            self.item_status = state
            self._item.NewStatus(state)

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.bus.disconnect()


async def open_tray(on_action: OnAction | None = None) -> tuple[Tray | None, str]:
    """The status indicator, or None with the reason (no session D-Bus, dbus-fast missing)."""
    if not os.environ.get("DBUS_SESSION_BUS_ADDRESS"):
        return None, "status indicator: none (no session D-Bus)"
    try:
        bus = await MessageBus(bus_type=BusType.SESSION).connect()
    except Exception as exc:
        return None, f"status indicator: none (session D-Bus: {type(exc).__name__})"
    tray = Tray(bus, on_action)
    try:
        return tray, await tray.start()
    except Exception as exc:
        tray.close()
        return None, f"status indicator: none ({type(exc).__name__}: {exc})"

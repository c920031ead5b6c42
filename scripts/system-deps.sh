#!/usr/bin/env bash
# The system parts the test suite drives for real: PostgreSQL, Debian's Chromium, Xvfb + xdotool,
# dunst on a private D-Bus, libnotify, OpenGL/GLib for OpenCV, Xfce's panel (a real tray host for
# the desk coach's status indicator), openbox (a real window manager: fullscreen) and PulseAudio
# with its pactl/parec (a real recording stream), KWin (a real Wayland compositor with
# ext-idle-notify-v1, headless) with its fake-input protocol. Installs what is missing with apt
# (as root, or through sudo without a password); otherwise prints the exact command and fails,
# so the suite never passes by skipping its real parts.
set -euo pipefail

# binary-or-file  debian-package
REQUIRED=(
  "pg_ctl:/usr/lib/postgresql/*/bin/pg_ctl postgresql"
  "chromium:/usr/bin/chromium chromium"
  "Xvfb xvfb"
  "xdotool xdotool"
  "dunst dunst"
  "dbus-launch dbus-x11"
  "notify-send libnotify-bin"
  "libGL:/usr/lib/*/libGL.so.1 libgl1"
  "libglib:/usr/lib/*/libglib-2.0.so.0 libglib2.0-0"
  "pdftotext poppler-utils"
  "npm npm"
  "redis-server redis-server"
  "xfce4-panel xfce4-panel"
  "openbox openbox"
  "pulseaudio pulseaudio"
  "pactl pulseaudio-utils"
  "kwin_wayland kwin-wayland"
  "kbuildsycoca5 libkf5service-bin"
  "fake-input.xml:/usr/share/plasma-wayland-protocols/fake-input.xml plasma-wayland-protocols"
)

missing=()
for entry in "${REQUIRED[@]}"; do
  what="${entry% *}"; package="${entry##* }"
  if [[ "$what" == *:* ]]; then
    pattern="${what#*:}"
    # shellcheck disable=SC2086
    compgen -G $pattern >/dev/null || missing+=("$package")
  else
    command -v "$what" >/dev/null 2>&1 || missing+=("$package")
  fi
done

[ ${#missing[@]} -eq 0 ] && exit 0

command_line="apt-get update && apt-get install -y --no-install-recommends ${missing[*]}"
if command -v apt-get >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then sudo=""; elif sudo -n true 2>/dev/null; then sudo="sudo"; else sudo=none; fi
  if [ "$sudo" != none ]; then
    echo "Installing the system packages the tests drive: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    $sudo apt-get update -qq
    $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    exit 0
  fi
  echo "The test suite drives real system parts that are missing: ${missing[*]}." >&2
  echo "Install them, then run make test again:  sudo sh -c '$command_line'" >&2
else
  echo "The test suite drives real system parts that are missing (Debian names): ${missing[*]}." >&2
  echo "Install the equivalents with your package manager, then run make test again." >&2
fi
exit 1

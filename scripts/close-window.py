#!/usr/bin/python3
"""Closes an X11 window the way a window manager's close button does.

Sends WM_DELETE_WINDOW to every mapped top-level window titled ARGV[1], so
the app sees an ordinary close request. `make bench` uses it to measure
Baton with only its tray left: Xvfb has no window manager to click.
"""
import sys

from Xlib import X, Xatom, display, protocol


def windows(win):
    for child in win.query_tree().children:
        yield child
        yield from windows(child)


def main() -> int:
    title = sys.argv[1]
    d = display.Display()
    protocols = d.intern_atom("WM_PROTOCOLS")
    delete = d.intern_atom("WM_DELETE_WINDOW")
    closed = 0
    for w in windows(d.screen().root):
        try:
            name = w.get_full_property(d.intern_atom("_NET_WM_NAME"), 0) or w.get_full_property(Xatom.WM_NAME, 0)
            if name is None or name.value.decode(errors="replace") != title:
                continue
            if w.get_attributes().map_state != X.IsViewable:
                continue
            if delete not in (w.get_wm_protocols() or []):
                continue
        except Exception:  # a window that vanished while we looked
            continue
        event = protocol.event.ClientMessage(window=w, client_type=protocols, data=(32, [delete, X.CurrentTime, 0, 0, 0]))
        w.send_event(event, event_mask=X.NoEventMask)
        closed += 1
    d.flush()
    print(f"close-window: asked {closed} window(s) titled {title!r} to close")
    return 0 if closed else 1


if __name__ == "__main__":
    sys.exit(main())

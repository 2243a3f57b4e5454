#!/usr/bin/python3
"""Small X11 chores for tests and benchmarks under Xvfb, where no window
manager or screenshot tool runs:

  x11.py grab OUT.png [X Y W H]   save the screen (or a region) as a PNG
  x11.py close TITLE              ask every window titled TITLE to close, as a
                                  window manager's close button does
  x11.py has TITLE                exit 0 when a mapped window titled TITLE exists
"""
import struct
import sys
import zlib

from Xlib import X, Xatom, display, protocol


def windows(win):
    try:
        children = win.query_tree().children
    except Exception:  # a window that vanished while we looked
        return
    for child in children:
        yield child
        yield from windows(child)


def titled(d, title):
    net_name = d.intern_atom("_NET_WM_NAME")
    for w in windows(d.screen().root):
        try:
            name = w.get_full_property(net_name, 0) or w.get_full_property(Xatom.WM_NAME, 0)
            if name is None or name.value.decode(errors="replace") != title:
                continue
            if w.get_attributes().map_state != X.IsViewable:
                continue
        except Exception:  # a window that vanished while we looked
            continue
        yield w


def grab(d, out, region):
    root = d.screen().root
    geo = root.get_geometry()
    x, y, w, h = region or (0, 0, geo.width, geo.height)
    data = root.get_image(x, y, w, h, X.ZPixmap, 0xFFFFFFFF).data
    rows = bytearray()
    for r in range(h):
        rows.append(0)  # PNG filter: none
        line = data[r * w * 4:(r + 1) * w * 4]
        for i in range(0, len(line), 4):
            rows += bytes((line[i + 2], line[i + 1], line[i]))  # BGRX to RGB

    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    with open(out, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n")
        f.write(chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)))
        f.write(chunk(b"IDAT", zlib.compress(bytes(rows), 6)))
        f.write(chunk(b"IEND", b""))
    return 0


def close(d, title):
    protocols = d.intern_atom("WM_PROTOCOLS")
    delete = d.intern_atom("WM_DELETE_WINDOW")
    closed = 0
    for w in titled(d, title):
        if delete not in (w.get_wm_protocols() or []):
            continue
        event = protocol.event.ClientMessage(window=w, client_type=protocols, data=(32, [delete, X.CurrentTime, 0, 0, 0]))
        w.send_event(event, event_mask=X.NoEventMask)
        closed += 1
    d.flush()
    print(f"x11: asked {closed} window(s) titled {title!r} to close")
    return 0 if closed else 1


def main(argv):
    d = display.Display()
    if len(argv) >= 2 and argv[0] == "grab":
        region = tuple(int(v) for v in argv[2:6]) if len(argv) >= 6 else None
        return grab(d, argv[1], region)
    if len(argv) == 2 and argv[0] == "close":
        return close(d, argv[1])
    if len(argv) == 2 and argv[0] == "has":
        return 0 if any(True for _ in titled(d, argv[1])) else 1
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

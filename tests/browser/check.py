#!/usr/bin/env python3
"""The checks of tests/browser/report.sh on what headless Chromium made of a page.

Standard library only (the script runs on a bare Debian with python3), one subcommand
per step, each printing `ok: ...` lines or `FAIL: ...` lines and exiting 1 on a failure:

  copy SRC DST [--probe JS] [--print-layout] [--page-size SIZE]
      a copy of a page to load: with the probe script first in <head>; with the print
      style sheet applied on screen (`@media print` read as `@media all`); with
      `@page { size: SIZE }` so that --print-to-pdf prints on that paper
  print-width SRC SIZE    the width in CSS px of the printed area of SIZE (A4, Letter),
                          the paper less the page's own @page left and right margins
  probe DUMP LOG [--tables]
      the probe's record in a --dump-dom output, and Chromium's stderr: console
      messages, script and resource errors, resources from outside the file; with
      --tables also any table wider than its container or the page (the dump was
      made at the printed width); prints `height N` (the page's height in CSS px)
  blank DUMP PNG          each chart's box in the screenshot PNG has ink: at least
                          MIN_INK_SHARE of its pixels differ from its most common
                          colour, in at least MIN_COLOURS colours
  pages PDF SIZE MAX      the PDF has SIZE pages (media box) and at most MAX of them
  promise README NAME     the page count the README promises for NAME (report.html,
                          compare.html): "`NAME` ... prints on at most N A4 or Letter pages"
"""

import html
import json
import re
import struct
import sys
import zlib

# A chart with ink on less than this share of its box, or in fewer colours, is blank.
# The bundled charts have 6-54% ink in hundreds of colours; a frame alone has about 1%.
MIN_INK_SHARE = 0.02
MIN_COLOURS = 4

MM_PER_UNIT = {"mm": 1.0, "cm": 10.0, "in": 25.4, "pt": 25.4 / 72, "px": 25.4 / 96, "pc": 25.4 / 6}
# Paper width in mm.
PAPER_WIDTH_MM = {"A4": 210.0, "Letter": 215.9}
# Paper size as PDF points (width, height).
PAPER_POINTS = {"A4": (595.28, 841.89), "Letter": (612.0, 792.0)}
# Chromium's margin when a page sets none (Page.printToPDF's default, 0.4 in).
DEFAULT_MARGIN_MM = 10.16

failures = []


def ok(text):
    print(f"  ok: {text}")


def fail(text):
    print(f"  FAIL: {text}")
    failures.append(text)


def finish():
    sys.exit(1 if failures else 0)


def read(path, mode="r"):
    with open(path, mode, **({} if "b" in mode else {"encoding": "utf-8"})) as file:
        return file.read()


def insert_in_head(page, text):
    head = re.search(r"<head[^>]*>", page, re.I)
    if head is None:
        return text + page
    return page[: head.end()] + text + page[head.end():]


def cmd_copy(args):
    src, dst, rest = args[0], args[1], args[2:]
    page = read(src)
    if "--print-layout" in rest:
        page = re.sub(r"@media\s+print\b", "@media all", page)
    if "--page-size" in rest:
        size = rest[rest.index("--page-size") + 1]
        # Last in <head>, so it adds to the page's own @page rule (its margins stay).
        page = re.sub(r"</head>", f"<style>@page {{ size: {size}; }}</style></head>", page, count=1, flags=re.I)
    if "--probe" in rest:
        probe = read(rest[rest.index("--probe") + 1])
        page = insert_in_head(page, f"<script>\n{probe}\n</script>")
    with open(dst, "w", encoding="utf-8") as file:
        file.write(page)


def length_mm(text):
    match = re.fullmatch(r"\s*(-?[0-9.]+)\s*([a-z]*)\s*", text)
    if match is None:
        return None
    value, unit = float(match.group(1)), match.group(2) or "px"
    return value * MM_PER_UNIT[unit] if unit in MM_PER_UNIT else None


def page_margins_mm(page):
    """Left and right margins of the page's @page rules, the last declaration winning."""
    left = right = DEFAULT_MARGIN_MM
    for body in re.findall(r"@page[^{]*\{([^}]*)\}", page):
        for name, value in re.findall(r"(margin(?:-left|-right)?)\s*:\s*([^;]+)", body):
            values = [length_mm(v) for v in value.split()]
            if None in values or not values:
                continue
            if name == "margin":
                # CSS shorthand: 1 to 4 values, top right bottom left.
                right = values[1] if len(values) > 1 else values[0]
                left = values[3] if len(values) > 3 else right
            elif name == "margin-left":
                left = values[0]
            else:
                right = values[0]
    return left, right


def cmd_print_width(args):
    page, size = read(args[0]), args[1]
    left, right = page_margins_mm(page)
    print(round((PAPER_WIDTH_MM[size] - left - right) / 25.4 * 96))


def probe_record(dump_path):
    records = re.findall(r'<pre id="buildout-probe"[^>]*>(.*?)</pre>', read(dump_path), re.S)
    if not records:
        fail(f"{dump_path}: no probe record in the dumped page (the page did not finish loading?)")
        finish()
    return json.loads(html.unescape(records[-1]))


def cmd_probe(args):
    dump, log, tables = args[0], args[1], "--tables" in args[2:]
    record = probe_record(dump)
    # Chromium writes every console message of the page to stderr with
    # --enable-logging=stderr --v=0 as `[...:INFO:CONSOLE:N] "text", source: URL (line)`.
    # The pages run no script but the probe, which logs nothing, so any is a failure.
    console = [line.strip() for line in read(log, "rb").decode("utf-8", "replace").splitlines()
               if re.search(r":CONSOLE(:\d+)?\]", line)]
    for line in console:
        fail(f"console message: {line}")
    for problem in record["problems"]:
        fail(f"{problem['kind']}: {problem['text']}")
    for url in record["resources"]:
        fail(f"loads a resource from outside the file: {url}")
    if not console and not record["problems"] and not record["resources"]:
        ok("no console message, script or resource error, nothing loaded from outside the file")
    page = record["page"]
    if tables:
        for table in record["tables"]:
            if table["overflow_px"] > 0.5:
                fail(f"table {table['label']} is cut at the page edge: {table['overflow_px']:.0f} px "
                     f"wider than its container or the window (scrollWidth {table['scroll_width']}, "
                     f"clientWidth {table['client_width']})")
        if page["scroll_width"] > page["client_width"]:
            fail(f"the page is {page['scroll_width'] - page['client_width']} px wider than its window")
        if record["tables"] and all(t["overflow_px"] <= 0.5 for t in record["tables"]):
            count = len(record["tables"])
            ok(f"{count} table{'s' if count > 1 else ''} fit{'' if count > 1 else 's'} the page width "
               f"({page['client_width']} px)")
    print(f"height {page['height']}")


def decode_png(path):
    """RGB(A) 8-bit, non-interlaced PNG (what Chromium's --screenshot writes) -> rows of bytes."""
    data = read(path, "rb")
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError(f"{path} is not a PNG")
    pos, idat, header = 8, [], None
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos:pos + 4])
        kind, chunk = data[pos + 4:pos + 8], data[pos + 8:pos + 8 + length]
        pos += 12 + length
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", chunk)
        elif kind == b"IDAT":
            idat.append(chunk)
    width, height, depth, colour_type, _, _, interlace = header
    channels = {0: 1, 2: 3, 4: 2, 6: 4}.get(colour_type)
    if depth != 8 or interlace != 0 or channels is None:
        raise ValueError(f"{path}: PNG layout not handled (depth {depth}, colour type {colour_type})")
    raw = zlib.decompress(b"".join(idat))
    stride = width * channels
    # Byte-wise addition mod 256 on whole rows at once, as big integers (SWAR), for the
    # None, Sub and Up filters; Average and Paeth go byte by byte.
    low7 = int.from_bytes(b"\x7f" * stride, "little")
    high = int.from_bytes(b"\x80" * stride, "little")
    mask = (1 << (8 * stride)) - 1

    def add(a, b):
        return ((a & low7) + (b & low7)) ^ ((a ^ b) & high)

    previous, rows = bytes(stride), []
    for y in range(height):
        start = y * (stride + 1)
        kind, row = raw[start], raw[start + 1:start + 1 + stride]
        if kind == 0:
            out = row
        elif kind == 2:
            out = add(int.from_bytes(row, "little"), int.from_bytes(previous, "little")).to_bytes(stride, "little")
        elif kind == 1:
            value, shift = int.from_bytes(row, "little"), channels
            while shift < stride:  # prefix sum in log steps
                value = add(value, (value << (8 * shift)) & mask)
                shift *= 2
            out = value.to_bytes(stride, "little")
        else:
            out = bytearray(row)
            for i in range(stride):
                left = out[i - channels] if i >= channels else 0
                up = previous[i]
                if kind == 3:
                    out[i] = (out[i] + ((left + up) >> 1)) & 255
                else:
                    up_left = previous[i - channels] if i >= channels else 0
                    p = left + up - up_left
                    pa, pb, pc = abs(p - left), abs(p - up), abs(p - up_left)
                    pred = left if pa <= pb and pa <= pc else (up if pb <= pc else up_left)
                    out[i] = (out[i] + pred) & 255
            out = bytes(out)
        rows.append(out)
        previous = out
    return width, height, channels, rows


def cmd_blank(args):
    record = probe_record(args[0])
    width, height, channels, rows = decode_png(args[1])
    if not record["charts"]:
        fail("the page has no chart (no svg or img)")
    for chart in record["charts"]:
        box = chart["box"]
        x0, y0 = max(0, int(box["x"] + 0.5)), max(0, int(box["y"] + 0.5))
        x1, y1 = min(width, int(box["x"] + box["width"])), min(height, int(box["y"] + box["height"]))
        if x1 - x0 < 20 or y1 - y0 < 20:
            fail(f"chart {chart['label']}: its box {x1 - x0}x{y1 - y0} px (in a {width}x{height} "
                 f"screenshot) is too small to show anything")
            continue
        counts = {}
        for y in range(y0, y1):
            row = rows[y]
            for x in range(x0 * channels, x1 * channels, channels):
                pixel = row[x:x + 3]
                counts[pixel] = counts.get(pixel, 0) + 1
        area = (x1 - x0) * (y1 - y0)
        ink = 1 - max(counts.values()) / area
        if ink < MIN_INK_SHARE or len(counts) < MIN_COLOURS:
            fail(f"chart {chart['label']} is blank: {ink:.1%} of its {x1 - x0}x{y1 - y0} px differ from its "
                 f"background, in {len(counts)} colours (needs {MIN_INK_SHARE:.0%} and {MIN_COLOURS})")
        else:
            ok(f"chart {chart['label']}: {ink:.0%} ink, {len(counts)} colours")


def cmd_pages(args):
    pdf, size, most = read(args[0], "rb"), args[1], int(args[2])
    # Chromium's PDFs (Skia) keep page objects uncompressed: one `/Type /Page` each.
    pages = len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf))
    boxes = {tuple(round(float(v)) for v in box.split()[2:4])
             for box in re.findall(rb"/MediaBox\s*\[([^\]]*)\]", pdf)}
    want = tuple(round(v) for v in PAPER_POINTS[size])
    if pages == 0:
        fail(f"{args[0]}: found no page in the PDF")
    elif pages > most:
        fail(f"{args[0]}: {pages} {size} pages, more than the {most} the README promises")
    else:
        ok(f"{pages} {size} pages (at most {most})")
    if boxes != {want}:
        fail(f"{args[0]}: page size {sorted(boxes)} pt, expected {size} {want}")


def cmd_promise(args):
    text = " ".join(read(args[0]).split())
    name = re.escape(args[1])
    match = re.search(rf"`{name}`[^`]*? prints on at most (\d+) A4 or Letter pages", text)
    if match is None:
        fail(f"{args[0]} promises no page count for {args[1]} "
             f"(expected: \"`{args[1]}` ... prints on at most N A4 or Letter pages\")")
        finish()
    print(match.group(1))


COMMANDS = {"copy": cmd_copy, "print-width": cmd_print_width, "probe": cmd_probe, "blank": cmd_blank,
            "pages": cmd_pages, "promise": cmd_promise}

if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] not in COMMANDS:
        sys.exit(__doc__)
    COMMANDS[sys.argv[1]](sys.argv[2:])
    finish()

#!/usr/bin/env python3
"""Copies a wasm module without its linker sections ("linking" and "reloc.*").

The single-page bundles (scripts/build.sh) compile in cargo-leptos's target folder with its
flags, so they reuse its compiled dependencies instead of building them all a second time.
One of those flags keeps the linker's relocations in the module (the portal's splitting needs
them); wasm-opt cannot optimise a module that has them, so they go before wasm-bindgen.

Usage: strip-wasm-relocs.py IN OUT
"""
import sys


def leb128(data, at):
    """An unsigned LEB128 number at `at`: its value and the offset after it."""
    value = shift = 0
    while True:
        byte = data[at]
        at += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return value, at


def strip(data):
    if data[:4] != b"\0asm":
        sys.exit("not a wasm module")
    out = bytearray(data[:8])  # magic and version
    at = 8
    while at < len(data):
        start = at
        section_id = data[at]
        size, body = leb128(data, at + 1)
        at = body + size
        if section_id == 0:  # a custom section: its name comes first
            length, name_at = leb128(data, body)
            name = data[name_at:name_at + length]
            if name == b"linking" or name.startswith(b"reloc."):
                continue
        out += data[start:at]
    return bytes(out)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__.strip().splitlines()[-1])
    with open(sys.argv[1], "rb") as f:
        stripped = strip(f.read())
    with open(sys.argv[2], "wb") as f:
        f.write(stripped)

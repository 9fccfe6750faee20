#!/usr/bin/env python3
"""Regenerates simple-icons.tsv from the npm package `simple-icons` (CC0-1.0).

    npm pack simple-icons@VERSION && tar xzf simple-icons-VERSION.tgz
    python3 assets/icons/update.py package/ > assets/icons/simple-icons.tsv

One icon per line, tab-separated: slug, title, brand colour (hex), other names (the package's
aliases: aka, dup titles, localised titles; `|`-separated), the SVG path (24x24 view box).
src/app/icons.rs reads it; the app embeds it as it is.
"""
import json
import re
import sys
from pathlib import Path

root = Path(sys.argv[1])
version = json.loads((root / "package.json").read_text())["version"]
icons = json.loads((root / "data" / "simple-icons.json").read_text())
print(f"# Simple Icons {version} (CC0-1.0, https://simpleicons.org), {len(icons)} icons; made by update.py")
for icon in icons:
    svg = (root / "icons" / f"{icon['slug']}.svg").read_text()
    paths = re.findall(r'<path d="([^"]+)"', svg)
    assert len(paths) == 1, icon["slug"]
    aliases = icon.get("aliases", {})
    names = list(aliases.get("aka", []))
    names += [dup["title"] for dup in aliases.get("dup", [])]
    names += list(aliases.get("loc", {}).values())
    fields = [icon["slug"], icon["title"], icon["hex"], "|".join(names), paths[0]]
    assert not any("\t" in f or "\n" in f for f in fields), icon["slug"]
    print("\t".join(fields))

#!/usr/bin/python3
"""Prints the accessibility tree of the running `tessera` window as the AT-SPI registry shows it
to screen readers (Orca reads the same tree): one JSON list of [role, name, depth] per node.

Run with Debian's /usr/bin/python3 (python3-pyatspi) on the app's D-Bus session and display.
Waits up to 20 s for the application and for its web content to appear.
"""
import json
import sys
import time

import pyatspi

MAX_NODES = 20000


def find_app():
    desktop = pyatspi.Registry.getDesktop(0)
    for i in range(desktop.childCount):
        app = desktop.getChildAtIndex(i)
        if app is not None and (app.name or "").lower().startswith("tessera"):
            return app
    return None


def walk(root):
    nodes, stack = [], [(root, 0)]
    while stack and len(nodes) < MAX_NODES:
        node, depth = stack.pop()
        try:
            role, name = node.getRoleName(), node.name or ""
            count = node.childCount
        except Exception:  # a node that went away while walking
            continue
        nodes.append([role, name, depth])
        for i in reversed(range(count)):
            try:
                child = node.getChildAtIndex(i)
            except Exception:
                child = None
            if child is not None:
                stack.append((child, depth + 1))
    return nodes


def main():
    wanted = sys.argv[1] if len(sys.argv) > 1 else ""
    deadline = time.time() + 20
    nodes = []
    while time.time() < deadline:
        app = find_app()
        if app is not None:
            nodes = walk(app)
            if not wanted or any(wanted in name for _, name, _ in nodes):
                break
        time.sleep(0.5)
    json.dump(nodes, sys.stdout)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Finds import circles between sibling modules, and checks the layers the guide fixes.

For every crate (the app, tessera-core, tessera-cli) each `.rs` file is a module; every path it
names (`use crate::a::b`, `super::x`, `crate::a::b::f(...)`) is resolved to a module. A reference
from module A to module B, where A and B sit under the same parent, is an edge between the two
siblings (a child naming its parent, or a parent its children, is not). Any cycle among siblings
is reported, and so is any edge against the layers:

  tessera-core: otp <- vault <- transfer, scan beside (otp, vault and scan never name transfer;
                otp never names vault or scan; scan never names vault or transfer);
                `file` names none of them
  the app:      ui -> app -> platform; platform and app never name ui, platform never app

Exit status 1 with the offending edges and cycles, 0 when clean. Run: .ci/module-cycles.py
"""

import re
import sys
from pathlib import Path

ROOT = Path(sys.argv[1]).resolve() if len(sys.argv) > 1 else Path(__file__).resolve().parent.parent
CRATES = {"app": ROOT / "src", "core": ROOT / "crates/core/src", "cli": ROOT / "crates/cli/src"}
FORBIDDEN = {
    "core": {
        "otp": {"vault", "transfer", "scan"},
        "vault": {"transfer", "scan"},
        "scan": {"vault", "transfer"},
        "file": {"otp", "vault", "transfer", "scan"},
    },
    "app": {"app": {"ui"}, "platform": {"ui", "app"}},
}


def modules(src: Path) -> dict:
    """Module path (tuple) -> file, for every .rs file of a crate."""
    found = {}
    for file in src.rglob("*.rs"):
        rel = file.relative_to(src).with_suffix("")
        parts = list(rel.parts)
        if parts in (["lib"], ["main"]):
            parts = []
        elif parts[-1] == "mod":
            parts = parts[:-1]
        found[tuple(parts)] = file
    return found


PATH = re.compile(r"\b((?:crate|super|self)(?:::[A-Za-z_][A-Za-z0-9_]*|::\{)+)")


def strip_comments(text: str) -> str:
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    return "\n".join(line.split("//")[0] for line in text.splitlines())


def references(module: tuple, text: str, known: dict) -> set:
    """The modules `module` names."""
    named = set()
    for match in PATH.finditer(strip_comments(text)):
        parts = match.group(1).rstrip(":{").split("::")
        base = list(module)
        rest = parts
        if parts[0] == "crate":
            base, rest = [], parts[1:]
        else:
            # `super` is the parent of this module (a file `a/b.rs` is module a::b).
            while rest and rest[0] in ("super", "self"):
                if rest[0] == "super":
                    base = base[:-1]
                rest = rest[1:]
        target = list(base)
        for part in rest:
            if tuple(target + [part]) in known:
                target.append(part)
            else:
                break
        named.add(tuple(target))
    named.discard(module)
    return named


def main() -> int:
    problems = []
    for crate, src in CRATES.items():
        known = modules(src)
        edges = {}
        for module, file in known.items():
            for target in references(module, file.read_text(), known):
                # The siblings under the common parent.
                common = 0
                while common < min(len(module), len(target)) and module[common] == target[common]:
                    common += 1
                if common == len(module) or common == len(target):
                    continue  # a parent or a child
                a, b = module[: common + 1], target[: common + 1]
                edges.setdefault(a, set()).add(b)
                layer = FORBIDDEN.get(crate, {})
                if common == 0 and b[0] in layer.get(a[0], set()):
                    problems.append(f"{crate}: {'::'.join(module)} names {'::'.join(target)} (against the layers)")
        # Cycles: depth-first search over the sibling graph.
        state = {}

        def visit(node, stack):
            state[node] = "open"
            for nxt in sorted(edges.get(node, ())):
                if state.get(nxt) == "open":
                    cycle = stack[stack.index(nxt):] + [nxt]
                    problems.append(f"{crate}: circle " + " -> ".join("::".join(m) for m in cycle))
                elif nxt not in state:
                    visit(nxt, stack + [nxt])
            state[node] = "done"

        for node in sorted(edges):
            if node not in state:
                visit(node, [node])
        print(f"{crate}: {len(known)} modules, {sum(len(v) for v in edges.values())} edges between siblings")
    for problem in problems:
        print(problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

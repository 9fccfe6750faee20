#!/usr/bin/env python3
"""Read an Aegis vault file (plain or encrypted) and print its entries as JSON.

Written only from Aegis's docs/vault.md (file version 1, content versions 1-3), independently of
Tessera's code, to prove that Tessera's Aegis export is what Aegis reads:

    header.slots[]  type 1 = password: scrypt(password, salt, n, r, p) -> 32-byte key, which
                    opens "key" (hex) with AES-256-GCM, key_params.nonce/tag -> master key
    header.params   nonce/tag of the content
    db              plain: the content object; encrypted: Base64 of AES-256-GCM ciphertext

    pip install cryptography
    AEGIS_PASSWORD=... python3 docs/aegis_reader.py export.json

Prints {"version": N, "entries": [...], "groups": [...]}: keep the output private.
"""

import base64
import hashlib
import json
import os
import sys

from cryptography.hazmat.primitives.ciphers.aead import AESGCM


def master_key(header, password):
    for slot in header.get("slots") or []:
        if slot.get("type") != 1:
            continue
        key = hashlib.scrypt(password.encode(), salt=bytes.fromhex(slot["salt"]),
                             n=slot["n"], r=slot["r"], p=slot["p"], dklen=32, maxmem=2**31 - 1)
        params = slot["key_params"]
        try:
            return AESGCM(key).decrypt(bytes.fromhex(params["nonce"]),
                                       bytes.fromhex(slot["key"]) + bytes.fromhex(params["tag"]), None)
        except Exception:
            continue
    raise SystemExit("wrong password (no password slot opens)")


def read(path, password):
    with open(path, encoding="utf-8") as f:
        vault = json.load(f)
    if vault.get("version") != 1:
        raise SystemExit("unknown file version %r" % vault.get("version"))
    db = vault["db"]
    if isinstance(db, str):
        key = master_key(vault["header"], password)
        params = vault["header"]["params"]
        plain = AESGCM(key).decrypt(bytes.fromhex(params["nonce"]),
                                    base64.b64decode(db) + bytes.fromhex(params["tag"]), None)
        db = json.loads(plain)
    return db


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit("usage: aegis_reader.py FILE")
    print(json.dumps(read(sys.argv[1], os.environ.get("AEGIS_PASSWORD", "")), ensure_ascii=False))

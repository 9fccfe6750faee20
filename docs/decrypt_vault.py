#!/usr/bin/env python3
"""Decrypt a Tessera vault with its password and print its accounts as JSON.

An independent reader written only from docs/vault-format.md, so that the format is proven to be
fully specified and a user can always get their seeds out without Tessera.

    pip install cryptography argon2-cffi
    python3 docs/decrypt_vault.py tessera.vault            # asks for the password
    TESSERA_PASSWORD=... python3 docs/decrypt_vault.py tessera.vault

Prints {"accounts": [...]} with every field, secrets included: keep the output private.
"""

import base64
import getpass
import hashlib
import json
import os
import struct
import sys

from argon2.low_level import Type, hash_secret_raw
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

MAGIC = b"TESSERA\x00VAULT\n"


class VaultError(Exception):
    pass


def decrypt(data: bytes, password: bytes) -> dict:
    if not data:
        raise VaultError("damaged: the file is empty")
    if sum(a != b for a, b in zip(data[:14], MAGIC)) > 4 or len(data) < 14 and data != MAGIC[: len(data)]:
        raise VaultError("not a Tessera vault")
    if len(data) < 14 + 2 + 4 + 32:
        raise VaultError("damaged: the file is cut short")
    body, checksum = data[:-32], data[-32:]
    if hashlib.sha256(body).digest() != checksum or body[:14] != MAGIC:
        raise VaultError("damaged: checksum mismatch")
    major = body[14]
    if major != 1:
        raise VaultError(f"written by a newer Tessera (vault format {major})")
    (header_len,) = struct.unpack("<I", body[16:20])
    header_end = 20 + header_len
    if header_len > 65536 or header_end > len(body):
        raise VaultError("damaged: the header length is wrong")
    header = json.loads(body[20:header_end].decode("utf-8"))
    aad, sealed = body[:header_end], body[header_end:]

    master = None
    for slot in header["slots"]:
        if slot.get("type") != "password":
            continue
        kdf = slot["kdf"]
        m, t, p = kdf["m_kib"], kdf["t"], kdf["p"]
        if not (19 * 1024 <= m <= 1024 * 1024 and 1 <= t <= 10 and 1 <= p <= 16):
            raise VaultError(f"key-derivation settings out of bounds: m={m} KiB t={t} p={p}")
        slot_key = hash_secret_raw(
            password, base64.b64decode(slot["salt"]), time_cost=t, memory_cost=m,
            parallelism=p, hash_len=32, type=Type.ID, version=19,
        )
        try:
            master = AESGCM(slot_key).decrypt(
                base64.b64decode(slot["nonce"]), base64.b64decode(slot["wrapped"]), b"tessera-slot-v1:password"
            )
            break
        except Exception:
            continue
    if master is None:
        raise VaultError("wrong password")

    payload_key = HKDF(
        algorithm=hashes.SHA256(), length=32,
        salt=base64.b64decode(header["payload_salt"]), info=b"tessera-vault-payload-v1",
    ).derive(master)
    try:
        plain = AESGCM(payload_key).decrypt(base64.b64decode(header["payload_nonce"]), sealed, aad)
    except Exception:
        raise VaultError("damaged: the accounts do not authenticate")
    return json.loads(plain.decode("utf-8"))


def main() -> int:
    if len(sys.argv) != 2:
        print(__doc__.strip().splitlines()[0], file=sys.stderr)
        print("usage: decrypt_vault.py VAULT", file=sys.stderr)
        return 2
    with open(sys.argv[1], "rb") as f:
        data = f.read()
    password = os.environ.get("TESSERA_PASSWORD")
    if password is None:
        password = getpass.getpass("Vault password: ")
    try:
        payload = decrypt(data, password.encode("utf-8"))
    except VaultError as e:
        print(f"error: {sys.argv[1]}: {e}", file=sys.stderr)
        return 1
    json.dump(payload, sys.stdout, ensure_ascii=False, indent=2)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Open a Tessera sync folder's device file with the sync password and print its payload as JSON.

An independent reader written only from docs/sync-format.md, so that the format is proven to be
fully specified.

    pip install cryptography argon2-cffi
    TESSERA_SYNC_PASSWORD=... python3 docs/read_sync_file.py <device>.tessera-sync

Prints the payload ({"device", "name", "written", "counter", "devices", "records"}), seeds
included: keep the output private. Exits 2 with the reason on stderr when the file is not a sync
file, is newer, does not open with this password, or is cut short or altered.
"""

import base64
import getpass
import json
import os
import struct
import sys

from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

MAGIC = b"TESSERA\x00SYNC\n"


class SyncFileError(Exception):
    pass


def hkdf(key: bytes, salt, info: bytes, length: int) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=length, salt=salt, info=info).derive(key)


def read(data: bytes, password: bytes) -> dict:
    if not data.startswith(MAGIC):
        raise SyncFileError("not a Tessera sync file")
    if len(data) > 16 * 1024 * 1024:
        raise SyncFileError("damaged: larger than any sync file")
    if len(data) < len(MAGIC) + 6:
        raise SyncFileError("damaged: the header is cut short")
    major = data[len(MAGIC)]
    if major != 1:
        raise SyncFileError(f"made by a newer Tessera (sync format {major})")
    (header_len,) = struct.unpack("<I", data[len(MAGIC) + 2 : len(MAGIC) + 6])
    start = len(MAGIC) + 6 + header_len
    if header_len > 65536 or start > len(data):
        raise SyncFileError("damaged: the header is cut short or too long")
    header = json.loads(data[len(MAGIC) + 6 : start].decode("utf-8"))

    join = header["join"]
    kdf = join["kdf"]
    m, t, p = kdf["m_kib"], kdf["t"], kdf["p"]
    if not (19 * 1024 <= m <= 1024 * 1024 and 1 <= t <= 10 and 1 <= p <= 16):
        raise SyncFileError("damaged: the join slot's key derivation is out of bounds")
    slot_key = hash_secret_raw(
        password, base64.b64decode(join["salt"]), time_cost=t, memory_cost=m, parallelism=p,
        hash_len=32, type=Type.ID, version=19,
    )
    try:
        sync_key = AESGCM(slot_key).decrypt(
            base64.b64decode(join["nonce"]), base64.b64decode(join["wrapped"]), b"tessera-slot-v1:sync"
        )
    except InvalidTag:
        raise SyncFileError("that is not the sync password")
    if hkdf(sync_key, None, b"tessera-sync-key-id-v1", 8) != base64.b64decode(header["key_id"]):
        raise SyncFileError("sealed with another sync key")
    file_key = hkdf(sync_key, base64.b64decode(header["salt"]), b"tessera-sync-file-v1", 32)
    try:
        plain = AESGCM(file_key).decrypt(base64.b64decode(header["nonce"]), data[start:], data[:start])
    except InvalidTag:
        raise SyncFileError("damaged: cut short or altered")
    payload = json.loads(plain.decode("utf-8"))
    if payload["device"] != header["device"]:
        raise SyncFileError("damaged: the header and the records name other devices")
    return payload


def main() -> int:
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    password = os.environ.get("TESSERA_SYNC_PASSWORD")
    if password is None:
        password = getpass.getpass("Sync password: ")
    with open(sys.argv[1], "rb") as f:
        data = f.read()
    try:
        payload = read(data, password.encode("utf-8"))
    except SyncFileError as e:
        print(f"{sys.argv[1]}: {e}", file=sys.stderr)
        return 2
    json.dump(payload, sys.stdout, ensure_ascii=False, indent=1)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())

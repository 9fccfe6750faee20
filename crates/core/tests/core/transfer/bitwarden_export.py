#!/usr/bin/env python3
"""Writes a Bitwarden password-protected encrypted JSON export of the plain JSON export on
standard input, following Bitwarden's documented scheme: PBKDF2-SHA256 (kdfType 0) or Argon2id
over SHA-256 of the salt (kdfType 1, memory in MiB), HKDF-Expand into "enc" and "mac" keys,
EncStrings "2.iv|ciphertext|mac" (AES-256-CBC, HMAC-SHA256 over iv and ciphertext).

    python3 bitwarden_export.py PASSWORD KDFTYPE < plain.json > encrypted.json
"""
import base64
import hashlib
import hmac
import json
import os
import sys

from argon2.low_level import Type, hash_secret_raw
from cryptography.hazmat.primitives import hashes, padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.kdf.hkdf import HKDFExpand

password, kdf_type = sys.argv[1].encode(), int(sys.argv[2])
plain = sys.stdin.buffer.read()
salt = base64.b64encode(os.urandom(16)).decode()
iterations, memory, lanes = (5000, None, None) if kdf_type == 0 else (3, 64, 4)
if kdf_type == 0:
    key = hashlib.pbkdf2_hmac("sha256", password, salt.encode(), iterations, 32)
else:
    key = hash_secret_raw(password, hashlib.sha256(salt.encode()).digest(), iterations,
                          memory * 1024, lanes, 32, Type.ID)
enc = HKDFExpand(hashes.SHA256(), 32, b"enc").derive(key)
mac = HKDFExpand(hashes.SHA256(), 32, b"mac").derive(key)


def enc_string(data):
    iv = os.urandom(16)
    padder = padding.PKCS7(128).padder()
    padded = padder.update(data) + padder.finalize()
    ct = Cipher(algorithms.AES(enc), modes.CBC(iv)).encryptor().update(padded)
    tag = hmac.new(mac, iv + ct, hashlib.sha256).digest()
    return "2." + "|".join(base64.b64encode(x).decode() for x in (iv, ct, tag))


print(json.dumps({
    "encrypted": True, "passwordProtected": True, "salt": salt, "kdfType": kdf_type,
    "kdfIterations": iterations, "kdfMemory": memory, "kdfParallelism": lanes,
    "encKeyValidation_DO_NOT_EDIT": enc_string(os.urandom(16).hex().encode()),
    "data": enc_string(plain),
}))

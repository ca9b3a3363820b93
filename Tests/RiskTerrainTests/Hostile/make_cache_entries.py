#!/usr/bin/env python3
"""Writes the hostile layer-cache entries (cache_*.rtml) of README.md: crafted and damaged
entries in LayerCache's format (magic, version, JSON header, payloads, FNV-1a/splitmix64
checksum), for key "hostile" on a 4 x 2 grid of 25 m cells (origin 0, 50). Every one but
cache_valid.rtml must be refused by LayerCache.decode, never trap. Run by make_hostile.sh."""
import json, struct

M = 2**64
def checksum(b):
    h = 0xcbf29ce484222325
    n = len(b) // 8
    for i in range(n):
        h = ((h ^ struct.unpack_from('<Q', b, 8 * i)[0]) * 0x100000001b3) % M
    for x in b[8 * n:]:
        h = ((h ^ x) * 0x100000001b3) % M
    h ^= len(b)
    h = ((h ^ (h >> 30)) * 0xbf58476d1ce4e5b9) % M
    h = ((h ^ (h >> 27)) * 0x94d049bb133111eb) % M
    return h ^ (h >> 31)

GEOMETRY = {"originX": 0.0, "originY": 50.0, "cellSize": 25.0, "width": 4, "height": 2}
def layers(binary_count=1, value_count=8):
    return [{"influence": "proximity", "distanceM": 100.0, "binary": True, "geometry": GEOMETRY, "count": binary_count},
            {"influence": "distance", "binary": False, "geometry": GEOMETRY, "count": value_count}]
PAYLOAD = struct.pack('<Q', 0b00110000) + struct.pack('<8f', *[0.5 * i for i in range(8)])

def entry(header=None, payload=PAYLOAD, version=1, json_length=None, magic=b"RTMLAYR1", fix=True):
    h = header if isinstance(header, bytes) else json.dumps(header or {"key": "hostile", "layers": layers()}).encode()
    body = magic + struct.pack('<I', version) + struct.pack('<I', len(h) if json_length is None else json_length) + h + payload
    return body + struct.pack('<Q', checksum(body) if fix else 0)

def write(name, data):
    with open(name, 'wb') as f: f.write(data)

valid = entry()
write("cache_valid.rtml", valid)
write("cache_zero.rtml", b"")
write("cache_too_short.rtml", valid[:20])
write("cache_truncated.rtml", valid[:len(valid) - 13])
damaged = bytearray(valid); damaged[len(valid) - 20] ^= 0x40
write("cache_bad_checksum.rtml", bytes(damaged))
write("cache_wrong_magic.rtml", entry(magic=b"RTMLAYR9"))
write("cache_wrong_version.rtml", entry(version=2))
write("cache_json_length_past_end.rtml", entry(json_length=0xFFFFFFFF))
write("cache_header_not_json.rtml", entry(header=b"{\"key\": \"hostile\", \"layers\": [\x00\xff"))
write("cache_count_overflow.rtml", entry(header={"key": "hostile", "layers": layers(binary_count=2**61)}))
write("cache_count_int_max.rtml", entry(header={"key": "hostile", "layers": layers(value_count=2**63 - 1)}))
write("cache_negative_count.rtml", entry(header={"key": "hostile", "layers": layers(binary_count=-1)}))
write("cache_count_past_end.rtml", entry(header={"key": "hostile", "layers": layers(value_count=1000)}))
write("cache_trailing_bytes.rtml", entry(payload=PAYLOAD + b"\0" * 8))
write("cache_tail_bits_set.rtml", entry(payload=struct.pack('<Q', 0x1_0000_0000) + PAYLOAD[8:]))

"""Writes __tests__/fixtures/fromisoformat.json: timestamp strings and what Python's
datetime.fromisoformat makes of them (epoch microseconds, naive read as UTC; null where it raises).
The TypeScript parser (src/core/time.ts) must agree on every one. Run with Python 3.11 or newer:

    python3 scripts/fromisoformat-cases.py
"""
import itertools
import json
import random
import sys
from datetime import UTC, datetime
from pathlib import Path

assert sys.version_info >= (3, 11), "fromisoformat's accepted forms changed in 3.11"

DATES = [
    "2026-03-15", "20260315", "2026-W11", "2026W11", "2026-W11-7", "2026W117", "2026-074", "2026074",
    "2026-3-15", "2026-03", "2026", "2024-02-29", "2025-02-29", "2026-04-31", "2026-13-01", "0001-01-01",
    "0000-01-01", "9999-12-31", "2026-W53-1", "2020-W53-7", "2015-W53-5", "2026-W00-1", "2026-W01-8",
    "2026-W01-0", "2026-W1", "2026-03-1", "１９７０-01-01",
]
TIMES = [
    "", "T09", "T09:41", "T0941", "T09:41:07", "T094107", "T09:41:07.5", "T09:41:07.25", "T09:41:07.125",
    "T09:41:07.0625", "T09:41:07.03125", "T09:41:07.015625", "T09:41:07.0078125", "T09:41:07.123456789",
    "T09:41:07.12345678901234", "T09:41:07,75", "T094107.75", "T09:41.5", "T09.5", "T24:00", "T24:00:00",
    "T23:59:60", "T23:60", "t09:41", " 09:41", "_09:41", "X09:41", "909:41", "T09:41:07.", "T9:41",
    "T09:4", "T09:41:7", "T0941:07", "T09:4107", "T09:41:07:30", "T", "T09:41:07.5.5", "é09:41",
]
ZONES = [
    "", "Z", "z", "+00:00", "-00:00", "+0530", "+05:30", "+05", "-0800", "+05:30:15", "+05:30:15.5",
    "+053015", "+24:00", "+23:59", "-23:59:59.999999", "+05:60", "+0560", " +05:00", "+5:30", "UTC",
    "+05:30Z", "Z+01:00", "ZZ", "+05:30:15.123456",
]
EXTRA = [
    "", " ", "not-a-timestamp", " 2026-03-15", "2026-03-15 ", "2026-03-15T09:41:07Z ", "2026-03-15\u00a009:41",
    "2026-03-15T09:41:07\u221205:00", "2026-03-15T09:41:07.12345\uff16", "2026-03-15T09:41:07.000000+00:00",
    "2026-03-15 09:41:07.123456", "2026-03-15T09:41:07.123456+05:30", "20260315T094107Z", "2026-W11-7T09:41",
    "2026W117T0941Z", "2026-W1112:00", "2026W1112", "2026W11123", "2026W1112345", "2026-W11-712:00",
]


def micros(text):
    try:
        dt = datetime.fromisoformat(text)
    except (ValueError, TypeError):
        return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    delta = dt - datetime(1970, 1, 1, tzinfo=UTC)
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


def main():
    texts = set(EXTRA)
    # Every zone with the common date forms; a few with the rest (the date and the zone are read apart).
    for i, (d, t) in enumerate(itertools.product(DATES, TIMES)):
        zones = ZONES if d in DATES[:6] else ["", "Z", "+05:30", ZONES[i % len(ZONES)]]
        for z in zones if t else ["", "Z", "+05:30"]:
            texts.add(d + t + z)
    # Random strings over the characters timestamps are made of, for what the lists above miss.
    rng = random.Random(20261124)
    alphabet = "0123456789-:T .,+ZW"
    for _ in range(3000):
        base = rng.choice(sorted(texts))
        chars = list(base)
        for _ in range(rng.randint(1, 3)):
            op = rng.random()
            i = rng.randrange(len(chars) + 1)
            if op < 0.4 and chars:
                chars[min(i, len(chars) - 1)] = rng.choice(alphabet)
            elif op < 0.7:
                chars.insert(i, rng.choice(alphabet))
            elif chars:
                del chars[min(i, len(chars) - 1)]
        texts.add("".join(chars))
    cases = [[t, micros(t)] for t in sorted(texts)]
    # Epoch microseconds reach past 2^53 for far dates: keep them exact as strings.
    out = [[t, None if m is None else str(m)] for t, m in cases]
    path = Path(__file__).resolve().parent.parent / "__tests__" / "fixtures" / "fromisoformat.json"
    path.write_text(json.dumps({"python": sys.version.split()[0], "cases": out}, ensure_ascii=False, separators=(",", ":")) + "\n")
    print(f"{len(out)} cases ({sum(m is not None for _, m in out)} accepted) -> {path}")


main()

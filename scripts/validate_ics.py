#!/usr/bin/python3
"""Checks an `rtm patrols` iCalendar file against RFC 5545 with an independent parser.

Usage: scripts/validate_ics.py PLAN.ics [PLAN.csv]

Parses the file back with the Python `icalendar` package (Debian: python3-icalendar; the test
suite runs this script; scripts/setup.sh installs the package, and the test is reported as
skipped, with the reason, where it is missing) and checks what the parser
does not: CRLF line endings, content lines of at most 75 octets, the required properties of the
calendar and of every event, unique UIDs, UTC times with DTSTART < DTEND, and - given the plan's
CSV - one event per patrol (cancelled slots of a re-issue aside) with the same UID, start and end. Prints one line, exits non-zero on
the first problem.
"""
import csv
import sys
from datetime import timezone

import icalendar


def fail(message):
    print(f"validate_ics: {message}")
    sys.exit(1)


def main():
    if len(sys.argv) not in (2, 3):
        fail("usage: validate_ics.py PLAN.ics [PLAN.csv]")
    raw = open(sys.argv[1], "rb").read()
    if not raw.endswith(b"\r\n"):
        fail("the file does not end with CRLF")
    lines = raw.split(b"\r\n")[:-1]
    for i, line in enumerate(lines, 1):
        if b"\n" in line or b"\r" in line:
            fail(f"line {i}: a bare LF or CR (RFC 5545 3.1 wants CRLF)")
        if len(line) > 75:
            fail(f"line {i}: {len(line)} octets, more than 75 (RFC 5545 3.1 folding)")
        line.decode("utf-8")  # raises on a UTF-8 character split by folding
    cal = icalendar.Calendar.from_ical(raw)
    if cal.name != "VCALENDAR":
        fail(f"top component is {cal.name}, not VCALENDAR")
    for prop in ("VERSION", "PRODID"):
        if prop not in cal:
            fail(f"VCALENDAR lacks {prop}")
    if str(cal["VERSION"]) != "2.0":
        fail(f"VERSION is {cal['VERSION']}, not 2.0")
    events = [c for c in cal.walk() if c.name == "VEVENT"]
    uids = set()
    for e in events:
        for prop in ("UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY"):
            if prop not in e:
                fail(f"an event lacks {prop}")
        uid = str(e["UID"])
        if uid in uids:
            fail(f"UID {uid} is not unique")
        uids.add(uid)
        start, end = e.decoded("DTSTART"), e.decoded("DTEND")
        if start.tzinfo is None or start.utcoffset().total_seconds() != 0:
            fail(f"{uid}: DTSTART is not in UTC")
        if not start < end:
            fail(f"{uid}: DTSTART {start} is not before DTEND {end}")
    checked = ""
    if len(sys.argv) == 3:
        rows = list(csv.DictReader(open(sys.argv[2], newline="", encoding="utf-8")))
        confirmed = [e for e in events if str(e.get("STATUS", "CONFIRMED")) != "CANCELLED"]
        if len(rows) != len(confirmed):
            fail(f"{len(confirmed)} events (not cancelled) but {len(rows)} patrols in {sys.argv[2]}")
        by_uid = {str(e["UID"]): e for e in events}
        for r in rows:
            e = by_uid.get(r["uid"])
            if e is None:
                fail(f"patrol {r['uid']} has no event")
            start = e.decoded("DTSTART").astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
            end = e.decoded("DTEND").astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
            if (start, end) != (r["start_utc"], r["end_utc"]):
                fail(f"{r['uid']}: event {start}-{end}, CSV {r['start_utc']}-{r['end_utc']}")
        checked = f", each matching its CSV row"
    print(f"validate_ics: {sys.argv[1]}: valid RFC 5545 ({len(events)} events, {len(lines)} content lines, "
          f"icalendar {icalendar.__version__}){checked}")


main()

#!/usr/bin/python3
"""check_ics.py FILE|- : parse an iCalendar file and print its VEVENT count.

Parsed with Debian's python3-icalendar (`apt-get install python3-icalendar`).
Besides the parse, it checks what a lenient parser lets through: CRLF line
ends, lines of at most 75 octets, valid UTF-8, one VCALENDAR, no property
the parser had to skip, and UID, DTSTART < DTEND (UTC) in every VEVENT.
Prints the number of events and exits 0, or prints why to stderr and
exits 1.

Debian's module lives in /usr/bin/python3's path; when run by another
python3 (pyenv, a venv) the script re-runs itself with /usr/bin/python3.
"""

import datetime
import os
import sys

try:
    from icalendar import Calendar
except ImportError:
    if os.path.exists("/usr/bin/python3") and \
            os.path.realpath(sys.executable) != \
            os.path.realpath("/usr/bin/python3"):
        os.execv("/usr/bin/python3", ["/usr/bin/python3"] + sys.argv)
    sys.exit("check_ics: python3-icalendar is not installed")


def check(data):
    """Return the number of VEVENTs in `data` (bytes); raise ValueError."""
    if not data.endswith(b"\r\n"):
        raise ValueError("does not end in CRLF")
    for n, line in enumerate(data[:-2].split(b"\r\n"), 1):
        if b"\n" in line or b"\r" in line:
            raise ValueError("line %d: bare CR or LF" % n)
        if len(line) > 75:
            raise ValueError("line %d: %d octets" % (n, len(line)))
        line.decode("utf-8")    # a fold must not split a character
    cal = Calendar.from_ical(data.decode("utf-8"))
    if cal.name != "VCALENDAR":
        raise ValueError("not a VCALENDAR: %s" % cal.name)
    events = 0
    for comp in cal.walk():
        if getattr(comp, "errors", None):
            raise ValueError("%s: %s" % (comp.name, comp.errors))
        if comp.name != "VEVENT":
            continue
        events += 1
        for prop in ("UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY"):
            if prop not in comp:
                raise ValueError("VEVENT %d: no %s" % (events, prop))
        start = comp.decoded("DTSTART")
        end = comp.decoded("DTEND")
        if start.utcoffset() != datetime.timedelta(0):
            raise ValueError("VEVENT %s: DTSTART not UTC" % comp["UID"])
        if not start < end:
            raise ValueError("VEVENT %s: DTSTART >= DTEND" % comp["UID"])
    return events


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: check_ics.py FILE|-")
    if sys.argv[1] == "-":
        data = sys.stdin.buffer.read()
    else:
        with open(sys.argv[1], "rb") as f:
            data = f.read()
    try:
        print(check(data))
    except (ValueError, UnicodeDecodeError) as e:
        sys.exit("check_ics: %s" % e)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Prints the failed tests of a TRX file, each with the head of its message and stack and the tail of its output.

test.sh prints this just before its summary line, so that a CI log cut to its last lines still names what failed.
Usage: trx-failures.py RESULTS.trx [LINES]   (LINES: most lines of message and of output per test, default 25)
"""
import sys
import xml.etree.ElementTree as ET

NS = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
MOST_TESTS = 8


def lines_of(element, path):
    found = element.find(path, NS)
    return [] if found is None or not found.text else found.text.rstrip().splitlines()


def main():
    if len(sys.argv) < 2:
        print("usage: trx-failures.py RESULTS.trx [LINES]", file=sys.stderr)
        return 2
    most = int(sys.argv[2]) if len(sys.argv) > 2 else 25
    try:
        root = ET.parse(sys.argv[1]).getroot()
    except (OSError, ET.ParseError) as error:
        print(f"[test.sh] could not read the failed tests from {sys.argv[1]}: {error}")
        return 0
    failed = [r for r in root.iterfind(".//t:Results/t:UnitTestResult", NS)
              if r.get("outcome") in ("Failed", "Error", "Timeout", "Aborted")]
    if not failed:
        return 0
    print(f"[test.sh] {len(failed)} failed test(s):")
    for result in failed[:MOST_TESTS]:
        print(f"--- FAILED {result.get('testName')} ({result.get('duration', '?')})")
        message = lines_of(result, "t:Output/t:ErrorInfo/t:Message")
        stack = lines_of(result, "t:Output/t:ErrorInfo/t:StackTrace")
        for line in (message + ["  stack:"] + stack[:8])[:most]:
            print(f"    {line}")
        output = lines_of(result, "t:Output/t:StdOut")
        if output:
            print(f"  last {min(most, len(output))} of {len(output)} output lines:")
            for line in output[-most:]:
                print(f"    {line[:300]}")
    if len(failed) > MOST_TESTS:
        print(f"[test.sh] and {len(failed) - MOST_TESTS} more; see {sys.argv[1]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

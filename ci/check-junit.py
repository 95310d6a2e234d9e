"""Reads a Rehearse JUnit report with junitparser, as third-party CI reporters would, and checks its shape.

Usage: python ci/check-junit.py REPORT.xml
Exits non-zero, naming the problem, when junitparser cannot read the file or the shape differs from DESIGN.md.
"""
import re
import sys

from junitparser import Failure, JUnitXml, Skipped

CHECKS = {"forward", "validate", "idempotence", "rollback", "reversibility", "reapply",
          "data-preservation", "equivalence", "policy", "backup", "safety"}


def main(path):
    xml = JUnitXml.fromfile(path)
    cases = failures = skipped = 0
    for suite in xml:
        project, _, database = suite.name.partition("/")
        assert database in ("postgresql", "mongodb"), f"suite name {suite.name!r} is not <project>/<db>"
        for case in suite:
            cases += 1
            assert case.classname == f"{project}.{database}", f"classname {case.classname!r} in suite {suite.name!r}"
            subject, _, check = case.name.rpartition(": ")
            assert check in CHECKS, f"test case {case.name!r} does not end with a check name"
            assert subject == "project" or re.fullmatch(r"install v\S+|upgrade v\S+ -> v\S+", subject), case.name
            for result in case.result:
                if isinstance(result, Failure):
                    failures += 1
                    assert result.message, f"{case.name}: failure without a message"
                elif isinstance(result, Skipped):
                    skipped += 1
                    assert result.message, f"{case.name}: skip without a reason"
    assert cases > 0, "the report holds no test cases"
    print(f"junitparser read {cases} test cases in {len(list(xml))} suites: {failures} failed, {skipped} skipped")


if __name__ == "__main__":
    main(sys.argv[1])

"""Run tempest tests (Debian python3-tempest) with a given tempest.conf and report each outcome.

    TEMPEST_CONFIG_DIR=DIR TEMPEST_CONFIG=tempest.conf /usr/bin/python3 tempest_run.py MODULE_OR_TEST...

The tests run in this process with unittest's loader and runner (tempest's classes are testtools/unittest
test cases; `tempest run` would only add stestr's process pool and the workspace around the same thing).
A class whose setUpClass skips counts each of its tests as skipped, and one whose setUpClass fails counts
each as failed, so the totals always cover every test that was asked for. The unittest report goes to
stderr; stdout's last line is
  {"passed": N, "failed": N, "skipped": N, "tests": [{"id", "status": "passed|failed|skipped", "detail"}]}
"""

import json
import sys
import traceback
import unittest


def flatten(suite):
    for test in suite:
        if isinstance(test, unittest.TestSuite):
            yield from flatten(test)
        else:
            yield test


class RecordingResult(unittest.TextTestResult):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.outcomes = {}
        self.class_problems = []

    def _record(self, test, status, detail=''):
        if isinstance(test, unittest.TestCase):
            self.outcomes[test.id()] = {'id': test.id(), 'status': status, 'detail': detail}
        else:
            # setUpClass/tearDownClass: unittest reports it on an _ErrorHolder named after the class.
            self.class_problems.append((str(test), status, detail))

    def addSuccess(self, test):
        super().addSuccess(test)
        self._record(test, 'passed')

    def addFailure(self, test, err):
        super().addFailure(test, err)
        self._record(test, 'failed', self._exc_info_to_string(err, test))

    def addError(self, test, err):
        super().addError(test, err)
        if isinstance(test, unittest.TestCase):
            self._record(test, 'failed', self._exc_info_to_string(err, test))
        else:
            self._record(test, 'failed', ''.join(traceback.format_exception(*err)))

    def addSkip(self, test, reason):
        super().addSkip(test, reason)
        self._record(test, 'skipped', reason)

    def addExpectedFailure(self, test, err):
        super().addExpectedFailure(test, err)
        self._record(test, 'passed')

    def addUnexpectedSuccess(self, test):
        super().addUnexpectedSuccess(test)
        self._record(test, 'failed', 'unexpected success')


def main():
    names = sys.argv[1:]
    suite = unittest.TestLoader().loadTestsFromNames(names)
    wanted = [t.id() for t in flatten(suite)]
    runner = unittest.TextTestRunner(stream=sys.stderr, verbosity=2, resultclass=RecordingResult)
    result = runner.run(suite)

    tests = []
    for test_id in wanted:
        outcome = result.outcomes.get(test_id)
        if outcome is None:
            # Not run because its class's setUpClass skipped or failed: take that class's outcome.
            cls = test_id.rsplit('.', 1)[0]
            problem = next((p for p in result.class_problems if cls in p[0]), None)
            status, detail = (problem[1], problem[2]) if problem else ('failed', 'not run')
            outcome = {'id': test_id, 'status': status, 'detail': detail}
        tests.append(outcome)
    counts = {s: sum(1 for t in tests if t['status'] == s) for s in ('passed', 'failed', 'skipped')}
    print(json.dumps({**counts, 'tests': tests}), flush=True)


if __name__ == '__main__':
    main()

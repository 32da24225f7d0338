"""Run a command and end it when our stdin closes: the test process that started us holds the other end
of that pipe, so the child (uwsgi, which does not watch stdin itself) never outlives it, even when the test
process is killed.  Usage: supervise.py COMMAND [ARGS...]; exits with the child's status."""

import os
import signal
import subprocess
import sys
import threading


def main():
    child = subprocess.Popen(sys.argv[1:], stdin=subprocess.DEVNULL)

    def stop(*_):
        if child.returncode is None:
            child.send_signal(signal.SIGTERM)
            threading.Timer(10, child.kill).start()

    def watch_stdin():
        while os.read(0, 4096):
            pass
        stop()

    signal.signal(signal.SIGTERM, stop)
    threading.Thread(target=watch_stdin, daemon=True).start()
    status = child.wait()
    os._exit(status if status >= 0 else 128 - status)


if __name__ == '__main__':
    main()

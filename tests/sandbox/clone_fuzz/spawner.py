# The Python program of the sandbox's clone fuzz test (clone_fuzz_test.cpp),
# the same script language as spawner.cpp (see there). Run it only inside the
# sandbox. Python cannot run two tasks on one stack, so its scripts carry no
# CLONE_VM; clones are raw clone(2) calls through ctypes, forks os.fork.
import ctypes
import os
import sys
import time

SIGCHLD = 17
libc = ctypes.CDLL(None, use_errno=True)


def end_task():
    os._exit(0)


def clone(flags):
    return libc.syscall(56, ctypes.c_ulong(flags | SIGCHLD), 0, 0, 0, 0)


def run(steps):
    for step in steps:
        op = step[0]
        if op == "c":
            flags, mode = step[1:].split("/")
            pid = clone(int(flags, 16))
            if pid == 0 and mode == "c":
                end_task()
            if pid > 0 and mode == "p":
                end_task()
        elif op == "v":
            if os.fork() == 0 and os.fork() != 0:
                end_task()
        elif op == "d":
            try:
                os.setsid()
            except OSError:
                pass
        elif op == "s":
            time.sleep(int(step[1:]) / 1000)
        elif op == "o":
            os.write(1, b"o\n")
        elif op == "t":
            end_task()
    end_task()


marker, *script = sys.stdin.read().split()
libc.prctl(15, marker.encode(), 0, 0, 0)
run(script)

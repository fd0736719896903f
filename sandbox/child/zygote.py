# rlvr sandbox zygote: a Python interpreter started once per worker, inside the
# worker's namespaces, that forks the program's process for every stage of a
# request. The privileged steps (namespaces, limits, dropping capabilities,
# seccomp) happen in librlvr_sandbox_child.so; this file only moves requests
# and runs the program the way `python3 prog.py` would. No user code runs in
# this process.
import ctypes
import gc
import json
import os
import signal
import socket
import struct
import sys

# Loaded once here so that programs importing them start at once.
import array, bisect, collections, copy, decimal, fractions, functools, heapq  # noqa: E401,F401
import io, itertools, math, operator, random, re, statistics, string, threading  # noqa: E401,F401
import time, traceback, types, typing  # noqa: E401,F401
import atexit
import builtins
import linecache  # noqa: F401  (tracebacks of the program read its source)

CONTROL_FD = 3
RECORD = struct.Struct("=iiiiqq")
SETUP_FAILED = 3
STEP_SCRATCH = 10
STEP_REQUEST = 11


class StageSpec(ctypes.Structure):
    _fields_ = [
        ("stage", ctypes.c_int32), ("stdin_fd", ctypes.c_int32), ("stdout_fd", ctypes.c_int32),
        ("stderr_fd", ctypes.c_int32), ("status_fd", ctypes.c_int32), ("go_fd", ctypes.c_int32),
        ("cpu_seconds", ctypes.c_int64), ("address_space_bytes", ctypes.c_int64),
        ("file_size_bytes", ctypes.c_int64), ("open_files", ctypes.c_int64),
        ("processes", ctypes.c_int64), ("filter", ctypes.c_void_p), ("filter_bytes", ctypes.c_int64),
    ]


# PyDLL keeps the GIL across the call: the library forks, and the program's
# process must come back holding it (the zygote has no other thread).
LIB = ctypes.PyDLL("/rlvr/child.so")
LIB.rlvr_run_begin.argtypes = [ctypes.c_int64]
LIB.rlvr_stage_enter.argtypes = [ctypes.POINTER(StageSpec)]
with open("/rlvr/filter.bpf", "rb") as f:
    FILTER = ctypes.create_string_buffer(f.read())
FILTER_BYTES = len(FILTER.raw) - 1


def report_failure(status_fd, stage, step, error):
    os.write(status_fd, RECORD.pack(SETUP_FAILED, stage, step, error, 0, 0))


def exit_code_of(exit):
    code = exit.code
    if code is None:
        return 0
    if isinstance(code, int):
        return code & 0xFF
    print(code, file=sys.stderr)
    return 1


def finish(code):
    """What the interpreter does at exit: join threads, run atexit, flush."""
    try:
        threading._shutdown()
    except BaseException:
        pass
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except BaseException:
            code = code or 120
    return code


def run_python(path):
    """Runs the program as __main__, as `python3 path` would."""
    random.seed()  # the fork skipped Python's at-fork hooks, which reseed
    with open(path, "rb") as f:
        source = f.read()
    main = types.ModuleType("__main__")
    main.__file__ = path
    main.__builtins__ = builtins
    sys.modules["__main__"] = main
    sys.argv = [path]
    sys.path.insert(0, os.path.dirname(path))
    code = 0
    try:
        exec(compile(source, path, "exec"), main.__dict__)
    except SystemExit as exit:
        code = exit_code_of(exit)
    except BaseException:
        sys.excepthook(*sys.exc_info())
        code = 1
    os._exit(finish(code))


def run_stage(stage):
    if stage["kind"] == "python":
        run_python(stage["path"])
    argv = stage["argv"]
    # Python ignores these; an exec'd program must get the defaults back.
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    signal.signal(signal.SIGXFSZ, signal.SIG_DFL)
    try:
        os.execve(argv[0], argv, os.environ)
    except OSError as error:
        print(f"cannot execute {argv[0]}: {error.strerror}", file=sys.stderr)
        sys.stderr.flush()
    os._exit(127)


def serve(fds):
    """One request: a fresh scratch /tmp with its files, then each stage.
    Closes each stage's descriptors (and removes them from `fds`) when it ends."""
    request_fd, status_fd, go_fd = fds[0], fds[1], fds[2]
    try:
        request = json.loads(os.pread(request_fd, os.fstat(request_fd).st_size, 0))
        stages = request["stages"]
        if len(fds) != 3 + 3 * len(stages):
            raise ValueError("file descriptors do not match the stages")
    except (ValueError, KeyError, OSError):
        report_failure(status_fd, -1, STEP_REQUEST, 0)
        return
    result = LIB.rlvr_run_begin(request["scratch_bytes"])
    if result != 0:
        report_failure(status_fd, -1, STEP_SCRATCH, -result)
        return
    try:
        for name, content in request["files"].items():
            with open(os.path.join("/tmp", name), "w", encoding="utf-8") as f:
                f.write(content)
    except OSError as error:
        report_failure(status_fd, -1, STEP_SCRATCH, error.errno or 0)
        return
    groups = [fds[3 + 3 * index: 6 + 3 * index] for index in range(len(stages))]
    for index, (stage, stage_fds) in enumerate(zip(stages, groups)):
        spec = StageSpec(index, *stage_fds, status_fd, go_fd, stage["cpu_seconds"],
                         stage["address_space_bytes"], stage["file_size_bytes"],
                         stage["open_files"], stage["processes"],
                         ctypes.cast(FILTER, ctypes.c_void_p), FILTER_BYTES)
        if LIB.rlvr_stage_enter(ctypes.byref(spec)) == 0:
            run_stage(stage)  # the program's process: never returns
        # rlvr sees the stage's streams end once nothing else holds them.
        for fd in stage_fds:
            os.close(fd)
            fds.remove(fd)


def warm_up():
    """The first compile() in a process initialises the parser: pay that here,
    once, instead of in every program. Then move every object to the GC's
    permanent generation so that collections in the programs do not touch
    (and copy) the zygote's pages."""
    compile(b"import sys\nprint(sum(map(int, sys.argv[1:])))\n", "warm-up", "exec")
    gc.collect()
    gc.freeze()


def main():
    warm_up()
    control = socket.socket(fileno=CONTROL_FD)
    control.sendall(b"ready")
    while True:
        try:
            message, fds, _, _ = socket.recv_fds(control, 16, 256)
        except InterruptedError:
            continue
        if not message:
            return  # rlvr closed the worker
        try:
            serve(fds)
        finally:
            for fd in fds:
                os.close(fd)


main()

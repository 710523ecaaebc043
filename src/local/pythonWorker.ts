/**
 * The Python worker `serve` and `invoke` run (`python3 -c`): requests are JSON lines on stdin,
 * answers JSON lines on fd 3, so whatever a handler prints goes to the log and not the protocol.
 * It says `{"ready": true, "executable": ...}` on fd 3 once it reads calls (the pool starts
 * further workers from that interpreter directly, not through a launcher such as a pyenv shim). A handler module is loaded again when
 * its file changed (hot reload). Results are refused as Lambda refuses them: NaN/Infinity (not JSON)
 * and over 6 MB; a handler that catches its timeout is stopped anyway.
 */
import { MAX_RESULT_BYTES } from "./protocol.js";

export const PYTHON_WORKER = String.raw`
import importlib.util, json, os, signal, sys, time, traceback, uuid

out = os.fdopen(3, "w", buffering=1, encoding="utf-8")
sys.stdout = sys.stderr
sys.dont_write_bytecode = True
loaded = {}
stamps = {}

def watched(roots):
    found = {}
    for name, m in list(sys.modules.items()):
        f = getattr(m, "__file__", None)
        if isinstance(f, str) and any(f.startswith(r) for r in roots):
            try:
                st = os.stat(f)
                found[name] = (st.st_mtime_ns, st.st_size)
            except OSError:
                found[name] = None
    return found

def refresh(roots):
    # Typed handlers: any module under the handlers or glue folders changed -> all of them load again.
    if not roots:
        return
    found = watched(roots)
    if any(name in stamps and stamps[name] != stamp for name, stamp in found.items()):
        for name in found:
            sys.modules.pop(name, None)
        loaded.clear()
        stamps.clear()

def remember(roots):
    if roots:
        for name, stamp in watched(roots).items():
            stamps.setdefault(name, stamp)

class Context:
    def __init__(self, name, request_id, deadline_ms, memory):
        self.function_name = name
        self.function_version = "$LATEST"
        self.invoked_function_arn = "arn:aws:lambda:local:000000000000:function:" + name
        self.memory_limit_in_mb = memory
        self.aws_request_id = request_id
        self.log_group_name = "/aws/lambda/" + name
        self.log_stream_name = "local"
        self.identity = None
        self.client_context = None
        self._deadline_ms = deadline_ms

    def get_remaining_time_in_millis(self):
        return max(0, int(self._deadline_ms - time.time() * 1000))

# Not an Exception: a handler's "except Exception" cannot swallow its own timeout.
class TaskTimedOut(BaseException):
    pass

def on_alarm(signum, frame):
    raise TaskTimedOut("Task timed out")

signal.signal(signal.SIGALRM, on_alarm)

def load(file, name):
    st = os.stat(file)
    stamp = (st.st_mtime_ns, st.st_size)
    hit = loaded.get(file)
    if hit and hit[0] == stamp:
        return hit[1]
    folder = os.path.dirname(file)
    if "." not in name and folder not in sys.path:
        sys.path.insert(0, folder)
    spec = importlib.util.spec_from_file_location(name, file)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    loaded[file] = (stamp, module)
    return module

MAX_RESULT = ${MAX_RESULT_BYTES}

def answer(value):
    out.write(json.dumps(value) + "\n")

def fail(rid, name, message, trace):
    # Bounded, so an error with a huge message still fits one protocol line.
    lines = [l[:4096] for l in trace[-200:]]
    answer({"id": rid, "ok": False, "errorType": name, "errorMessage": message[:65536], "stackTrace": lines})

def succeed(rid, result):
    # NaN and Infinity are not JSON: refused as Lambda refuses what it cannot marshal.
    try:
        text = json.dumps(result, allow_nan=False)
    except (TypeError, ValueError, RecursionError) as e:
        return fail(rid, "Runtime.MarshalError", "Unable to marshal response: " + str(e), [])
    if len(text) > MAX_RESULT:
        return fail(rid, "Function.ResponseSizeTooLarge", "Response payload size (%d bytes) exceeded maximum allowed payload size (%d bytes)." % (len(text), MAX_RESULT), [])
    out.write('{"id": %d, "ok": true, "result": %s}\n' % (rid, text))

answer({"ready": True, "executable": sys.executable})

for line in sys.stdin:
    if not line.strip():
        continue
    req = json.loads(line)
    for p in req.get("path", []):
        if p not in sys.path:
            sys.path.insert(0, p)
    rid = req.get("requestId") or str(uuid.uuid4())
    timeout = float(req.get("timeoutMs", 30000)) / 1000.0
    ctx = Context(req.get("functionName", "local"), rid, time.time() * 1000 + timeout * 1000, req.get("memory", 128))
    roots = [r for r in req.get("reload", []) if isinstance(r, str)]
    try:
        refresh(roots)
        module = load(req["file"], req["module"])
        fn = getattr(module, req.get("handler", "handler"))
        server_url = req.get("serverUrl")
        endpoint = getattr(module, "ENDPOINT", None)
        if server_url and endpoint is not None and hasattr(endpoint, "server_url"):
            endpoint.server_url = server_url.rstrip("/")
        signal.setitimer(signal.ITIMER_REAL, timeout)
        try:
            result = fn(req["event"], ctx)
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            remember(roots)
        if time.time() * 1000 > ctx._deadline_ms:
            # The handler caught its timeout and went on: Lambda would have stopped it.
            raise TaskTimedOut("Task timed out after %.2f seconds" % timeout)
        succeed(req["id"], result)
    except BaseException as e:
        if isinstance(e, KeyboardInterrupt):
            raise
        if isinstance(e, TaskTimedOut):
            fail(req["id"], "Sandbox.Timedout", "Task timed out after %.2f seconds" % timeout, traceback.format_exception(type(e), e, e.__traceback__))
        else:
            fail(req["id"], type(e).__name__, str(e), traceback.format_exception(type(e), e, e.__traceback__))
`;

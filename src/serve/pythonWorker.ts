/**
 * The Python worker `serve` and `invoke` run (`python3 -c`): requests are JSON lines on stdin,
 * answers JSON lines on fd 3, so whatever a handler prints goes to the log and not the protocol.
 * It says `{"ready": true, "executable": ...}` on fd 3 once it reads calls (the pool starts
 * further workers from that interpreter directly, not through a launcher such as a pyenv shim). A handler module is loaded again when
 * its file changed (hot reload).
 */
export const PYTHON_WORKER = String.raw`
import importlib.util, json, os, signal, sys, time, traceback, uuid

out = os.fdopen(3, "w", buffering=1, encoding="utf-8")
sys.stdout = sys.stderr
loaded = {}

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

class TaskTimedOut(Exception):
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
    if folder not in sys.path:
        sys.path.insert(0, folder)
    spec = importlib.util.spec_from_file_location(name, file)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    loaded[file] = (stamp, module)
    return module

def answer(value):
    out.write(json.dumps(value) + "\n")

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
    try:
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
        try:
            answer({"id": req["id"], "ok": True, "result": result})
        except (TypeError, ValueError) as e:
            answer({"id": req["id"], "ok": False, "errorType": "Runtime.MarshalError", "errorMessage": "Unable to marshal response: " + str(e), "stackTrace": []})
    except BaseException as e:
        if isinstance(e, KeyboardInterrupt):
            raise
        name = "Sandbox.Timedout" if isinstance(e, TaskTimedOut) else type(e).__name__
        answer({"id": req["id"], "ok": False, "errorType": name, "errorMessage": str(e), "stackTrace": traceback.format_exception(type(e), e, e.__traceback__)})
`;

-- wrk script for scripts/bench.sh: POSTs $BODY as JSON with the session cookie and Origin.
wrk.method = "POST"
wrk.body = os.getenv("BODY")
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Origin"] = os.getenv("ORIGIN") or ""
local cookie = os.getenv("COOKIE")
if cookie then wrk.headers["Cookie"] = cookie end

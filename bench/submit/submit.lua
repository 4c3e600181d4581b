-- wrk script of bench/submit: POST /api/v1/applications as the signed-in bench applicant,
-- every request with its own Idempotency-Key (a repeated key would be answered from the
-- first case instead of making a new one). Environment: BODY_FILE (the JSON body),
-- COOKIE, CSRF (from client.mjs setup), RUN_ID (keeps keys unique across runs).
local next_thread = 0

function setup(thread)
  next_thread = next_thread + 1
  thread:set("thread_no", next_thread)
end

function init(args)
  local f = assert(io.open(os.getenv("BODY_FILE"), "rb"))
  body = f:read("*a")
  f:close()
  prefix = (os.getenv("RUN_ID") or "wrk") .. "-" .. tostring(thread_no) .. "-"
  headers = {
    ["Content-Type"] = "application/json",
    ["Cookie"] = os.getenv("COOKIE"),
    ["X-CSRF-Token"] = os.getenv("CSRF"),
  }
  counter = 0
end

function request()
  counter = counter + 1
  headers["Idempotency-Key"] = prefix .. counter
  return wrk.format("POST", "/api/v1/applications", headers, body)
end

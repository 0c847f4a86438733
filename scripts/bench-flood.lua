-- wrk script for `scripts/bench.sh flood`: wrong sign-ins, each for another account from another
-- address (X-Forwarded-For through a trusted proxy), so neither the account nor the address lock
-- stops them before the password check: every request costs a real argon2 hash or a wait for one.
-- Tallies the answers' status codes over all threads.
local threads = {}
local counter = 0

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  codes = {}
end

request = function()
  counter = counter + 1
  local n = id * 1000000 + counter
  local body = string.format('{"username":"flood.%d","password":"Verkeerd-%d"}', n, n)
  local address = string.format("10.%d.%d.%d", id, math.floor(counter / 256) % 256, counter % 256)
  return wrk.format("POST", nil, {
    ["Content-Type"] = "application/json",
    ["Origin"] = os.getenv("ORIGIN"),
    ["X-Forwarded-For"] = address,
  }, body)
end

response = function(status, headers, body)
  codes[status] = (codes[status] or 0) + 1
end

function done(summary, latency, requests)
  local total = {}
  for _, thread in ipairs(threads) do
    for status, n in pairs(thread:get("codes")) do
      total[status] = (total[status] or 0) + n
    end
  end
  local parts = {}
  for status, n in pairs(total) do table.insert(parts, status .. ": " .. n) end
  table.sort(parts)
  io.write("  answers by status: " .. table.concat(parts, ", ") .. "\n")
end

-- The miss path: list pages of random sizes (1..50), so that requests spread over 50 cache keys
-- whose entries live 1 ms (the instances run with catalog.cache.fresh=1ms, no stale windows):
-- nearly every request loads its page. Summary line as bench/report.lua prints it.
dofile("bench/report.lua")

function request()
  return wrk.format("GET", "/api/v1/artifacts?limit=" .. math.random(1, 50))
end

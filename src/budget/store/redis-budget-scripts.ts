/**
 * The two Lua scripts of the Redis store. Each runs atomically; every key
 * it touches is in KEYS (the plan, in ARGV[1] as JSON, refers to keys by
 * their index in KEYS). Amounts travel as decimal strings of integer
 * micro-dollars.
 */

/**
 * One recorded call. Plan: `{ o: operationId, s: seenExpireAt, m: micros,
 * i: [[key, expireAt]], z: [[setKey, member]], a: [[[sumKeys],
 * alertExpireAt, [[micros, alertKey]]]] }` with KEYS[1] the seen-key.
 * Returns `{ applied, code1, spent1, ... }`, each fired threshold as
 * `check * 1000 + threshold` (0-based; at most 100 thresholds) and the
 * spend then.
 *
 * 1. `SET seen <operationId> NX PXAT`: already set by another operation,
 *    return `{0}` (a redelivery changes nothing); set by this same
 *    operation (an earlier attempt ran, its answer was lost), return
 *    `{2, code1, spent1, ...}`, what that attempt fired (the seen-key then
 *    holds `<operationId>:code,spent,...`);
 * 2. `INCRBY` each counter by the call's micro-dollars; a counter the call
 *    created gets its `PEXPIREAT` (past its window's end);
 * 3. `ZREM` the reservations the call settles;
 * 4. per budget, the spend (`MGET` of its counters, summed): a threshold
 *    this call crossed (spend before it below, after it at or above)
 *    fires if `SET alert NX PXAT` succeeds (once across replicas, also
 *    when a rolling window's spend falls and rises again within it).
 *
 * About ten commands inside a call with three budgets, whatever the
 * rolling window's length (one MGET).
 */
export const RECORD_SCRIPT = `
local plan = cjson.decode(ARGV[1])
if not redis.call('SET', KEYS[1], plan.o, 'NX', 'PXAT', plan.s) then
  local seen = redis.call('GET', KEYS[1])
  if plan.o == '1' or not seen then return {0} end
  if seen == plan.o then return {2} end
  if string.sub(seen, 1, #plan.o + 1) ~= plan.o .. ':' then return {0} end
  local again = {2}
  for n in string.gmatch(string.sub(seen, #plan.o + 2), '%d+') do
    again[#again + 1] = tonumber(n)
  end
  return again
end
local micros = tonumber(plan.m)
for _, inc in ipairs(plan.i) do
  local key = KEYS[inc[1]]
  if redis.call('INCRBY', key, plan.m) == micros then
    redis.call('PEXPIREAT', key, inc[2])
  end
end
for _, settle in ipairs(plan.z) do
  redis.call('ZREM', KEYS[settle[1]], settle[2])
end
local out = {1}
for c, check in ipairs(plan.a) do
  local names = {}
  for j, k in ipairs(check[1]) do names[j] = KEYS[k] end
  local spent = 0
  for _, value in ipairs(redis.call('MGET', unpack(names))) do
    if value then spent = spent + tonumber(value) end
  end
  for t, threshold in ipairs(check[3]) do
    local at = tonumber(threshold[1])
    if spent >= at and spent - micros < at then
      if redis.call('SET', KEYS[threshold[2]], '1', 'NX', 'PXAT', check[2]) then
        out[#out + 1] = (c - 1) * 1000 + (t - 1)
        out[#out + 1] = spent
      end
    end
  end
end
if #out > 1 and plan.o ~= '1' then
  local fired = {}
  for j = 2, #out do fired[j - 1] = string.format('%d', out[j]) end
  redis.call('SET', KEYS[1], plan.o .. ':' .. table.concat(fired, ','), 'PXAT', plan.s)
end
return out
`;

/**
 * One check. Plan: `{ n: now, b: [[[sumKeys], [setKeys], limit]], r:
 * [member, micros, expireAt, [setKeys]] }`. Drops expired reservations
 * (`ZREMRANGEBYSCORE -inf now`), sums spend and reservations per budget;
 * with `r`, adds the reservation to its sets when every budget still has
 * room for it. Returns `{ reserved, spent1, reserved1, spent2, ... }`.
 */
export const READ_SCRIPT = `
local plan = cjson.decode(ARGV[1])
local held = {}
local function reserved_in(k)
  if held[k] == nil then
    redis.call('ZREMRANGEBYSCORE', KEYS[k], '-inf', plan.n)
    local total = 0
    for _, member in ipairs(redis.call('ZRANGE', KEYS[k], 0, -1)) do
      total = total + (tonumber(string.match(member, ':(%d+)$')) or 0)
    end
    held[k] = total
  end
  return held[k]
end
local out = {0}
local room = true
for _, budget in ipairs(plan.b) do
  local names = {}
  for j, k in ipairs(budget[1]) do names[j] = KEYS[k] end
  local spent = 0
  for _, value in ipairs(redis.call('MGET', unpack(names))) do
    if value then spent = spent + tonumber(value) end
  end
  local reserved = 0
  for _, k in ipairs(budget[2]) do reserved = reserved + reserved_in(k) end
  if plan.r and spent + reserved + tonumber(plan.r[2]) > tonumber(budget[3]) then
    room = false
  end
  out[#out + 1] = spent
  out[#out + 1] = reserved
end
if plan.r and room then
  for _, k in ipairs(plan.r[4]) do
    redis.call('ZADD', KEYS[k], plan.r[3], plan.r[1])
    redis.call('PEXPIREAT', KEYS[k], plan.r[3])
  end
  out[1] = 1
end
return out
`;

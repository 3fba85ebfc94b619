/**
 * Lua for RedisBudgetLedger. Each script is one atomic step: it reclaims
 * expired holds, decides, mutates, records the idempotency key, detects
 * threshold crossings and appends the run's events, with no other command
 * interleaved. Every key a script touches is a key of one run and carries the
 * run's hash tag, so each script runs on one Cluster slot.
 *
 * KEYS (all scripts): 1 budget hash, 2 holds zset (reservation id → expiry ms),
 * 3 reservations hash (id → "state|held|expires_ms|committed"), 4 run event
 * stream; spend adds 5 idempotency record and, with a journal, 6 the journal's stream.
 * Budget hash fields: l limit, s spent, r reserved, c created ms, u updated ms,
 * g generation (tells a recreated budget from an old idempotency record),
 * tm threshold micros csv, tp threshold ppm csv, x thresholds crossed, ov 1 once
 * spent went over the limit, hr 1 once a reservation was made (absent on budgets
 * created before the field: read as 1). All money is integer micro-dollars.
 *
 * A budget that never held a reservation has no holds zset and no reservations
 * hash, so its scripts skip the reclaim scan and those keys' TTL refresh: a
 * spend-only run, the common case, costs three Redis calls fewer per spend.
 *
 * Numbers are turned into text with %d, never with `..` or tostring (Lua 5.1
 * prints those with 14 significant digits).
 *
 * Replies start with a code; OK/REPLAYED/NOOP/BUDGET_EXCEEDED continue with the
 * status tuple {l, s, r, c, u, tp, x} and then script-specific extras.
 */
const PRELUDE = `
local BUDGET, HOLDS, RSV, EVENTS = KEYS[1], KEYS[2], KEYS[3], KEYS[4]

local function int(n) return string.format('%d', n) end

local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end

local function load()
  local v = redis.call('HMGET', BUDGET, 'l', 's', 'r', 'c', 'u', 'g', 'tm', 'tp', 'x', 'ov', 'hr')
  if not v[1] then return nil end
  return { l = tonumber(v[1]), s = tonumber(v[2]), r = tonumber(v[3]), c = tonumber(v[4]), u = tonumber(v[5]),
           g = v[6], tm = v[7], tp = v[8], x = tonumber(v[9]), ov = tonumber(v[10]), hr = v[11] or '1' }
end

local function status(code, b)
  return { code, int(b.l), int(b.s), int(b.r), int(b.c), int(b.u), b.tp, int(b.x) }
end

local function event(maxlen, ...)
  redis.call('XADD', EVENTS, 'MAXLEN', '~', maxlen, '*', ...)
end

local function touch(b, ttl)
  redis.call('PEXPIRE', BUDGET, ttl)
  if b.hr ~= '0' then
    redis.call('PEXPIRE', HOLDS, ttl)
    redis.call('PEXPIRE', RSV, ttl)
  end
  redis.call('PEXPIRE', EVENTS, ttl)
end

local function parse_hold(rec)
  local state, held, exp, committed = string.match(rec, '^(%a+)|(%d+)|(%d+)|(%d+)$')
  return { state = state, held = held, exp = exp, committed = committed }
end

local function hold_reply(h)
  return { h.state, h.held, h.exp, h.committed }
end

-- Frees every hold whose expiry has passed, before anything is compared with the limit.
local function reclaim(b, now, maxlen)
  if b.hr == '0' then return end
  local freed = 0
  while true do
    local ids = redis.call('ZRANGEBYSCORE', HOLDS, '-inf', now, 'LIMIT', 0, 500)
    if #ids == 0 then break end
    for _, id in ipairs(ids) do
      local rec = redis.call('HGET', RSV, id)
      if rec then
        local h = parse_hold(rec)
        if h.state == 'held' then
          freed = freed + tonumber(h.held)
          redis.call('HSET', RSV, id, 'expired|' .. h.held .. '|' .. h.exp .. '|0')
          event(maxlen, 't', 'reservation_expired', 'a', h.held, 's', int(b.s), 'r', int(b.r - freed), 'rid', id)
        end
      end
    end
    redis.call('ZREM', HOLDS, unpack(ids))
  end
  if freed > 0 then
    b.r = b.r - freed
    redis.call('HSET', BUDGET, 'r', int(b.r))
  end
end

-- Fires each threshold the new spent reached for the first time, and the one-off
-- "exceeded" alert; returns the fired threshold ppm list and the exceeded flag.
local function alerts(b, maxlen)
  local fired = {}
  local ppm = {}
  for p in string.gmatch(b.tp, '%d+') do ppm[#ppm + 1] = p end
  local i = 0
  for t in string.gmatch(b.tm, '%d+') do
    i = i + 1
    if i > b.x and b.s >= tonumber(t) then
      fired[#fired + 1] = ppm[i]
      event(maxlen, 't', 'threshold_crossed', 'th', ppm[i], 's', int(b.s), 'r', int(b.r))
      b.x = i
    end
  end
  local over = '0'
  if b.ov == 0 and b.s > b.l then
    b.ov = 1
    over = '1'
    event(maxlen, 't', 'budget_exceeded', 's', int(b.s), 'r', int(b.r))
  end
  return fired, over
end

local function save(b)
  redis.call('HSET', BUDGET, 's', int(b.s), 'r', int(b.r), 'u', int(b.u), 'x', int(b.x), 'ov', int(b.ov), 'hr', b.hr)
end
`;

/**
 * Files a caller's record of a spend (LedgerJournal) in its stream, in the same step: the JSON object
 * `head` completed with `"outcome"` and `"data"`. Money leaves as exact decimal text built from
 * the integer micro-dollars (never through a float), in the HTTP API's units and names.
 */
const JOURNAL = `
-- Arithmetic rather than string.format('%06d') and gsub: this runs five times per journaled spend.
local function usd(micros)
  local frac = micros % 1000000
  local text = int((micros - frac) / 1000000)
  if frac == 0 then return text end
  local places = 6
  while frac % 10 == 0 do
    frac = frac / 10
    places = places - 1
  end
  -- frac padded to its places with leading zeros: a 1 in front, then cut off.
  return text .. '.' .. string.sub(int(frac + 10 ^ places), 2)
end

local function budget_json(b)
  local crossed = {}
  local i = 0
  for p in string.gmatch(b.tp, '%d+') do
    i = i + 1
    if i > b.x then break end
    crossed[i] = usd(tonumber(p))
  end
  local state = 'active'
  if b.s >= b.l then state = 'exhausted' elseif b.x > 0 then state = 'warning' end
  return '"limit":' .. usd(b.l) .. ',"spent":' .. usd(b.s) .. ',"reserved":' .. usd(b.r) ..
    ',"remaining":' .. usd(math.max(0, b.l - b.s - b.r)) .. ',"exceeded":' .. tostring(b.s > b.l) ..
    ',"state":"' .. state .. '","thresholds_crossed":[' .. table.concat(crossed, ',') .. ']'
end

local function file_journal(key, head, fields, maxlen, ttl, code, b, amount)
  local outcome, data = code, '{}'
  if code == 'OK' or code == 'REPLAYED' then
    outcome = 'ok'
    local sep = ','
    if fields == '' then sep = '' end
    data = '{"amount":' .. usd(tonumber(amount)) .. sep .. fields .. ',"replayed":' .. tostring(code == 'REPLAYED') ..
      ',' .. budget_json(b) .. '}'
  end
  local record = string.sub(head, 1, -2) .. ',"outcome":"' .. outcome .. '","data":' .. data .. '}'
  redis.call('XADD', key, 'MAXLEN', '~', maxlen, '*', 'event', record)
  redis.call('PEXPIRE', key, ttl)
end
`;

/** ARGV: limit, threshold micros csv, threshold ppm csv, generation, budget ttl ms, events maxlen. */
export const CREATE_SCRIPT = `${PRELUDE}
local existing = load()
if existing then return status('BUDGET_ALREADY_EXISTS', existing) end
-- Leftovers of an expired budget with the same run id must not leak into the new one.
redis.call('DEL', HOLDS, RSV, EVENTS)
local now = now_ms()
redis.call('HSET', BUDGET, 'l', ARGV[1], 's', '0', 'r', '0', 'c', int(now), 'u', int(now), 'g', ARGV[4],
  'tm', ARGV[2], 'tp', ARGV[3], 'x', '0', 'ov', '0', 'hr', '0')
event(ARGV[6], 't', 'budget_created', 'a', ARGV[1], 's', '0', 'r', '0')
local b = load()
touch(b, ARGV[5])
return status('OK', b)
`;

/** ARGV: events maxlen. Reads the status (after reclaiming expired holds); never refreshes the TTL. */
export const STATUS_SCRIPT = `${PRELUDE}
local b = load()
if not b then return { 'BUDGET_NOT_FOUND' } end
reclaim(b, now_ms(), ARGV[1])
return status('OK', b)
`;

/**
 * ARGV: amount, allow overage '1'|'0', fingerprint ('' without a key), idempotency ttl ms,
 * budget ttl ms, events maxlen, then the journal (LedgerJournal) or nothing: head, fields, maxlen, ttl ms
 * (KEYS[6] its stream). Extras on OK: fired threshold ppm list, exceeded-fired '1'|'0'.
 */
export const SPEND_SCRIPT = `${PRELUDE}${JOURNAL}
local function spend()
  local b = load()
  if not b then return { 'BUDGET_NOT_FOUND' } end
  local fp = ARGV[3]
  if fp ~= '' then
    local rec = redis.call('HMGET', KEYS[5], 'g', 'f', 's', 'r', 'u', 'x')
    if rec[1] == b.g then
      if rec[2] ~= fp then return { 'IDEMPOTENCY_KEY_REUSED' } end
      b.s, b.r, b.u, b.x = tonumber(rec[3]), tonumber(rec[4]), tonumber(rec[5]), tonumber(rec[6])
      return status('REPLAYED', b), b
    end
  end
  local now = now_ms()
  local maxlen = ARGV[6]
  reclaim(b, now, maxlen)
  local amount = tonumber(ARGV[1])
  if ARGV[2] ~= '1' and b.s + b.r + amount > b.l then return status('BUDGET_EXCEEDED', b) end
  b.s = b.s + amount
  b.u = now
  event(maxlen, 't', 'spent', 'a', ARGV[1], 's', int(b.s), 'r', int(b.r))
  local fired, over = alerts(b, maxlen)
  save(b)
  if fp ~= '' then
    redis.call('DEL', KEYS[5])
    redis.call('HSET', KEYS[5], 'g', b.g, 'f', fp, 's', int(b.s), 'r', int(b.r), 'u', int(b.u), 'x', int(b.x))
    redis.call('PEXPIRE', KEYS[5], ARGV[4])
  end
  touch(b, ARGV[5])
  local reply = status('OK', b)
  reply[9] = fired
  reply[10] = over
  return reply, b
end

local reply, b = spend()
if KEYS[6] then file_journal(KEYS[6], ARGV[7], ARGV[8], ARGV[9], ARGV[10], reply[1], b, ARGV[1]) end
return reply
`;

/** ARGV: amount, reservation id, hold ttl ms, budget ttl ms, events maxlen. Extra on OK: the hold. */
export const RESERVE_SCRIPT = `${PRELUDE}
local b = load()
if not b then return { 'BUDGET_NOT_FOUND' } end
local now = now_ms()
local maxlen = ARGV[5]
reclaim(b, now, maxlen)
local amount = tonumber(ARGV[1])
if b.s + b.r + amount > b.l then return status('BUDGET_EXCEEDED', b) end
local h = { state = 'held', held = ARGV[1], exp = int(now + tonumber(ARGV[3])), committed = '0' }
b.r = b.r + amount
b.u = now
b.hr = '1'
redis.call('HSET', RSV, ARGV[2], 'held|' .. h.held .. '|' .. h.exp .. '|0')
redis.call('ZADD', HOLDS, h.exp, ARGV[2])
event(maxlen, 't', 'reserved', 'a', ARGV[1], 's', int(b.s), 'r', int(b.r), 'rid', ARGV[2])
save(b)
touch(b, ARGV[4])
local reply = status('OK', b)
reply[9] = hold_reply(h)
return reply
`;

/**
 * ARGV: reservation id, amount, budget ttl ms, events maxlen.
 * Replies: RESERVATION_NOT_FOUND; RESERVATION_EXPIRED|RESERVATION_ALREADY_SETTLED|RESERVATION_AMOUNT_EXCEEDED + hold;
 * OK|REPLAYED + status, hold, fired ppm list, exceeded-fired.
 */
export const COMMIT_SCRIPT = `${PRELUDE}
local b = load()
if not b then return { 'BUDGET_NOT_FOUND' } end
local now = now_ms()
local maxlen = ARGV[4]
reclaim(b, now, maxlen)
local rec = redis.call('HGET', RSV, ARGV[1])
if not rec then return { 'RESERVATION_NOT_FOUND' } end
local h = parse_hold(rec)
if h.state == 'expired' then return { 'RESERVATION_EXPIRED', hold_reply(h) } end
if h.state == 'released' then return { 'RESERVATION_ALREADY_SETTLED', hold_reply(h) } end
if h.state == 'committed' then
  if h.committed ~= ARGV[2] then return { 'RESERVATION_ALREADY_SETTLED', hold_reply(h) } end
  local replay = status('REPLAYED', b)
  replay[9] = hold_reply(h)
  replay[10] = {}
  replay[11] = '0'
  return replay
end
local amount = tonumber(ARGV[2])
if amount > tonumber(h.held) then return { 'RESERVATION_AMOUNT_EXCEEDED', hold_reply(h) } end
b.r = b.r - tonumber(h.held)
b.s = b.s + amount
b.u = now
h.state = 'committed'
h.committed = ARGV[2]
redis.call('HSET', RSV, ARGV[1], 'committed|' .. h.held .. '|' .. h.exp .. '|' .. h.committed)
redis.call('ZREM', HOLDS, ARGV[1])
event(maxlen, 't', 'committed', 'a', ARGV[2], 's', int(b.s), 'r', int(b.r), 'rid', ARGV[1])
local fired, over = alerts(b, maxlen)
save(b)
touch(b, ARGV[3])
local reply = status('OK', b)
reply[9] = hold_reply(h)
reply[10] = fired
reply[11] = over
return reply
`;

/**
 * ARGV: reservation id, budget ttl ms, events maxlen.
 * Replies: RESERVATION_NOT_FOUND; RESERVATION_ALREADY_SETTLED + hold; OK|REPLAYED + status, hold.
 * Releasing an expired hold is a REPLAYED no-op: the hold is already free.
 */
export const RELEASE_SCRIPT = `${PRELUDE}
local b = load()
if not b then return { 'BUDGET_NOT_FOUND' } end
local now = now_ms()
local maxlen = ARGV[3]
reclaim(b, now, maxlen)
local rec = redis.call('HGET', RSV, ARGV[1])
if not rec then return { 'RESERVATION_NOT_FOUND' } end
local h = parse_hold(rec)
if h.state == 'committed' then return { 'RESERVATION_ALREADY_SETTLED', hold_reply(h) } end
if h.state ~= 'held' then
  local replay = status('REPLAYED', b)
  replay[9] = hold_reply(h)
  return replay
end
b.r = b.r - tonumber(h.held)
b.u = now
h.state = 'released'
redis.call('HSET', RSV, ARGV[1], 'released|' .. h.held .. '|' .. h.exp .. '|0')
redis.call('ZREM', HOLDS, ARGV[1])
event(maxlen, 't', 'released', 'a', h.held, 's', int(b.s), 'r', int(b.r), 'rid', ARGV[1])
save(b)
touch(b, ARGV[2])
local reply = status('OK', b)
reply[9] = hold_reply(h)
return reply
`;

/** ARGV: exclusive start id ('' = from the oldest), count, events maxlen. Extra on OK: XRANGE entries. */
export const EVENTS_SCRIPT = `${PRELUDE}
local b = load()
if not b then return { 'BUDGET_NOT_FOUND' } end
reclaim(b, now_ms(), ARGV[3])
local start = '-'
if ARGV[1] ~= '' then start = '(' .. ARGV[1] end
local reply = status('OK', b)
reply[9] = redis.call('XRANGE', EVENTS, start, '+', 'COUNT', ARGV[2])
return reply
`;

/**
 * The approval transitions as Redis scripts: each reads and writes one approval's hash (and its
 * approvers set, in the same slot) in one step, so concurrent callers cannot both win.
 * Fields: status, decisions (JSON array text), approvals (count), required, expires_ms, expires_at,
 * decided_at, consumed_at, tenant, digest, run_id ('' for none), doc (the rest, JSON).
 */
export const DECIDE = `
if redis.call('EXISTS', KEYS[1]) == 0 then return {'not_found'} end
local now = tonumber(ARGV[4])
local status = redis.call('HGET', KEYS[1], 'status')
if status == 'pending' and tonumber(redis.call('HGET', KEYS[1], 'expires_ms')) <= now then
  status = 'expired'
  redis.call('HSET', KEYS[1], 'status', status)
end
if status ~= 'pending' then return {'not_pending', status} end
if redis.call('SISMEMBER', KEYS[2], ARGV[1]) == 1 then return {'already_decided'} end
local decisions = redis.call('HGET', KEYS[1], 'decisions')
if decisions == '[]' then
  decisions = '[' .. ARGV[3] .. ']'
else
  decisions = string.sub(decisions, 1, -2) .. ',' .. ARGV[3] .. ']'
end
redis.call('HSET', KEYS[1], 'decisions', decisions)
redis.call('SADD', KEYS[2], ARGV[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl > 0 then redis.call('PEXPIRE', KEYS[2], ttl) end
if ARGV[2] == 'reject' then
  redis.call('HSET', KEYS[1], 'status', 'rejected', 'decided_at', ARGV[5])
elseif redis.call('HINCRBY', KEYS[1], 'approvals', 1) >= tonumber(redis.call('HGET', KEYS[1], 'required')) then
  redis.call('HSET', KEYS[1], 'status', 'approved', 'decided_at', ARGV[5], 'expires_at', ARGV[6],
    'expires_ms', tostring(now + tonumber(ARGV[7])))
end
return {'recorded'}
`;

export const REDEEM = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 'APPROVAL_NOT_FOUND' end
local f = redis.call('HMGET', KEYS[1], 'tenant', 'status', 'expires_ms', 'digest', 'run_id')
if f[1] ~= ARGV[1] then return 'APPROVAL_NOT_FOUND' end
if f[2] == 'consumed' then return 'APPROVAL_CONSUMED' end
if f[2] == 'expired' or (f[2] == 'approved' and tonumber(f[3]) <= tonumber(ARGV[4])) then return 'APPROVAL_EXPIRED' end
if f[2] ~= 'approved' then return 'APPROVAL_NOT_APPROVED' end
if f[4] ~= ARGV[2] or (f[5] ~= '' and f[5] ~= ARGV[3]) then return 'APPROVAL_MISMATCH' end
redis.call('HSET', KEYS[1], 'status', 'consumed', 'consumed_at', ARGV[5])
return 'ok'
`;

export const CANCEL = `
local f = redis.call('HMGET', KEYS[1], 'status', 'expires_ms')
if f[1] ~= 'pending' or tonumber(f[2]) <= tonumber(ARGV[1]) then return 0 end
redis.call('HSET', KEYS[1], 'status', 'cancelled', 'decided_at', ARGV[2])
return 1
`;

export const EXPIRE = `
local f = redis.call('HMGET', KEYS[1], 'status', 'expires_ms')
if (f[1] ~= 'pending' and f[1] ~= 'approved') or tonumber(f[2]) > tonumber(ARGV[1]) then return 0 end
redis.call('HSET', KEYS[1], 'status', 'expired')
return 1
`;

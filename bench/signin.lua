-- A sign-in: the password checked with Argon2id (64 MiB each) and a
-- session made; the storm of a whole organisation opening the console.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"login":"bench","password":"bench-pass-1"}'

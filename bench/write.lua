-- A durable write: create an API token (one row + one audit row).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("ERMS_TOKEN")
wrk.body = '{"name":"bench"}'
